package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * A change of the inline machine template becomes a new launch template version, and the cluster rolls onto it one
 * machine at a time (needs sandbox/moto/autoheal_moto_versions.py: moto itself reports every instance on the
 * template's default version).
 */
@SandboxTest
class RolloutTest {
    static final Duration WAIT = Duration.ofSeconds(180);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("rollout").freshAws().deleteAfterEach("healingclusters");

    static String cluster(String instanceType) {
        return ClusterManifest.named("roll").capacity(3, 3, 4).instanceType(instanceType).toYaml();
    }

    AutoScalingGroup group() {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "roll")))
                .autoScalingGroups().get(0);
    }

    @Test
    void aNewTemplateVersionRollsTheClusterOneMachineAtATime() throws Exception {
        ns.apply(cluster("t3.small"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(ns.kubectl("get", "hc", "roll", "-o", "jsonpath={.status.readyReplicas}")).isEqualTo("3"));
        Set<String> originals = new HashSet<>(group().instances().stream().map(i -> i.instanceId()).toList());
        assertThat(group().instances()).allSatisfy(i -> assertThat(i.launchTemplate().version()).isEqualTo("1"));

        ns.apply(cluster("t3.medium"));
        List<Integer> originalsLeft = new ArrayList<>();
        List<Long> inService = new ArrayList<>();
        // sampled every 200 ms: with the event queue a whole surge step can take well under a second
        await().pollInterval(Duration.ofMillis(200)).atMost(WAIT).until(() -> {
            AutoScalingGroup g = group();
            originalsLeft.add((int) g.instances().stream().filter(i -> originals.contains(i.instanceId())).count());
            inService.add(g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).count());
            return g.instances().size() == 3 && g.instances().stream().allMatch(i -> "2".equals(i.launchTemplate().version()));
        });
        // surge (capacity.max 4 leaves room): a new machine is in service before an old one leaves
        assertThat(inService).as("machines in service over time").allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3L));
        // one at a time is proven below by the journal (three Outdated records written in three different passes), not by
        // sampling the group: with the event queue two passes can fall between two samples
        assertThat(originalsLeft).as("every original left").endsWith(0);
        List<String> ids = group().instances().stream().map(i -> i.instanceId()).toList();
        List<Instance> machines = Moto.ec2().describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
        assertThat(machines).allSatisfy(m -> assertThat(m.instanceTypeAsString()).isEqualTo("t3.medium"));

        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(ns.kubectl("get", "hc", "roll", "-o", "jsonpath={.status.readyReplicas}")).isEqualTo("3"));
        String reasons = ns.kubectl("get", "hc", "roll", "-o", "jsonpath={range .status.recentRemediations[*]}{.reason}@{.time};{end}");
        List<String> rolled = List.of(reasons.split(";")).stream().filter(r -> r.startsWith("Outdated@")).toList();
        assertThat(rolled).as(reasons).hasSize(3);
        assertThat(rolled.stream().map(r -> Instant.parse(r.substring(r.indexOf('@') + 1))).distinct()).as("one machine per pass: " + reasons).hasSize(3);
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.action==\"RollInstance\")].note}"))
                .contains("rolling the cluster to launch template version 2"));
        // the surge's fourth machine can live shorter than a sample: the Event of its SetDesiredCapacity proves it
        ns.awaitEvent("Surged", "desired capacity raised to 4");
    }
}
