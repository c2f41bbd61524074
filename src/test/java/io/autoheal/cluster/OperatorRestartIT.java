package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * kill -9 the packaged operator at the worst moments and start another: everything is re-derived from AWS and
 * the custom resources, so nothing is created twice and no bootstrap job is triggered twice.
 */
class OperatorRestartIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("restart");

    @AfterAll
    static void cleanUp() throws Exception {
        try (OperatorProcess cleaner = OperatorProcess.start("cleanup", Map.of())) {
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
    }

    @Test
    void killedRightAfterCreatingTheGroupTheNextOperatorAdoptsItInsteadOfCreatingAnother() throws Exception {
        Moto.reset();
        String asgName = io.autoheal.testing.Groups.name(ns, "phoenix");
        try (OperatorProcess first = OperatorProcess.start("first", Map.of())) {
            ns.apply(ClusterManifest.named("phoenix").capacity(2, 2, 4).toYaml());
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> !groups(asgName).isEmpty());
            first.kill();
        }
        try (OperatorProcess second = OperatorProcess.start("second", Map.of())) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(ns.kubectl("get", "hc", "phoenix", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
            });
            assertThat(groups(asgName)).hasSize(1);
            // paginated: the sandbox's moto may hold many groups and templates of earlier tests
            assertThat(Moto.autoScaling().describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)).autoScalingGroups().stream()
                    .filter(g -> g.autoScalingGroupName().contains(ns.name()))).hasSize(1);
            assertThat(Moto.ec2().describeLaunchTemplatesPaginator(r -> r.filters(f -> f.name("launch-template-name").values(asgName)))
                    .launchTemplates().stream()).as("one launch template").hasSize(1);
            assertThat(groups(asgName).get(0).instances()).hasSize(2);
        }
    }

    @Test
    void killedRightAfterABootstrapTriggerTheNextOperatorDoesNotTriggerAgain() throws Exception {
        Moto.reset();
        try (TestBootstrapper bootstrapper = TestBootstrapper.start()) {
            try (OperatorProcess first = OperatorProcess.start("first", Map.of())) {
                ns.apply(ClusterManifest.named("once").capacity(1, 1, 2).bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).toYaml());
                // "Right after the trigger": the job id is on the instance; the status write may not have happened yet.
                // (A kill between the bootstrapper's answer and this tag is the remaining window, see README.)
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !Moto.ec2().describeTags(b -> b.filters(
                        f -> f.name("key").values("autoheal.io/bootstrap-job"))).tags().isEmpty());
                first.kill();
            }
            try (OperatorProcess second = OperatorProcess.start("second", Map.of())) {
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "once", "-o",
                        "jsonpath={.status.instances[0].bootstrap.phase}")).isEqualTo("Succeeded"));
                assertThat(bootstrapper.posts()).as("exactly one job for the machine, across the restart").hasSize(1);
            }
        }
    }

    private static java.util.List<AutoScalingGroup> groups(String name) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
    }
}
