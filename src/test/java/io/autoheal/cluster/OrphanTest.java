package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * deletionPolicy Orphan hands the group back as a plain ASG: the operator's launch hook and its suspension of
 * ReplaceUnhealthy go with it (else every new machine would wait for a bootstrap nobody triggers, then be abandoned,
 * and nothing would replace unhealthy machines), its machines keep running.
 */
@SandboxTest
class OrphanTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("orphan");

    TestBootstrapper bootstrapper;

    @BeforeEach
    void start() throws Exception {
        Moto.reset();
        bootstrapper = TestBootstrapper.start();
    }

    @AfterEach
    void stop() {
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        bootstrapper.close();
    }

    /**
     * The orphaned machines keep their identities: a minute after the delete (sampled every second) the three machines
     * are still in their group, each with its Elastic IP; the addresses are no longer claimed by the pool but marked
     * as the orphaned cluster's, and an Event lists them.
     */
    @Test
    void orphanedMachinesKeepTheirAddresses() throws Exception {
        String asgName = io.autoheal.testing.Groups.name(ns, "keep");
        ns.apply(Manifest.join(PoolManifest.named("keep-eips").allocate(3),
                ClusterManifest.named("keep").roles("edge").capacity(3, 3, 3).instanceType("t3.micro").poolRef("keep-eips")
                        .deletionPolicy("Orphan")));
        Map<String, String> held = await().ignoreExceptions().atMost(WAIT).until(() -> addressByMachine(group(asgName)),
                m -> m.size() == 3);

        ns.kubectl("delete", "hc", "keep", "--timeout=60s");

        long started = System.nanoTime();
        for (int s = 0; s < 60; s++) {
            AutoScalingGroup g = group(asgName);
            assertThat(g.instances()).as("second %d", s).extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(held.keySet());
            assertThat(addressByMachine(g)).as("second %d: every machine keeps its address", s).isEqualTo(held);
            Thread.sleep(1000);
        }
        System.out.printf("OrphanTest: watched the orphaned machines for %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        for (Address a : Moto.ec2().describeAddresses(b -> b.allocationIds(held.values())).addresses()) {
            Map<String, String> tags = a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
            assertThat(tags).doesNotContainKey(Tags.CLAIMED_BY).containsEntry(Tags.ORPHANED_FROM, "default/" + ns.name() + "/keep");
        }
        // nothing the orphan left says it is the cluster's any more (a cluster created again under this name takes none of it)
        String mark = "default/" + ns.name() + "/keep";
        for (var r : Moto.ec2().describeInstances(b -> b.instanceIds(held.keySet())).reservations()) {
            r.instances().forEach(i -> assertThat(i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value)))
                    .doesNotContainKey(Tags.CLUSTER).containsEntry(Tags.ORPHANED_FROM, mark));
        }
        assertThat(group(asgName).tags()).noneMatch(t -> t.key().equals(Tags.CLUSTER))
                .anyMatch(t -> t.key().equals(Tags.ORPHANED_FROM) && t.value().equals(mark));
        assertThat(Moto.ec2().describeLaunchTemplates(b -> b.launchTemplateNames(asgName)).launchTemplates().get(0).tags())
                .noneMatch(t -> t.key().equals(Tags.CLUSTER)).anyMatch(t -> t.key().equals(Tags.ORPHANED_FROM) && t.value().equals(mark));
        String orphaned = ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.reason==\"AddressesOrphaned\")].note}");
        assertThat(orphaned).contains(held.values().toArray(String[]::new));
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=EipDisassociated", "-o", "name")).isBlank();
    }

    /** Machine → allocation id of the Elastic IP it holds, for the group's machines. */
    private static Map<String, String> addressByMachine(AutoScalingGroup g) {
        Set<String> machines = g.instances().stream().map(Instance::instanceId).collect(Collectors.toSet());
        return Moto.ec2().describeAddresses().addresses().stream().filter(a -> a.instanceId() != null && machines.contains(a.instanceId()))
                .collect(Collectors.toMap(Address::instanceId, Address::allocationId, (a, b) -> a, TreeMap::new));
    }

    AutoScalingGroup group(String asgName) {
        List<AutoScalingGroup> groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(asgName))
                .autoScalingGroups();
        return groups.isEmpty() ? null : groups.get(0);
    }

    List<String> hooks(String asgName) {
        return Moto.autoScaling().describeLifecycleHooks(b -> b.autoScalingGroupName(asgName)).lifecycleHooks().stream()
                .map(LifecycleHook::lifecycleHookName).toList();
    }

    @Test
    void anOrphanedGroupKeepsItsMachinesAndLosesTheHookAndTheSuspension() {
        String asgName = io.autoheal.testing.Groups.name(ns, "kept");
        String yaml = ClusterManifest.named("kept").capacity(1, 1, 3).maxUnhealthy("100%")
                .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).gateLaunch().deletionPolicy("Orphan").toYaml()
                .replace("  health: {", "  health: {exclusiveHealing: true, ");
        assertThat(yaml).contains("exclusiveHealing: true");
        ns.apply(yaml);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            AutoScalingGroup g = group(asgName);
            assertThat(g.instances()).singleElement().extracting(Instance::lifecycleStateAsString).isEqualTo("InService");
            assertThat(g.suspendedProcesses()).extracting(SuspendedProcess::processName).containsExactly("ReplaceUnhealthy");
            assertThat(hooks(asgName)).containsExactly(AsgPlanner.LAUNCH_HOOK);
        });
        String machine = group(asgName).instances().get(0).instanceId();

        ns.kubectl("delete", "hc", "kept", "--timeout=60s");

        AutoScalingGroup kept = group(asgName);
        assertThat(kept).as("the group stays").isNotNull();
        assertThat(kept.tags()).noneMatch(t -> t.key().equals(Tags.CLUSTER));
        assertThat(kept.suspendedProcesses()).isEmpty();
        assertThat(hooks(asgName)).isEmpty();
        assertThat(kept.instances()).extracting(Instance::instanceId).containsExactly(machine);
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.reason==\"AsgOrphaned\")].action}"))
                .contains("DeleteLifecycleHook", "ResumeProcesses", "Orphan"));
        // a plain group now: a new machine goes in service without waiting at a launch gate
        Moto.autoScaling().setDesiredCapacity(b -> b.autoScalingGroupName(asgName).desiredCapacity(2));
        assertThat(group(asgName).instances()).hasSize(2).allSatisfy(i -> assertThat(i.lifecycleStateAsString()).isEqualTo("InService"));
    }
}
