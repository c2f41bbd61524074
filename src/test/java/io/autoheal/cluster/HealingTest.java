package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/** Clusters keep their size and heal — within budget — against the real API server and moto. */
@SandboxTest
class HealingTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("heal").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    static String cluster(String name, int desired, String maxUnhealthy, String deletionPolicy) {
        return ClusterManifest.named(name).capacity(1, desired, 6).maxUnhealthy(maxUnhealthy).deletionPolicy(deletionPolicy).toYaml();
    }

    AutoScalingGroup asg(String cluster) {
        return Groups.of(ns, cluster);
    }

    Set<String> inService(String cluster) {
        return Groups.inService(ns, cluster);
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void keepsItsSizeFollowsKubectlScaleAndHealsTerminatedAndStoppedMachines() {
        ns.apply(cluster("keep", 3, "40%", "Delete"));
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("keep").size() == 3);
        AutoScalingGroup g = asg("keep");
        assertThat(g.tags()).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("autoheal.io/cluster");
            assertThat(t.value()).isEqualTo(ns.name() + "/keep");
            assertThat(t.propagateAtLaunch()).isTrue();
        });
        assertThat(g.tags()).anyMatch(t -> t.key().equals("autoheal.io/role") && t.value().equals("voip"));

        ns.kubectl("scale", "hc/keep", "--replicas=5");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(asg("keep").desiredCapacity()).isEqualTo(5);
            assertThat(inService("keep")).hasSize(5);
            assertThat(get("keep").getStatus()).isNotNull().extracting(st -> st.replicas).isEqualTo(5);
        });

        // Terminated behind the operator's back: the ASG replaces it, status follows within a resync.
        String terminated = inService("keep").stream().sorted().findFirst().orElseThrow();
        Moto.ec2().terminateInstances(b -> b.instanceIds(terminated));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> rows = get("keep").getStatus().instances.stream()
                    .filter(r -> r.health != io.autoheal.api.v1alpha1.InstanceHealth.Leaving).map(r -> r.instanceId).toList();
            assertThat(rows).hasSize(5).doesNotContain(terminated);
        });
        ns.awaitEvent("InstanceTerminatedExternally", terminated);

        // Stopped: nobody but the operator heals it in moto; it is replaced with an Event and a counter.
        String stopped = inService("keep").stream().sorted().findFirst().orElseThrow();
        Moto.ec2().stopInstances(b -> b.instanceIds(stopped));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(inService("keep")).hasSize(5).doesNotContain(stopped);
            assertThat(get("keep").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(stopped) && r.reason.equals("Stopped"));
        });
        ns.awaitEvent("Remediated", stopped);
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("autoheal_remediations_total{cluster=\"keep\",namespace=\"" + ns.name() + "\",reason=\"Stopped\"} 1.0");
    }

    /** Healing never waits on the pool reference: a missing pool is a condition; the group is built and heals. */
    @Test
    void aMissingPoolIsAConditionAndTheClusterStillHeals() {
        ns.apply(ClusterManifest.named("nopool").capacity(1, 2, 4).poolRef("nowhere").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(inService("nopool")).hasSize(2);
            assertThat(Conditions.find(get("nopool").getStatus().conditions, ConditionType.Degraded).orElseThrow().getReason())
                    .isEqualTo("PoolNotFound");
        });
        String stopped = inService("nopool").stream().sorted().findFirst().orElseThrow();
        Moto.ec2().stopInstances(b -> b.instanceIds(stopped));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(inService("nopool")).hasSize(2).doesNotContain(stopped);
            assertThat(get("nopool").getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(stopped) && r.reason.equals("Stopped"));
        });
        ns.awaitEvent("PoolNotFound", "nowhere");
    }

    @Test
    void healingBudgetBlocksMassReplacementAndClearsWhenMachinesRecover() {
        ns.apply(cluster("budget", 4, "50%", "Delete"));
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("budget").size() == 4);
        List<String> victims = inService("budget").stream().sorted().limit(3).toList();
        Moto.ec2().stopInstances(b -> b.instanceIds(victims));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("budget");
            assertThat(hc.getStatus()).isNotNull();
            assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.RemediationBlocked))
                    .hasValueSatisfying(c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getMessage()).contains("3 of 4 machines are unhealthy").contains("2 allowed");
                    });
        });
        ns.awaitEvent("RemediationBlocked", "3 of 4");
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("autoheal_remediation_blocked{cluster=\"budget\",namespace=\"" + ns.name() + "\"} 1.0");
        assertThat(inService("budget")).as("nothing terminated").containsAll(victims);
        assertThat(get("budget").getStatus().recentRemediations).isEmpty();

        Moto.ec2().startInstances(b -> b.instanceIds(victims));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.isTrue(get("budget").getStatus().conditions,
                ConditionType.RemediationBlocked)).isFalse());
        assertThat(get("budget").getStatus().recentRemediations).isEmpty();
    }

    @Test
    void deletionPolicyDeleteRemovesTheGroupAndOrphanKeepsIt() {
        ns.apply(cluster("doomed", 1, "40%", "Delete"));
        ns.apply(cluster("kept", 1, "40%", "Orphan"));
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("doomed").size() == 1 && inService("kept").size() == 1);

        ns.kubectl("delete", "hc", "doomed", "--timeout=60s");
        assertThat(asg("doomed")).isNull();
        assertThat(Kubectl.exec(null, "get", "hc", "doomed", "-n", ns.name()).output()).contains("NotFound");

        ns.kubectl("delete", "hc", "kept", "--timeout=60s");
        AutoScalingGroup kept = asg("kept");
        assertThat(kept).isNotNull();
        assertThat(kept.tags()).noneMatch(t -> t.key().equals("autoheal.io/cluster"));
        assertThat(inService("kept")).hasSize(1);
    }

    @Test
    void machinesWhoseStatusChecksStayImpairedOrThatTheGroupMarksUnhealthyAreReplaced() {
        ns.apply(ClusterManifest.named("signals").capacity(2, 2, 4).maxUnhealthy("100%").unhealthyAfter("10s").toYaml());
        await().ignoreExceptions().atMost(WAIT).until(() -> inService("signals").size() == 2
                && get("signals").getStatus().readyReplicas == 2);
        List<String> machines = List.copyOf(inService("signals"));
        String impaired = machines.get(0);
        String unhealthy = machines.get(1);
        try {
            Moto.setInstanceStatus(impaired, "impaired");          // our moto extension: moto always reports "ok"
            Moto.autoScaling().setInstanceHealth(b -> b.instanceId(unhealthy).healthStatus("Unhealthy")); // moto's own
            await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
                assertThat(inService("signals")).doesNotContain(impaired, unhealthy).hasSize(2);
                assertThat(get("signals").getStatus().recentRemediations).extracting(r -> r.instanceId + ":" + r.reason)
                        .contains(impaired + ":StatusCheckImpaired", unhealthy + ":AsgUnhealthy");
            });
        } finally {
            Moto.clearFaults();
        }
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("autoheal_remediations_total{cluster=\"signals\",namespace=\"" + ns.name() + "\",reason=\"StatusCheckImpaired\"} 1.0")
                .contains("autoheal_remediations_total{cluster=\"signals\",namespace=\"" + ns.name() + "\",reason=\"AsgUnhealthy\"} 1.0");
        await().ignoreExceptions().atMost(WAIT).until(() -> get("signals").getStatus().readyReplicas == 2);
    }
}
