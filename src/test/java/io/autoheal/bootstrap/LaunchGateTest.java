package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * gateLaunch against moto's real ASG model, extended by sandbox/moto/autoheal_moto_ext.py with launch lifecycle
 * hooks: machines wait in Pending:Wait until their bootstrap succeeded (CONTINUE) or finally failed (ABANDON).
 */
@SandboxTest
class LaunchGateTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("gate");

    TestBootstrapper bootstrapper;

    @BeforeEach
    void start() throws Exception {
        Moto.reset();
        bootstrapper = TestBootstrapper.start();
    }

    @AfterEach
    void stop() {
        Moto.clearFaults();
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
        bootstrapper.close();
    }

    String cluster(String name, int maxAttempts) {
        return ClusterManifest.named(name).capacity(1, 1, 2).maxUnhealthy("100%")
                .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).maxAttempts(maxAttempts).gateLaunch().toYaml();
    }

    List<Instance> members(String cluster) {
        var groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, cluster)))
                .autoScalingGroups();
        return groups.isEmpty() ? List.of() : groups.get(0).instances();
    }

    @Test
    void machinesWaitInPendingWaitUntilBootstrappedThenGoInService() {
        // the first CONTINUE fails (sandbox/moto/autoheal_moto_faults.py): said in an Event, and tried again
        Moto.injectFault("CompleteLifecycleAction", "ServiceUnavailable", 503, 4);
        ns.apply(cluster("gated", 3));
        await().ignoreExceptions().atMost(WAIT).until(() -> members("gated").size() == 1);
        assertThat(members("gated").get(0).lifecycleStateAsString()).isIn("Pending:Wait", "InService");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(members("gated")).singleElement().extracting(Instance::lifecycleStateAsString).isEqualTo("InService"));
        assertThat(bootstrapper.posts()).hasSize(1);
        ns.awaitEvent("LaunchContinued", "CONTINUE");
        assertThat(Moto.faultHits("CompleteLifecycleAction")).isEqualTo(4);
        // the failed call is the Event's action (its note is the AWS error): awaited, Events are sent in the background
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events.events.k8s.io", "-o",
                "jsonpath={.items[?(@.reason==\"AwsError\")].action}")).contains("CompleteLifecycleAction"));
    }

    @Test
    void aFinalBootstrapFailureAbandonsTheLaunchAndTheGroupLaunchesAnother() {
        bootstrapper.script(p -> TestBootstrapper.Job.fails());
        ns.apply(cluster("doomed", 1));
        String first = await().ignoreExceptions().atMost(WAIT).until(() -> members("doomed").get(0).instanceId(), id -> id != null);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(members("doomed")).extracting(Instance::instanceId).doesNotContain(first);
            assertThat(members("doomed")).isNotEmpty();
        });
        ns.awaitEvent("LaunchAbandoned", first);
        assertThat(Moto.ec2().describeInstances(b -> b.instanceIds(first)).reservations().get(0).instances().get(0).state().nameAsString())
                .isIn("shutting-down", "terminated");
    }
}
