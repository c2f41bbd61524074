package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.cloud.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.TestNamespace;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;

/**
 * deletionPolicy Orphan hands the group back as a plain ASG: the operator's launch hook and its suspension of
 * ReplaceUnhealthy go with it (else every new machine would wait for a bootstrap nobody triggers, then be abandoned,
 * and nothing would replace unhealthy machines), its machines keep running.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
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
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
        bootstrapper.close();
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
        assertThat(ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.reason==\"AsgOrphaned\")].action}"))
                .contains("DeleteLifecycleHook", "ResumeProcesses", "Orphan");
        // a plain group now: a new machine goes in service without waiting at a launch gate
        Moto.autoScaling().setDesiredCapacity(b -> b.autoScalingGroupName(asgName).desiredCapacity(2));
        assertThat(group(asgName).instances()).hasSize(2).allSatisfy(i -> assertThat(i.lifecycleStateAsString()).isEqualTo("InService"));
    }
}
