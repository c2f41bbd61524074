package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapHostPolicyTest.addresses;
import static io.autoheal.bootstrap.BootstrapHostPolicyTest.allow;
import static io.autoheal.bootstrap.BootstrapHostPolicyTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.DrainSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HttpBootstrapSpec;
import io.autoheal.api.v1alpha1.SecretRef;
import io.autoheal.bootstrap.BootstrapHostPolicy.Outcome;
import io.autoheal.cluster.ClusterReferences;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * autoheal.outbound.allowed-cidrs and credentials over https only. No test here connects anywhere but loopback: the
 * addresses moto hands out (54.214.0.0/16, 172.31.0.0/16) appear only as resolver answers and literals the guard
 * refuses before any client call.
 */
class OutboundLimitsTest {
    static final OutboundCidrs LOOPBACK = OutboundCidrs.parse(List.of("127.0.0.0/8"));

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1         | 127.0.0.0/8               | true",
            "127.255.255.254   | 127.0.0.0/8               | true",
            "128.0.0.1         | 127.0.0.0/8               | false",
            "54.214.1.1        | 127.0.0.0/8               | false",
            "172.31.7.9        | 127.0.0.0/8               | false",
            "::ffff:127.0.0.1  | 127.0.0.0/8               | true",
            "::ffff:54.214.1.1 | 127.0.0.0/8               | false",
            "::ffff:7f00:1     | 127.0.0.0/8               | true",
            "::127.0.0.1       | 127.0.0.0/8               | true",
            "::1               | 127.0.0.0/8               | false",
            "::1               | 127.0.0.0/8 ::1/128       | true",
            "10.1.2.3          | 10.0.0.0/9                | true",
            "10.128.0.1        | 10.0.0.0/9                | false",
            "10.1.2.3          | 10.1.2.3                  | true",
            "10.1.2.4          | 10.1.2.3                  | false",
            "2001:db8::1       | 2001:db8::/33             | true",
            "2001:db8:8000::1  | 2001:db8::/33             | false",
            "54.214.1.1        | any                       | true",
            "54.214.1.1        | 0.0.0.0/0                 | true",
            "2001:db8::1       | 0.0.0.0/0                 | false",
    })
    void cidrs(String address, String cidrs, boolean allowed) {
        assertThat(OutboundCidrs.parse(List.of(cidrs.split(" "))).allows(ip(address))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"example.com", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0/8x"})
    void aMalformedEntryFailsAtStartUpNamingTheSetting(String entry) {
        assertThatThrownBy(() -> OutboundCidrs.parse(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoheal.outbound.allowed-cidrs").hasMessageContaining(entry);
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // moto's instance addresses: outside 127.0.0.0/8, whatever the host's name
            "boot.example.com | 54.214.1.1             | -         | REFUSED | resolves to 54.214.1.1, outside autoheal.outbound.allowed-cidrs (127.0.0.0/8)",
            "172.31.5.6       | 172.31.5.6             | -         | REFUSED | outside autoheal.outbound.allowed-cidrs",
            "[::ffff:172.31.5.6] | ::ffff:172.31.5.6   | -         | REFUSED | outside autoheal.outbound.allowed-cidrs",
            // one address outside is enough: the client may use any of them
            "both.example.com | 127.0.0.1 54.214.1.1   | both.example.com | REFUSED | 54.214.1.1",
            // allow-internal-hosts does not widen the CIDRs
            "boot.example.com | 54.214.1.1             | boot.example.com | REFUSED | outside",
            // the sandbox's own bootstrapper: loopback, allow-listed, inside
            "127.0.0.1        | 127.0.0.1              | 127.0.0.1 | ALLOWED | ''",
            // inside the CIDRs, yet loopback and not allow-listed: still refused
            "127.0.0.2        | 127.0.0.2              | -         | REFUSED | loopback",
            // an allow-listed host that does not resolve is not called when the CIDRs are limited
            "gone.invalid     | -                      | gone.invalid | UNRESOLVED | does not resolve",
    })
    void theAllowedCidrsComeOnTopOfEveryOtherRule(String host, String resolved, String internal, Outcome outcome, String why) {
        var v = BootstrapHostPolicy.decide(host, addresses(resolved), Set.of(), allow(null, internal).within(LOOPBACK));
        assertThat(v.outcome()).as(v.why()).isEqualTo(outcome);
        assertThat(v.why()).contains(why);
    }

    @Test
    void withoutTheSettingNothingChanges() {
        var v = BootstrapHostPolicy.decide("boot.example.com", addresses("54.214.1.1"), Set.of(), allow(null, null));
        assertThat(v.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(OutboundCidrs.parse(List.of()).unlimited()).isTrue();
        assertThat(OutboundCidrs.parse(List.of("any")).unlimited()).isTrue();
    }

    /** A resolver that answers from a table and counts lookups; the guard is the only one asked. */
    static BootstrapUrlGuard guard(Map<String, String> dns, AtomicInteger lookups) {
        return new BootstrapUrlGuard(allow(null, "127.0.0.1").within(LOOPBACK), Set::of, host -> {
            lookups.incrementAndGet();
            return addresses(dns.getOrDefault(host, host.matches("[0-9.]+|.*:.*") ? host : "-"));
        });
    }

    @Test
    void checkedAddressesAreTheAnswerJustChecked() throws Exception {
        BootstrapUrlGuard g = guard(Map.of(), new AtomicInteger());
        assertThat(g.checkedAddresses(URI.create("http://127.0.0.1:5000/x"))).containsExactly(ip("127.0.0.1"));
    }

    @ParameterizedTest
    @CsvSource({"http://boot.invalid:5000/ansible/role/", "http://172.31.5.6:5000/x", "http://[::ffff:172.31.5.6]/x",
            "http://169.254.169.254/latest/api/token", "http://[fd00:ec2::23]/v1/credentials"})
    void checkedAddressesRefusesBeforeAnyConnection(String url) {
        BootstrapUrlGuard g = guard(Map.of("boot.invalid", "54.214.1.1"), new AtomicInteger());
        assertThatThrownBy(() -> g.checkedAddresses(URI.create(url))).isInstanceOf(BootstrapUrlGuard.Refused.class)
                .satisfies(e -> assertThat(((BootstrapUrlGuard.Refused) e).stop().failure()).isEqualTo(BootstrapFailure.UrlRefused));
    }

    /**
     * The runner meets a host the guard resolves to 54.214.1.1. The real resolver could not resolve boot.invalid (RFC
     * 6761), so had the runner tried to connect, its failure would be Unreachable: UrlRefused and NOT_STARTED show that
     * the guard stopped it before any client call, and the request never had an address to go to.
     */
    @Test
    void theRunnerIsStoppedByTheGuardBeforeItsClientIsUsed() {
        AtomicInteger lookups = new AtomicInteger();
        HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create("http://boot.invalid:5000/ansible/role/"),
                "http://boot.invalid:5000/ansible/results/{jobId}", Credentials.none(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Optional.empty()), guard(Map.of("boot.invalid", "54.214.1.1"), lookups));
        TriggerResult trigger = runner.trigger(HttpBootstrapRunnerTest.REQUEST);
        assertThat(trigger.kind()).isEqualTo(TriggerResult.Kind.NOT_STARTED);
        assertThat(trigger.failure()).isEqualTo(BootstrapFailure.UrlRefused);
        assertThat(trigger.message()).contains("54.214.1.1").contains("allowed-cidrs");
        assertThat(lookups.get()).isPositive();
    }

    /** At the cluster level: reason BootstrapUrlRefused, before the cluster gets anywhere near a bootstrap. */
    @Test
    void aClusterWhoseBootstrapperResolvesOutsideIsRefusedWithItsReason() {
        AtomicInteger lookups = new AtomicInteger();
        ClusterReferences refs = new ClusterReferences(null, guard(Map.of("boot.example.com", "54.214.1.1"), lookups));
        HealingCluster hc = cluster(http("http://boot.example.com/t", "http://boot.example.com/r/{jobId}", false, false), null);
        var problem = refs.resolve(hc, Optional.empty()).bootstrapProblem();
        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(Reason.BootstrapUrlRefused);
            assertThat(p.message()).startsWith("spec.bootstrap.http.url:").contains("54.214.1.1");
        });
        HealingCluster literal = cluster(null, http("http://172.31.5.6/drain", "http://127.0.0.1/r/{jobId}", false, false));
        assertThat(refs.resolve(literal, Optional.empty()).bootstrapProblem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(Reason.BootstrapUrlRefused);
            assertThat(p.message()).startsWith("spec.drain.http.url:").contains("172.31.5.6");
        });
    }

    @ParameterizedTest(name = "{0} / {1} credentials={2} allowInsecure={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "https://b.example/t | https://b.example/r/{jobId} | true  | false | null",
            "http://b.example/t  | https://b.example/r/{jobId} | true  | false | spec.bootstrap.http.url: credentials",
            "https://b.example/t | http://b.example/r/{jobId}  | true  | false | spec.bootstrap.http.statusUrl: credentials",
            "HTTP://b.example/t  | https://b.example/r/{jobId} | true  | false | spec.bootstrap.http.url: credentials",
            "http://b.example/t  | http://b.example/r/{jobId}  | false | false | null",
            "http://b.example/t  | http://b.example/r/{jobId}  | true  | true  | null",
    })
    void credentialsTravelOnlyOverHttps(String url, String statusUrl, boolean credentials, boolean allowInsecure, String refusal) {
        HealingClusterSpec spec = cluster(http(url, statusUrl, credentials, allowInsecure), null).getSpec();
        assertThat(BootstrapUrlGuard.insecureCredentials(spec).orElse(null)).satisfies(r -> {
            if (refusal == null) {
                assertThat(r).isNull();
            } else {
                assertThat(r).startsWith(refusal).contains("allowInsecure");
            }
        });
        assertThat(BootstrapUrlGuard.insecureOnPurpose(spec)).isEqualTo(
                credentials && allowInsecure ? List.of("spec.bootstrap.http") : List.of());
    }

    @Test
    void theDrainsCredentialsAreCheckedToo() {
        HealingClusterSpec spec = cluster(null, http("http://d.example/t", "https://d.example/r/{jobId}", true, false)).getSpec();
        assertThat(BootstrapUrlGuard.insecureCredentials(spec)).hasValueSatisfying(m -> assertThat(m).startsWith("spec.drain.http.url:"));
    }

    @Test
    void credentialsMayTravelTo() {
        Credentials bearer = new Credentials.Bearer("t");
        assertThat(bearer.mayTravelTo(URI.create("https://b.example/x"), false)).isTrue();
        assertThat(bearer.mayTravelTo(URI.create("http://b.example/x"), false)).isFalse();
        assertThat(bearer.mayTravelTo(URI.create("http://b.example/x"), true)).isTrue();
        assertThat(new Credentials.Basic("u", "p").mayTravelTo(URI.create("http://b.example/x"), false)).isFalse();
        assertThat(Credentials.none().mayTravelTo(URI.create("http://b.example/x"), false)).isTrue();
    }

    static HttpBootstrapSpec http(String url, String statusUrl, boolean credentials, boolean allowInsecure) {
        HttpBootstrapSpec http = new HttpBootstrapSpec();
        http.url = url;
        http.statusUrl = statusUrl;
        if (credentials) {
            http.credentialsSecretRef = new SecretRef();
            http.credentialsSecretRef.name = "creds";
        }
        http.allowInsecure = allowInsecure ? Boolean.TRUE : null;
        return http;
    }

    static HealingCluster cluster(HttpBootstrapSpec bootstrap, HttpBootstrapSpec drain) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
        hc.setSpec(new HealingClusterSpec());
        if (bootstrap != null) {
            hc.getSpec().bootstrap = new BootstrapSpec();
            hc.getSpec().bootstrap.http = bootstrap;
        }
        if (drain != null) {
            hc.getSpec().drain = new DrainSpec();
            hc.getSpec().drain.http = drain;
        }
        return hc;
    }

}
