package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Examples;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bootstrap end to end: a real HTTP bootstrapper of the seed's contract, a real API server for Jobs, moto. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class BootstrapTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("boot");

    @Inject
    KubernetesClient client;

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

    String cluster(String name, int desired, int maxAttempts) {
        return ClusterManifest.named(name).roles("voip", "monitoring").capacity(1, desired, 4).maxUnhealthy("100%")
                .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).credentials("boot-creds", "s3cret-token")
                .extraVar("release", "2026.11").maxAttempts(maxAttempts).toYaml();
    }

    HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void everyNewMachineIsBootstrappedExactlyOnceAndTheClusterIsReadyOnlyAfterwards() {
        ns.apply(cluster("web", 2, 3));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("web");
            assertThat(hc.getStatus()).isNotNull();
            assertThat(hc.getStatus().instances).hasSize(2).allSatisfy(r -> {
                assertThat(r.bootstrap).isNotNull();
                assertThat(r.bootstrap.phase).isEqualTo("Succeeded");
                assertThat(r.bootstrap.attempts).isEqualTo(1);
            });
            assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
            assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Bootstrapped)).isTrue();
        });
        List<InstanceStatus> rows = get("web").getStatus().instances;
        assertThat(bootstrapper.posts()).hasSize(2);
        for (InstanceStatus row : rows) {
            assertThat(bootstrapper.postsFor(row.privateIp)).as("one POST for %s", row.instanceId).isEqualTo(1);
        }
        assertThat(bootstrapper.posts()).allSatisfy(p -> {
            assertThat(p.role()).isEqualTo("voip,monitoring");
            assertThat(p.env()).isEqualTo("staging");
            assertThat(p.extraVars()).contains("\"release\":\"2026.11\"");
            assertThat(p.authorization()).isEqualTo("Bearer s3cret-token");
        });
        // The job id is on the instance too, where a restarted operator finds it.
        String id = rows.get(0).instanceId;
        assertThat(Moto.ec2().describeTags(b -> b.filters(f -> f.name("resource-id").values(id), f -> f.name("key").values("autoheal.io/bootstrap-job")))
                .tags()).singleElement().extracting(t -> t.value()).isEqualTo(rows.get(0).bootstrap.jobId);
    }

    @Test
    void aJobThatFailsTwiceThenSucceedsEndsSucceededWithThreeAttempts() {
        bootstrapper.scriptEveryHost(TestBootstrapper.Job.fails(), TestBootstrapper.Job.fails(), TestBootstrapper.Job.succeeds());
        ns.apply(cluster("flaky", 1, 3));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("flaky");
            assertThat(hc.getStatus()).isNotNull();
            assertThat(hc.getStatus().instances).singleElement().satisfies(r -> {
                assertThat(r.bootstrap.phase).isEqualTo("Succeeded");
                assertThat(r.bootstrap.attempts).isEqualTo(3);
            });
        });
        assertThat(bootstrapper.posts()).hasSize(3);
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=BootstrapFailed")).contains("attempt 1 of 3");
    }

    @Test
    void aMachineThatNeverBootstrapsIsReplaced() {
        bootstrapper.script(p -> TestBootstrapper.Job.fails());
        ns.apply(cluster("broken", 1, 2));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("broken");
            assertThat(hc.getStatus()).isNotNull();
            assertThat(hc.getStatus().recentRemediations).anySatisfy(r -> assertThat(r.reason).isEqualTo("BootstrapFailed"));
        });
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=Remediated")).contains("BootstrapFailed");
        // The successor gets its own bootstrap: more POSTs than the 2 attempts of the first machine.
        await().ignoreExceptions().atMost(WAIT).until(() -> bootstrapper.posts().size() > 2);
    }

    /**
     * The seed's bootstrapper runs every job to its end, but the playbook fails a task on the machine: it answers
     * the play recap {@code {"<ip>": {..., "failures": 1}}}. Each such job is a failed attempt; after maxAttempts (2)
     * the machine is BootstrapFailed and replaced (maxUnhealthy 100%, so the budget allows it at any size).
     */
    @Test
    void aPlaybookThatFailsOnTheMachineIsRetriedThenTheMachineIsReplaced() {
        bootstrapper.script(p -> TestBootstrapper.Job.playbookFails());
        ns.apply(cluster("recap", 1, 2));
        InstanceStatus first = await().ignoreExceptions().atMost(WAIT).until(() -> get("recap").getStatus().instances.get(0),
                r -> r.privateIp != null && r.bootstrap != null && r.bootstrap.attempts >= 1);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("recap").getStatus().recentRemediations)
                .anySatisfy(r -> {
                    assertThat(r.instanceId).isEqualTo(first.instanceId);
                    assertThat(r.reason).isEqualTo("BootstrapFailed");
                }));
        assertThat(bootstrapper.postsFor(first.privateIp)).as("two attempts, then no more").isEqualTo(2);
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=BootstrapFailed"))
                .contains("the playbook failed on " + first.privateIp + ": failures=1").contains("attempt 2 of 2");
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=Remediated")).contains(first.instanceId).contains("BootstrapFailed");
        await().atMost(WAIT).untilAsserted(() -> assertThat(Moto.ec2().describeInstances(b -> b.instanceIds(first.instanceId)).reservations()
                .get(0).instances().get(0).state().nameAsString()).isIn("shutting-down", "terminated"));
    }

    /**
     * A proxy in front of the bootstrapper answers the first trigger 200 with its login page: the request went out,
     * so a job may exist; it counts as attempt 1, and the next trigger comes after the back-off.
     */
    @Test
    void aTriggerAnsweredWithAnHtmlPageUsesAnAttemptAndIsRetriedAfterTheBackoff() {
        bootstrapper.onTrigger(TestBootstrapper.Answer.of(200, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>"));
        ns.apply(cluster("proxied", 1, 3));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("proxied").getStatus().instances).singleElement()
                .satisfies(r -> {
                    assertThat(r.bootstrap.phase).isEqualTo("Succeeded");
                    assertThat(r.bootstrap.attempts).as("the lost answer counted").isEqualTo(2);
                }));
        assertThat(bootstrapper.posts()).hasSize(2);
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=BootstrapRetry"))
                .contains("HTML page").contains("counted as attempt 1 of 3");
    }

    @Test
    void jobModeCreatesAJobWithTheMachinesIdentityAndFollowsItsConditions() {
        ns.apply(Examples.render("job-bootstrap.yaml"));
        Job job = await().ignoreExceptions().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns.name()).list().getItems(),
                items -> items.size() == 1).get(0);
        var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).extracting(e -> e.getName()).contains("AUTOHEAL_HOST", "AUTOHEAL_ROLE", "AUTOHEAL_ENV", "AUTOHEAL_INSTANCE_ID");
        assertThat(env).anyMatch(e -> e.getName().equals("AUTOHEAL_ROLE") && e.getValue().equals("worker"));
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().extracting(o -> o.getName()).isEqualTo("workers");

        // No kubelet in the sandbox: play the Job controller and mark it complete.
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        job.setStatus(new JobStatusBuilder().withStartTime(now).withCompletionTime(now).withSucceeded(1).withConditions(
                new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").build(),
                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        client.batch().v1().jobs().inNamespace(ns.name()).resource(job).updateStatus();
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("workers").getStatus().instances).singleElement()
                .satisfies(r -> assertThat(r.bootstrap.phase).isEqualTo("Succeeded")));
    }
}
