package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.StatusWriteRefusal;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;

/**
 * The README's healing promises with the CRD's defaults (no spec.health at all), against the real API server and
 * moto: a 2-machine cluster heals, the operator is the only healer (ReplaceUnhealthy suspended, and suspended again
 * when a person resumes it), a replacement is recorded before its machine is terminated, and a long bootstrap is
 * not cut short by startupTimeout.
 */
@SandboxTest
class SafeDefaultsTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("defaults").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    String asgName(String cluster) {
        return Groups.name(ns, cluster);
    }

    Set<String> inService(String cluster) {
        return Groups.inService(ns, cluster);
    }

    Set<String> suspended(String cluster) {
        return Groups.of(ns, cluster).suspendedProcesses().stream().map(SuspendedProcess::processName).collect(Collectors.toSet());
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void aTwoMachineClusterWithDefaultsHealsAndTheOperatorIsItsOnlyHealer() {
        ns.apply(ClusterManifest.named("pair").capacity(2, 2, 4).toYaml());
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("pair").size() == 2 && get("pair").getStatus().readyReplicas == 2);
        HealingCluster hc = get("pair");
        assertThat(hc.getSpec().health.exclusiveHealing).as("defaulted by the API server").isTrue();
        assertThat(hc.getSpec().health.maxUnhealthy.getStrVal()).isEqualTo("40%");
        assertThat(suspended("pair")).contains("ReplaceUnhealthy");

        // A person resumes the group's own healing: it is suspended again, and an Event says so.
        Moto.autoScaling().resumeProcesses(b -> b.autoScalingGroupName(asgName("pair")).scalingProcesses("ReplaceUnhealthy"));
        assertThat(suspended("pair")).doesNotContain("ReplaceUnhealthy");
        await().ignoreExceptions().atMost(WAIT).until(() -> suspended("pair").contains("ReplaceUnhealthy"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ns.kubectl("get", "events", "--field-selector", "reason=HealingProcessSuspended")).contains("ReplaceUnhealthy was running"));

        // One of two machines dies: 40% of 2 rounds down to 0, but one replacement is always allowed.
        double failuresBefore = StatusWriteRefusal.failures(RestAssured.get("/q/metrics").asString());
        String victim = inService("pair").stream().sorted().findFirst().orElseThrow();
        Moto.ec2().stopInstances(b -> b.instanceIds(victim));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(inService("pair")).hasSize(2).doesNotContain(victim);
            assertThat(get("pair").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("Stopped"));
        });
        // The record written before the termination does not make the pass's own status write conflict (409).
        assertThat(StatusWriteRefusal.failures(RestAssured.get("/q/metrics").asString())).as("failed reconciles").isEqualTo(failuresBefore);
    }

    @Test
    void aReplacementIsRecordedBeforeItsMachineIsTerminated() {
        ns.apply(ClusterManifest.named("journal").capacity(2, 2, 4).toYaml());
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("journal").size() == 2
                && get("journal").getStatus().readyReplicas == 2);
        String victim = inService("journal").stream().sorted().findFirst().orElseThrow();
        StatusWriteRefusal refusal = new StatusWriteRefusal(ns.name());
        refusal.refuse("journal");
        try {
            Moto.ec2().stopInstances(b -> b.instanceIds(victim));
            // The status cannot take the record, so nothing may be terminated: at a 2 s resync these are several passes.
            Instant until = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(until)) {
                assertThat(inService("journal")).as("not terminated while its record cannot be written").contains(victim);
                sleep(Duration.ofSeconds(1));
            }
        } finally {
            refusal.allow();
        }
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(inService("journal")).hasSize(2).doesNotContain(victim);
            assertThat(get("journal").getStatus().recentRemediations).filteredOn(r -> r.instanceId.equals(victim)).hasSize(1);
        });
    }

    @Test
    void aBootstrapLongerThanStartupTimeoutIsBootstrappingNotReplaced() throws Exception {
        try (TestBootstrapper bootstrapper = TestBootstrapper.start()) {
            List<Answer> slow = new ArrayList<>();
            slow.add(Answer.inQueue());
            for (int i = 0; i < 12; i++) {
                slow.add(Answer.waiting());
            }
            slow.add(Answer.finished());
            bootstrapper.scriptEveryHost(new TestBootstrapper.Job(slow));
            ns.apply(ClusterManifest.named("slow").capacity(1, 1, 2).startupTimeout("4s")
                    .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).toYaml());
            await().ignoreExceptions().atMost(WAIT).until(() -> rows("slow").stream().anyMatch(r -> r.health == InstanceHealth.Bootstrapping));
            String machine = rows("slow").get(0).instanceId;
            // Well past startupTimeout, the playbook still runs: the machine stays, Bootstrapping, and is not replaced.
            sleep(Duration.ofSeconds(6));
            assertThat(rows("slow")).singleElement().satisfies(r -> {
                assertThat(r.instanceId).isEqualTo(machine);
                assertThat(r.health).isEqualTo(InstanceHealth.Bootstrapping);
                assertThat(r.reason).isNull();
            });
            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(rows("slow")).singleElement()
                    .satisfies(r -> assertThat(r.health).isEqualTo(InstanceHealth.Healthy)));
            assertThat(inService("slow")).containsExactly(machine);
            assertThat(get("slow").getStatus().recentRemediations).isEmpty();
            assertThat(bootstrapper.posts()).hasSize(1);
        }
    }

    List<InstanceStatus> rows(String cluster) {
        return get(cluster).getStatus().instances.stream().filter(r -> r.health != InstanceHealth.Leaving).toList();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
