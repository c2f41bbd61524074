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
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bootstrap end to end: a real HTTP bootstrapper of the seed's contract; for Jobs a real API server, Job controller and
 * garbage collector (no kubelet: Job pods never run, see the job-mode test); moto.
 */
@SandboxTest
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

    /**
     * Healing never waits on a Secret: with the bootstrap Secret deleted, the Bootstrapped and Degraded conditions say
     * SecretNotFound and no bootstrap runs, but a stopped machine is still replaced; its successor waits (no startup
     * clock against it) and is bootstrapped once the Secret is back.
     */
    @Test
    void aDeletedBootstrapSecretStopsBootstrapsButNotHealing() {
        String manifest = cluster("nosecret", 2, 3);
        ns.apply(manifest);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(Conditions.isTrue(get("nosecret").getStatus().conditions, ConditionType.Ready)).isTrue());
        assertThat(bootstrapper.posts()).hasSize(2);
        ns.kubectl("delete", "secret", "boot-creds");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(Conditions.find(get("nosecret").getStatus().conditions, ConditionType.Bootstrapped).orElseThrow().getReason())
                    .isEqualTo("SecretNotFound");
            assertThat(Conditions.find(get("nosecret").getStatus().conditions, ConditionType.Degraded).orElseThrow().getReason())
                    .isEqualTo("SecretNotFound");
        });
        String stopped = get("nosecret").getStatus().instances.get(0).instanceId;
        Moto.ec2().stopInstances(b -> b.instanceIds(stopped));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("nosecret");
            assertThat(hc.getStatus().recentRemediations).anyMatch(r -> r.instanceId.equals(stopped) && r.reason.equals("Stopped"));
            assertThat(hc.getStatus().instances).filteredOn(r -> r.health != io.autoheal.api.v1alpha1.InstanceHealth.Leaving)
                    .hasSize(2).noneMatch(r -> r.instanceId.equals(stopped));
        });
        assertThat(bootstrapper.posts()).as("no bootstrap runs without its Secret").hasSize(2);
        assertThat(get("nosecret").getStatus().recentRemediations).as("the waiting successor is not replaced").hasSize(1);

        ns.apply(manifest); // the Secret is back
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            HealingCluster hc = get("nosecret");
            assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Bootstrapped)).isTrue();
            assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).isTrue();
        });
        assertThat(bootstrapper.posts()).as("the successor, once").hasSize(3);
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
        ns.awaitEvent("BootstrapFailed", "attempt 1 of 3");
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
        ns.awaitEvent("Remediated", "BootstrapFailed");
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
        ns.awaitEvent("BootstrapFailed", "the playbook failed on " + first.privateIp + ": failures=1", "attempt 2 of 2");
        ns.awaitEvent("Remediated", first.instanceId, "BootstrapFailed");
        await().atMost(WAIT).untilAsserted(() -> assertThat(Moto.ec2().describeInstances(b -> b.instanceIds(first.instanceId)).reservations()
                .get(0).instances().get(0).state().nameAsString()).isIn("shutting-down", "terminated"));
    }

    /**
     * A proxy in front of the bootstrapper answers the first trigger 200 with its login page: the request went out, so
     * a job may exist, but the answer names none — a lost answer. The same attempt is sent again after the back-off with
     * the same idempotency key (a bootstrapper that saw it answers that key's job instead of starting another); the
     * attempt is not used up by the lost answer.
     */
    @Test
    void aTriggerAnsweredWithAnHtmlPageIsSentAgainAsTheSameAttempt() {
        bootstrapper.onTrigger(TestBootstrapper.Answer.of(200, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>"));
        ns.apply(cluster("proxied", 1, 3));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("proxied").getStatus().instances).singleElement()
                .satisfies(r -> {
                    assertThat(r.bootstrap.phase).isEqualTo("Succeeded");
                    assertThat(r.bootstrap.attempts).as("the lost answer did not use up an attempt").isEqualTo(1);
                }));
        assertThat(bootstrapper.posts()).hasSize(2);
        assertThat(bootstrapper.posts().stream().map(TestBootstrapper.Post::idempotencyKey).distinct())
                .as("both sends carry the same key: <instance id>:1").singleElement().asString().endsWith(":1");
        ns.awaitEvent("BootstrapRetry", "HTML page", "attempt 1 of 3 is sent again with the same idempotency key");
    }

    /**
     * Job mode against the sandbox's real Job controller and garbage collector (kube-controller-manager). There is
     * no scheduler and no kubelet, so the Job's pod is created but stays Pending and unscheduled: the test plays the
     * kubelet and reports the container as exited 0; everything after that (the Job's Complete condition, the
     * collection of the Job and its pod once the cluster is deleted) is the real controllers' work.
     */
    @Test
    void jobModeCreatesAJobOwnedByTheClusterWhichTheRealControllersCompleteAndCollect() {
        ns.apply(Examples.render("job-bootstrap.yaml"));
        Job job = await().ignoreExceptions().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns.name()).list().getItems(),
                items -> items.size() == 1).get(0);
        String jobName = job.getMetadata().getName();
        var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).extracting(e -> e.getName()).contains("AUTOHEAL_HOST", "AUTOHEAL_ROLE", "AUTOHEAL_ENV", "AUTOHEAL_INSTANCE_ID");
        assertThat(env).anyMatch(e -> e.getName().equals("AUTOHEAL_ROLE") && e.getValue().equals("worker"));
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("HealingCluster");
            assertThat(o.getName()).isEqualTo("workers");
            assertThat(o.getUid()).isEqualTo(get("workers").getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });

        // The Job controller creates the pod and counts it active; nothing runs it, so the bootstrap is Running.
        Pod pod = await().ignoreExceptions().atMost(WAIT).until(() -> jobPods(jobName), pods -> pods.size() == 1).get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getSpec().getNodeName()).as("no scheduler, no nodes").isNull();
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("workers").getStatus().instances).singleElement()
                .satisfies(r -> assertThat(r.bootstrap.phase).isEqualTo("Running")));

        // Play the kubelet: the container ran and exited 0. The Job controller then writes the Job's Complete condition.
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> client.pods().inNamespace(ns.name())
                .resource(succeeded(client.pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).get())).updateStatus());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(client.batch().v1().jobs().inNamespace(ns.name())
                .withName(jobName).get().getStatus().getConditions()).anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True")));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("workers").getStatus().instances).singleElement()
                .satisfies(r -> assertThat(r.bootstrap.phase).isEqualTo("Succeeded")));

        // Deleting the cluster: the operator's finalizer deletes the ASG, then the garbage collector the Job it owned, and the Job's pod.
        ns.kubectl("delete", "hc", "workers", "--timeout=90s");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(jobName).get()).as("Job collected").isNull();
            assertThat(jobPods(jobName)).as("its pod collected").isEmpty();
        });
    }

    List<Pod> jobPods(String jobName) {
        return client.pods().inNamespace(ns.name()).withLabel("batch.kubernetes.io/job-name", jobName).list().getItems();
    }

    /** The status a kubelet reports for a pod whose one container exited 0. */
    static Pod succeeded(Pod pod) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var container = pod.getSpec().getContainers().get(0);
        pod.setStatus(new PodStatusBuilder(pod.getStatus()).withPhase("Succeeded").withContainerStatuses(new ContainerStatusBuilder()
                .withName(container.getName()).withImage(container.getImage()).withImageID("").withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").withStartedAt(now).withFinishedAt(now)
                .endTerminated().endState().build()).build());
        return pod;
    }
}
