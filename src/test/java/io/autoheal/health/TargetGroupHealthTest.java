package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.health.targetGroupArns against the real API server and moto (sandbox/moto/autoheal_moto_targets.py sets a
 * target's health): the group is attached to the target group, and the one machine whose target turns unhealthy is
 * replaced after unhealthyAfter, the others untouched.
 */
@SandboxTest
class TargetGroupHealthTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tgh").freshAws().deleteAfterEach("healingclusters");

    @Inject
    KubernetesClient client;

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    Set<String> registered(String arn) {
        return Moto.elb().describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions().stream()
                .map(d -> d.target().id()).collect(Collectors.toSet());
    }

    @Test
    void anUnhealthyTargetIsReplacedAfterUnhealthyAfterAndTheOthersStay() {
        String arn = Moto.createTargetGroup("web-" + ns.name().substring(ns.name().length() - 6));
        ns.apply(ClusterManifest.named("web").capacity(1, 3, 4).unhealthyAfter("4s").targetGroups(arn).toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            Set<String> serving = Groups.inService(ns, "web");
            assertThat(serving).hasSize(3);
            assertThat(registered(arn)).containsAll(serving);
        });
        var group = Groups.of(ns, "web");
        assertThat(group.targetGroupARNs()).containsExactly(arn);
        assertThat(group.tags()).anyMatch(t -> t.key().equals(Tags.TARGET_GROUPS) && arn.endsWith("/" + t.value()));

        Set<String> before = new HashSet<>(Groups.inService(ns, "web"));
        String victim = before.stream().sorted().findFirst().orElseThrow();
        long start = System.nanoTime();
        Moto.setTargetHealth(victim, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(get("web").getStatus().recentRemediations)
                    .anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("TargetUnhealthy"));
            assertThat(Groups.inService(ns, "web")).hasSize(3).doesNotContain(victim);
        });
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        System.out.println("TargetGroupHealthTest: unhealthy target replaced in " + seconds + " s (unhealthyAfter 4s, resync 2s)");
        assertThat(seconds).as("not before unhealthyAfter").isGreaterThanOrEqualTo(4);
        Set<String> others = new HashSet<>(before);
        others.remove(victim);
        assertThat(Groups.inService(ns, "web")).containsAll(others);
        assertThat(get("web").getStatus().recentRemediations).hasSize(1);
        ns.awaitEvent("Remediated", victim);
    }

    /** DescribeTargetHealth failing (moto fault injection) leaves the target unknown: nothing replaced; once it answers, the machine is. */
    @Test
    void aFailingTargetHealthReadReplacesNothingUntilItAnswers() {
        String arn = Moto.createTargetGroup("unk-" + ns.name().substring(ns.name().length() - 6));
        ns.apply(ClusterManifest.named("unk").capacity(1, 2, 3).unhealthyAfter("2s").targetGroups(arn).toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(registered(arn)).containsAll(Groups.inService(ns, "unk")).hasSize(2));
        String victim = Groups.inService(ns, "unk").stream().sorted().findFirst().orElseThrow();
        try {
            Moto.injectFault("DescribeTargetHealth", "InternalFailure", 500, -1);
            Moto.setTargetHealth(victim, "unhealthy", "Target.Timeout", "Request timed out");
            long hitsBefore = Moto.faultHits("DescribeTargetHealth");
            await().atMost(WAIT).until(() -> Moto.faultHits("DescribeTargetHealth") >= hitsBefore + 3); // several refreshes failed
            assertThat(Groups.inService(ns, "unk")).contains(victim);
            var status = get("unk").getStatus();
            assertThat(status.recentRemediations == null ? java.util.List.of() : status.recentRemediations).isEmpty();
        } finally {
            Moto.clearFaults();
        }
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("unk").getStatus().recentRemediations)
                .anyMatch(r -> r.instanceId.equals(victim) && r.reason.equals("TargetUnhealthy")));
    }
}
