package io.autoheal.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.bootstrap.TestBootstrapper.Job;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * kill -9 the packaged operator while a machine drains, start another: the drain job (its id tagged on the
 * instance) is adopted — not triggered again, and not skipped: the machine stays in Terminating:Wait until the
 * job finishes.
 */
class DrainRestartIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("drainrestart");

    @AfterAll
    static void cleanUp() throws Exception {
        try (OperatorProcess cleaner = OperatorProcess.start("cleanup", Map.of())) {
            // clean-up, not the test: a Delete would wait for every machine's drain (DrainingDelete)
            io.autoheal.testing.Kubectl.exec(null, "annotate", "healingclusters", "--all", "autoheal.io/force-delete=true", "--overwrite", "-n", ns.name());
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
    }

    static List<Instance> members() {
        var groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "calls")))
                .autoScalingGroups();
        return groups.isEmpty() ? List.of() : groups.get(0).instances();
    }

    static String lifecycle(String id) {
        return members().stream().filter(i -> i.instanceId().equals(id)).map(Instance::lifecycleStateAsString).findFirst().orElse("gone");
    }

    @Test
    void aRestartDuringADrainNeitherRerunsNorSkipsIt() throws Exception {
        Moto.reset();
        try (TestBootstrapper drainer = TestBootstrapper.start()) {
            drainer.script(post -> Job.of(Answer.waiting()));
            String victim;
            try (OperatorProcess first = OperatorProcess.start("first", Map.of())) {
                ns.apply(ClusterManifest.named("calls").capacity(1, 2, 3)
                        .drainHttp(drainer.url(), drainer.statusUrl(), "5m", null).toYaml());
                await().ignoreExceptions().atMost(WAIT).until(() -> ns.kubectl("get", "hc", "calls", "-o", "jsonpath={.status.readyReplicas}"),
                        "2"::equals);
                victim = members().get(0).instanceId();
                Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
                // right after the drain's trigger: its id is on the instance (the status write may not have happened yet)
                await().ignoreExceptions().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !Moto.ec2().describeTags(b -> b.filters(
                        f -> f.name("key").values("autoheal.io/drain-job"), f -> f.name("resource-id").values(victim))).tags().isEmpty());
                first.kill();
            }
            int polledBefore = drainer.statusRequests().size();
            try (OperatorProcess second = OperatorProcess.start("second", Map.of())) {
                // the second operator polls the tagged job (adopted) and keeps the machine waiting for it
                await().atMost(WAIT).until(() -> drainer.statusRequests().size() >= polledBefore + 2);
                assertThat(drainer.statusRequests().subList(polledBefore, drainer.statusRequests().size()))
                        .extracting(TestBootstrapper.StatusRequest::jobId).containsOnly(drainer.posts().get(0).jobId());
                assertThat(lifecycle(victim)).as("not skipped: still waiting for its drain").isEqualTo("Terminating:Wait");
                assertThat(drainer.posts()).as("one drain job for the machine, across the restart").hasSize(1);
                drainer.answer(drainer.posts().get(0).jobId(), Job.of(Answer.finished()));
                await().ignoreExceptions().atMost(WAIT).until(() -> lifecycle(victim), "gone"::equals);
                assertThat(drainer.posts()).hasSize(1);
            }
        }
    }
}
