package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapHostPolicyTest.addresses;
import static io.autoheal.bootstrap.BootstrapHostPolicyTest.allow;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.CountingListener;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guard around the host policy: messages name the field, a host that does not resolve blocks requests but not the
 * cluster, and the HTTP runner sends nothing to a refused host (a real listener counts connections).
 */
class BootstrapUrlGuardTest {
    /** A resolver of fixed answers; the API server is api.test -> 10.96.0.1. */
    static final Map<String, String> DNS = Map.of("boot.example.com", "203.0.113.10", "metadata.example.com", "169.254.169.254",
            "api.test", "10.96.0.1");

    static BootstrapUrlGuard guard(String internalHosts) {
        return new BootstrapUrlGuard(allow(null, internalHosts), () -> Set.of("api.test"),
                host -> addresses(DNS.getOrDefault(host, host.matches("[0-9.]+|.*:.*") ? host : "-"))); // literals are themselves
    }

    static HealingClusterSpec spec(String url, String statusUrl) {
        return ClusterManifest.named("c").bootstrapHttp(url, statusUrl).toResource("ns").getSpec();
    }

    @Test
    void aRefusedUrlNamesItsFieldAndWhy() {
        assertThat(guard("-").refusal(spec("http://169.254.169.254/latest/api/token", "http://boot.example.com/r/{jobId}")))
                .hasValueSatisfying(m -> assertThat(m).startsWith("spec.bootstrap.http.url: host 169.254.169.254")
                        .contains("link-local").contains("no request"));
        assertThat(guard("-").refusal(spec("http://boot.example.com/t", "http://api.test:6443/api/v1/namespaces/{jobId}")))
                .hasValueSatisfying(m -> assertThat(m).startsWith("spec.bootstrap.http.statusUrl: host api.test").contains("API server"));
        assertThat(guard("-").refusal(spec("http://boot.example.com/t", "http://boot.example.com/r/{jobId}"))).isEmpty();
        assertThat(guard("127.0.0.1").refusal(spec("http://127.0.0.1:5000/t", "http://127.0.0.1:5000/r/{jobId}"))).isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveDoesNotBlockTheClusterButGetsNoRequest() {
        BootstrapUrlGuard g = guard("-");
        assertThat(g.refusal(spec("http://gone.example.com/t", "http://gone.example.com/r/{jobId}"))).isEmpty();
        assertThat(g.check("spec.bootstrap.http.url", URI.create("http://gone.example.com/t"))).isInstanceOfSatisfying(RequestGuard.Stop.class,
                s -> assertThat(s.failure()).isEqualTo(BootstrapFailure.Unreachable));
    }

    @Test
    void aStatusUrlWhoseHostIsTheJobIdIsLeftToTheRequestTimeCheck() {
        assertThat(guard("-").refusal(spec("http://boot.example.com/t", "http://{jobId}.jobs.example.com/r"))).isEmpty();
        assertThat(guard("-").refusal(spec("http://boot.example.com/t", "http://api.test/r?job={jobId}"))).isPresent();
    }

    @Test
    void aSpecWithoutHttpBootstrapHasNoUrls() {
        assertThat(BootstrapUrlGuard.urls(new HealingClusterSpec())).isEmpty();
        assertThat(guard("-").refusal(null)).isEmpty();
    }

    /** The runner asks before every request: nothing reaches a refused host, and the failure says why. */
    @Test
    void theRunnerSendsNothingToARefusedHost() throws Exception {
        try (CountingListener listener = new CountingListener("127.0.0.2")) {
            String base = "http://" + listener.authority();
            HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"),
                    base + "/ansible/results/{jobId}", new Credentials.Bearer("s3cret"), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Optional.empty()), guard("127.0.0.1"));
            TriggerResult trigger = runner.trigger(HttpBootstrapRunnerTest.REQUEST);
            assertThat(trigger.kind()).as("nothing was sent: no job, no attempt").isEqualTo(TriggerResult.Kind.NOT_STARTED);
            assertThat(trigger.failure()).isEqualTo(BootstrapFailure.UrlRefused);
            assertThat(trigger.message()).startsWith("spec.bootstrap.http.url: host 127.0.0.2").contains("loopback");
            JobStatus status = runner.status("job-1", HttpBootstrapRunnerTest.HOST);
            assertThat(status.failure()).isEqualTo(BootstrapFailure.UrlRefused);
            assertThat(status.message()).startsWith("spec.bootstrap.http.statusUrl:");
            assertThat(listener.connections()).isZero();
        }
    }

    /** The same runner with the host allow-listed does reach it: the zero above is the guard's doing. */
    @Test
    void anAllowListedLoopbackHostIsCalled() throws Exception {
        try (CountingListener listener = new CountingListener("127.0.0.2")) {
            String base = "http://" + listener.authority();
            HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"),
                    base + "/ansible/results/{jobId}", Credentials.none(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Optional.empty()), guard("127.0.0.2"));
            assertThat(runner.trigger(HttpBootstrapRunnerTest.REQUEST).failure()).isNotEqualTo(BootstrapFailure.UrlRefused);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listener.connections() > 0);
        }
    }

    /** A job id the bootstrapper chose can put the status poll on another host: the concrete URI is checked. */
    @Test
    void aJobIdThatSteersTheStatusUrlToAnInternalHostIsRefused() throws Exception {
        try (CountingListener listener = new CountingListener("127.0.0.2")) {
            HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create("http://boot.example.com/t"),
                    "http://{jobId}:" + listener.port() + "/r", Credentials.none(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Optional.empty()), guard("127.0.0.1"));
            JobStatus status = runner.status("127.0.0.2", HttpBootstrapRunnerTest.HOST);
            assertThat(status.failure()).isEqualTo(BootstrapFailure.UrlRefused);
            assertThat(status.message()).contains("host 127.0.0.2");
            assertThat(listener.connections()).isZero();
        }
    }

    @Test
    void theProductionResolverAnswersLiteralsAndNothingForUnknownNames() {
        assertThat(BootstrapUrlGuard.resolve("127.0.0.2")).extracting(a -> a.getHostAddress()).containsExactly("127.0.0.2");
        assertThat(BootstrapUrlGuard.resolve("name.invalid")).isEmpty(); // RFC 6761: .invalid never resolves
    }
}
