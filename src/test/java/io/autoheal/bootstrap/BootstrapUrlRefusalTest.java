package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.CountingListener;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant safety end to end: bootstrapper URLs on the instance metadata service or on a loopback address that the
 * operator's allow-list does not name (the test operator allows 127.0.0.1 only, {@link SandboxResource}) get the
 * condition BootstrapUrlRefused, a Warning Event, and no request: a listener on 127.0.0.2 counts the connections.
 */
@SandboxTest
class BootstrapUrlRefusalTest {
    static final Duration WAIT = Duration.ofSeconds(45);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("urls");

    @Inject
    KubernetesClient client;

    @AfterEach
    void clean() {
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=60s");
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    Condition degraded(String name) {
        HealingCluster hc = get(name);
        assertThat(hc.getStatus()).isNotNull();
        return Conditions.find(hc.getStatus().conditions, ConditionType.Degraded).orElseThrow();
    }

    List<Event> refusals(String cluster) {
        return client.events().v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> "BootstrapUrlRefused".equals(e.getReason()) && cluster.equals(e.getRegarding().getName())).toList();
    }

    @Test
    void theMetadataServiceAndAnUnlistedLoopbackAddressAreRefusedWithoutARequest() throws Exception {
        try (CountingListener sidecar = new CountingListener("127.0.0.2")) {
            String local = "http://" + sidecar.authority();
            ns.apply(ClusterManifest.named("imds").bootstrapHttp("http://169.254.169.254/latest/api/token",
                    "http://169.254.169.254/latest/meta-data/{jobId}").toYaml());
            ns.apply(ClusterManifest.named("sidecar").bootstrapHttp(local + "/ansible/role/", local + "/ansible/results/{jobId}").toYaml());

            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
                Condition imds = degraded("imds");
                assertThat(imds.getStatus()).isEqualTo("True");
                assertThat(imds.getReason()).isEqualTo("BootstrapUrlRefused");
                assertThat(imds.getMessage()).startsWith("spec.bootstrap.http.url: host 169.254.169.254").contains("link-local");
                Condition loop = degraded("sidecar");
                assertThat(loop.getReason()).isEqualTo("BootstrapUrlRefused");
                assertThat(loop.getMessage()).startsWith("spec.bootstrap.http.url: host 127.0.0.2").contains("loopback")
                        .contains("autoheal.bootstrap.allow-internal-hosts");
                assertThat(Conditions.find(get("sidecar").getStatus().conditions, ConditionType.Ready).orElseThrow().getStatus()).isEqualTo("False");
                assertThat(refusals("imds")).isNotEmpty();
                // a series of two: at least two passes refused it, not only the first
                assertThat(refusals("sidecar")).singleElement().satisfies(e -> assertThat(e.getSeries()).isNotNull());
            });
            assertThat(sidecar.connections()).as("connections to 127.0.0.2").isZero();
            assertThat(get("sidecar").getStatus().asgName).as("a refused cluster is not built either").isNull();
        }
    }

    /**
     * The URLs as written are fine, but the bootstrapper answers a job id that puts the status poll on 127.0.0.2:
     * the request-time check refuses it, and the machine's row and a Warning Event say why.
     */
    @Test
    void aJobIdThatSteersThePollToAnInternalHostIsRefusedAtRequestTime() throws Exception {
        try (TestBootstrapper bootstrapper = TestBootstrapper.start(); CountingListener internal = new CountingListener("127.0.0.2")) {
            bootstrapper.onTrigger(Answer.of(200, "127.0.0.2"));
            ns.apply(ClusterManifest.named("steered").bootstrapHttp(bootstrapper.url(), "http://{jobId}:" + internal.port() + "/results")
                    .toYaml());

            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
                InstanceStatus row = get("steered").getStatus().instances.get(0);
                assertThat(row.bootstrap.jobId).isEqualTo("127.0.0.2");
                assertThat(row.bootstrap.lastFailure).isEqualTo("UrlRefused");
                assertThat(row.bootstrap.message).startsWith("spec.bootstrap.http.statusUrl: host 127.0.0.2");
                assertThat(refusals("steered")).isNotEmpty();
            });
            assertThat(bootstrapper.posts()).as("the trigger went to the allowed bootstrapper").hasSize(1);
            assertThat(internal.connections()).as("connections to 127.0.0.2").isZero();
        }
    }
}
