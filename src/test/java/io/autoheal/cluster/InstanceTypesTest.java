package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * spec.template.instanceTypes end to end: the group gets a mixed instances policy with the types in order (read back
 * from moto, sandbox/moto/autoheal_moto_mixed.py), and a changed list is a new launch template version that rolls the
 * machines one at a time, like any template change (RolloutTest).
 */
@SandboxTest
class InstanceTypesTest {
    static final Duration WAIT = Duration.ofSeconds(180);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("instance-types").freshAws().deleteAfterEach("healingclusters");

    static String cluster(String alternatives) {
        return ClusterManifest.named("flex").capacity(2, 2, 3).instanceType("t3.small").toYaml()
                .replace("instanceType: t3.small}}", "instanceType: t3.small}, instanceTypes: [" + alternatives + "], capacityRebalance: true}");
    }

    AutoScalingGroup group() {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "flex")))
                .autoScalingGroups().get(0);
    }

    @Test
    void theGroupLaunchesTheAlternativesInOrderAndAChangedListRollsTheMachines() {
        ns.apply(cluster("t3.small, t3.medium, m5.large"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(ns.kubectl("get", "hc", "flex", "-o", "jsonpath={.status.readyReplicas}")).isEqualTo("2"));
        AutoScalingGroup g = group();
        assertThat(g.launchTemplate()).as("the template is inside the mixed instances policy").isNull();
        var policy = g.mixedInstancesPolicy();
        assertThat(policy.launchTemplate().overrides().stream().map(LaunchTemplateOverrides::instanceType))
                .containsExactly("t3.small", "t3.medium", "m5.large");
        assertThat(policy.launchTemplate().launchTemplateSpecification().version()).isEqualTo("1");
        assertThat(policy.instancesDistribution().onDemandAllocationStrategy()).isEqualTo("prioritized");
        assertThat(policy.instancesDistribution().onDemandPercentageAboveBaseCapacity()).isEqualTo(100);
        assertThat(g.capacityRebalance()).isTrue();
        Set<String> originals = new HashSet<>(g.instances().stream().map(i -> i.instanceId()).toList());
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "flex", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].status}")).isEqualTo("False"));
        assertThat(ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.action==\"UpdateAutoScalingGroup\")].note}"))
                .as("at rest: the policy read back equals the spec, no update every pass").isEmpty();

        ns.apply(cluster("t3.small, m5.large"));
        List<Integer> originalsLeft = new ArrayList<>();
        await().pollInterval(Duration.ofMillis(500)).atMost(WAIT).until(() -> {
            AutoScalingGroup now = group();
            originalsLeft.add((int) now.instances().stream().filter(i -> originals.contains(i.instanceId())).count());
            return now.instances().size() == 2 && now.instances().stream().allMatch(i -> "2".equals(i.launchTemplate().version()));
        });
        for (int i = 1; i < originalsLeft.size(); i++) {
            assertThat(originalsLeft.get(i - 1) - originalsLeft.get(i)).as("originals left over time: " + originalsLeft).isLessThanOrEqualTo(1);
        }
        assertThat(group().mixedInstancesPolicy().launchTemplate().overrides().stream().map(LaunchTemplateOverrides::instanceType))
                .containsExactly("t3.small", "m5.large");
        List<String> ids = group().instances().stream().map(i -> i.instanceId()).toList();
        List<Instance> machines = Moto.ec2().describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
        assertThat(machines).as("the first choice is launched").allSatisfy(m -> assertThat(m.instanceTypeAsString()).isEqualTo("t3.small"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(ns.kubectl("get", "hc", "flex", "-o", "jsonpath={.status.readyReplicas}")).isEqualTo("2"));
    }
}
