package io.autoheal.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.bootstrap.TestBootstrapper.Job;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * spec.drain end to end (operator in-process, real kube-apiserver, moto with terminating hooks from
 * sandbox/moto/autoheal_moto_ext.py): every termination — healing, a person's TerminateInstanceInAutoScalingGroup,
 * scale-in — waits in Terminating:Wait while the drain job runs, and the machine is terminated only after the job
 * finished; its Elastic IP moves to the replacement only then.
 */
@SandboxTest
class DrainTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    /** How long each drain job runs before the test lets it finish (the 20 s, shortened; the assertions are the same). */
    static final Duration DRAINING = Duration.ofSeconds(12);
    static final String POOL_TAG = "autoheal-test/pool";
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("drain");

    TestBootstrapper drainer;
    @Inject
    KubernetesClient client;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @BeforeEach
    void start() throws Exception {
        Moto.reset();
        drainer = TestBootstrapper.start();
        drainer.script(post -> Job.of(Answer.waiting())); // a drain runs until the test finishes it
    }

    @AfterEach
    void stop() {
        // a deletion drains every machine (DeletionTest): these clusters' drains wait for the test, so they go at once
        io.autoheal.testing.Kubectl.exec(null, "annotate", "healingclusters", "--all", "-n", ns.name(),
                io.autoheal.cluster.DeletionPlanner.FORCE_ANNOTATION + "=true", "--overwrite");
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        drainer.close();
    }

    ClusterManifest cluster(String name, int desired, int max) {
        return ClusterManifest.named(name).capacity(1, desired, max).maxUnhealthy("100%")
                .drainHttp(drainer.url(), drainer.statusUrl(), "5m", null);
    }

    List<Instance> members(String cluster) {
        var groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, cluster)))
                .autoScalingGroups();
        return groups.isEmpty() ? List.of() : groups.get(0).instances();
    }

    Optional<Instance> member(String cluster, String id) {
        return members(cluster).stream().filter(i -> i.instanceId().equals(id)).findFirst();
    }

    software.amazon.awssdk.services.ec2.model.Instance ec2(String id) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    String ready(String cluster, int n) {
        return await().ignoreExceptions().atMost(WAIT).until(() -> ns.kubectl("get", "hc", cluster, "-o", "jsonpath={.status.readyReplicas}"),
                r -> r.equals(String.valueOf(n)));
    }

    /**
     * The machine waits in Terminating:Wait (EC2 running, {@code address} still on it) while its drain job runs for
     * {@link #DRAINING}, sampled every second; then the job finishes and only then the machine terminates.
     */
    void drainedBeforeTerminated(String cluster, String victim, String address) {
        String ip = ec2(victim).privateIpAddress();
        TestBootstrapper.Post post = await().atMost(WAIT).until(() -> drainer.posts().stream().filter(p -> ip.equals(p.host())).findFirst(),
                Optional::isPresent).get();
        assertThat(post.role()).isEqualTo("drain");
        long until = System.nanoTime() + DRAINING.toNanos();
        while (System.nanoTime() < until) {
            assertThat(member(cluster, victim)).as("still in its group, waiting").get()
                    .extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
            assertThat(ec2(victim).state().nameAsString()).as("EC2 still runs it while it drains").isEqualTo("running");
            if (address != null) {
                assertThat(holder(address)).as("its address stays while it drains").isEqualTo(victim);
            }
            sleep(1000);
        }
        assertThat(drainer.posts().stream().filter(p -> ip.equals(p.host()))).as("one drain job, never triggered twice").hasSize(1);
        drainer.answer(post.jobId(), Job.of(Answer.finished()));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(member(cluster, victim)).isEmpty();
            assertThat(ec2(victim).state().nameAsString()).isIn("shutting-down", "terminated");
        });
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events", "-o", "jsonpath={range .items[*]}{.reason}:{.message};{end}"))
                .contains("DrainTriggered:" + victim).contains("DrainSucceeded:" + victim).contains("TerminationContinued:" + victim));
    }

    String holder(String allocationId) {
        return Moto.ec2().describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0).instanceId();
    }

    @Test
    void healingDrainsTheUnhealthyMachineAndItsAddressMovesToTheReplacementOnlyAfter() {
        String address = Moto.ec2().allocateAddress(b -> b.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
                .tags(tag -> tag.key(POOL_TAG).value(ns.name())))).allocationId();
        ns.apply(Manifest.join(PoolManifest.named("ips").selector(POOL_TAG, ns.name()), cluster("heal", 1, 2).poolRef("ips")));
        ready("heal", 1);
        String victim = members("heal").get(0).instanceId();
        await().ignoreExceptions().atMost(WAIT).until(() -> victim.equals(holder(address)));
        Moto.autoScaling().setInstanceHealth(b -> b.instanceId(victim).healthStatus("Unhealthy"));
        drainedBeforeTerminated("heal", victim, address);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            String successor = members("heal").get(0).instanceId();
            assertThat(successor).isNotEqualTo(victim);
            assertThat(holder(address)).as("the replacement gets its predecessor's address, after the drain").isEqualTo(successor);
        });
        ns.awaitEvent("Remediated", victim);
    }

    @Test
    void aPersonsTerminationInTheGroupDrainsToo() {
        ns.apply(cluster("manual", 2, 3).toYaml());
        ready("manual", 2);
        String victim = members("manual").get(0).instanceId();
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        drainedBeforeTerminated("manual", victim, null);
        ready("manual", 2);
    }

    /**
     * A lost drain answer is not a skipped drain (issue 23): the drainer accepts the trigger but its first answer is lost
     * (the connection closes after the request) and its second names no job the operator can read ({"jobId": …}). The
     * trigger is sent again with the same idempotency key (an idempotent drainer answers the same job), and the machine
     * waits in Terminating:Wait all along, until that job finished — not until the first answer went missing.
     */
    @Test
    void aLostDrainAnswerIsSentAgainWithTheSameKeyAndTheMachineWaitsForTheDrain() {
        drainer.idempotent().onTrigger(Answer.drop(), Answer.of(200, "{\"jobId\": \"{id}\"}"));
        ns.apply(cluster("lost", 1, 2).toYaml());
        ready("lost", 1);
        String victim = members("lost").get(0).instanceId();
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(member("lost", victim)).as("waiting while its answer is lost").get()
                    .extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
            assertThat(drainer.posts()).hasSizeGreaterThanOrEqualTo(3); // lost, unreadable, then the job id
        });
        assertThat(drainer.posts()).allSatisfy(p -> {
            assertThat(p.role()).isEqualTo("drain");
            assertThat(p.idempotencyKey()).as("the same attempt each time").isEqualTo(victim + ":1");
            assertThat(p.idempotencyHeader()).isEqualTo(victim + ":1");
        });
        assertThat(drainer.jobsStarted()).as("one drain job, however often it was sent").isEqualTo(1);
        ns.awaitEvent("DrainRetry", victim, "same idempotency key");
        String job = drainer.posts().get(0).jobId();
        for (int i = 0; i < 4; i++) { // the job runs: the machine waits for it
            assertThat(member("lost", victim)).get().extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
            assertThat(ec2(victim).state().nameAsString()).isEqualTo("running");
            sleep(1000);
        }
        assertThat(drainer.statusRequests()).extracting(TestBootstrapper.StatusRequest::jobId).contains(job);
        drainer.answer(job, Job.of(Answer.finished()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(member("lost", victim)).isEmpty());
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events", "-o", "jsonpath={range .items[*]}{.reason}:{.message};{end}"))
                .contains("DrainSucceeded:" + victim).contains("TerminationContinued:" + victim).doesNotContain("DrainTimedOut:" + victim));
    }

    @Test
    void scaleInChoosesTheMachineAndDrainsIt() {
        ns.apply(cluster("shrink", 2, 3).toYaml());
        ready("shrink", 2);
        List<Instance> before = members("shrink");
        // the unhealthy one is chosen first, though it is not the oldest (moto's own scale-in would take the first);
        // opted out of remediation, so healing does not replace it before the scale-in
        String sick = before.get(1).instanceId();
        Moto.ec2().createTags(b -> b.resources(sick).tags(t -> t.key("autoheal.io/skip-remediation").value("true")));
        Moto.autoScaling().setInstanceHealth(b -> b.instanceId(sick).healthStatus("Unhealthy"));
        await().ignoreExceptions().atMost(WAIT).until(() -> ns.kubectl("get", "hc", "shrink", "-o",
                "jsonpath={.status.instances[?(@.instanceId==\"" + sick + "\")].health}"), "Unhealthy"::equals);
        ns.kubectl("patch", "hc", "shrink", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":1}}}");
        drainedBeforeTerminated("shrink", sick, null);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(members("shrink")).extracting(Instance::instanceId).containsExactly(before.get(0).instanceId());
            assertThat(Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "shrink")))
                    .autoScalingGroups().get(0).desiredCapacity()).isEqualTo(1);
        });
        ns.awaitEvent("Scaling", sick);
    }

    @Test
    void aRolloutSurgesThenDrainsTheOldMachine() {
        ns.apply(cluster("roll", 1, 2).toYaml());
        ready("roll", 1);
        String old = members("roll").get(0).instanceId();
        ns.apply(cluster("roll", 1, 2).instanceType("t3.medium").toYaml());
        // the new machine first: two in the group, the old one still in service until its successor is
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(members("roll")).hasSize(2));
        assertThat(member("roll", old)).get().extracting(Instance::lifecycleStateAsString).isIn("InService", "Terminating:Wait");
        drainedBeforeTerminated("roll", old, null);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(members("roll")).singleElement().satisfies(i -> assertThat(i.launchTemplate().version()).isEqualTo("2"));
            assertThat(Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "roll")))
                    .autoScalingGroups().get(0).desiredCapacity()).isEqualTo(1);
        });
        ns.awaitEvent("Surged", "desired capacity raised to 2");
    }

    /**
     * The capacity promise with bootstrap on (a new machine is not ready until its job succeeded, so an
     * in-place roll would show 2 ready machines while a replacement bootstraps): sampled every second, a 3-machine
     * rollout never has fewer than 3 ready machines (status.readyReplicas) nor fewer than 3 InService.
     */
    @Test
    void aRolloutOfThreeMachinesNeverHasFewerThanThreeReady() {
        drainer.script(post -> "drain".equals(post.role()) ? Job.of(Answer.waiting(), Answer.finished()) : Job.succeeds());
        ClusterManifest three = ClusterManifest.named("three").capacity(3, 3, 4).maxUnhealthy("100%")
                .bootstrapHttp(drainer.url(), drainer.statusUrl()).drainHttp(drainer.url(), drainer.statusUrl(), "5m", null);
        ns.apply(three.toYaml());
        ready("three", 3);
        List<String> originals = members("three").stream().map(Instance::instanceId).toList();
        ns.apply(three.instanceType("t3.medium").toYaml());
        List<String> samples = new java.util.ArrayList<>();
        await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(6)).until(() -> {
            List<Instance> group = members("three");
            long inService = group.stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).count();
            String ready = ns.kubectl("get", "hc", "three", "-o", "jsonpath={.status.readyReplicas}");
            samples.add(ready + "/" + inService);
            return group.stream().noneMatch(i -> originals.contains(i.instanceId())) && group.size() == 3
                    && group.stream().allMatch(i -> "2".equals(i.launchTemplate().version())) && "3".equals(ready);
        });
        assertThat(samples).as("ready/inService, every second").allSatisfy(s -> {
            assertThat(Integer.parseInt(s.substring(0, s.indexOf('/')))).isGreaterThanOrEqualTo(3);
            assertThat(Long.parseLong(s.substring(s.indexOf('/') + 1))).isGreaterThanOrEqualTo(3);
        });
        assertThat(drainer.posts().stream().filter(p -> "drain".equals(p.role()))).as("each original drained once").hasSize(3);
    }

    /**
     * The machine leaves discovery before its drain starts: at the moment the drain job is triggered (read inside the
     * bootstrapper's request, so the order is causal, not a race of watches) the EndpointSlice already shows the
     * machine not ready. A trigger in the pass that first sees Terminating:Wait would find it still ready: the
     * publishers write only after that pass.
     */
    @Test
    void theMachineLeavesDiscoveryBeforeItsDrainStarts() {
        Map<String, String> publishedAtTrigger = new ConcurrentHashMap<>();
        drainer.script(post -> {
            publishedAtTrigger.put(post.host(), published("leave", post.host()));
            return Job.of(Answer.finished());
        });
        ns.apply(cluster("leave", 2, 3).discovery(80).toYaml());
        ready("leave", 2);
        String victim = members("leave").get(0).instanceId();
        String ip = ec2(victim).privateIpAddress();
        await().ignoreExceptions().atMost(WAIT).until(() -> published("leave", ip), "true"::equals); // so the check can fail
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        await().atMost(WAIT).until(() -> publishedAtTrigger.containsKey(ip));
        assertThat(publishedAtTrigger.get(ip)).as("the EndpointSlice's ready for " + victim + " when its drain job was triggered")
                .isIn("false", "absent");
        await().atMost(WAIT).untilAsserted(() -> assertThat(member("leave", victim)).isEmpty());
    }

    /**
     * Healing surge: a rebalance recommendation for a machine of a cluster at min (min == desired == 2 < max) raises
     * the group by one; the advised machine leaves (drained) only once its successor is bootstrapped. Sampled every
     * second from status, the machines that serve — Healthy, or the advised one still InService — are never fewer
     * than 2 (a direct replacement would leave 1 while the successor bootstraps, a poll interval at least).
     */
    @Test
    void aRebalanceRecommendationAtMinSurgesFirstAndNeverServesFewerThanMin() {
        drainer.script(post -> "drain".equals(post.role()) ? Job.of(Answer.waiting(), Answer.finished()) : Job.of(Answer.waiting(), Answer.finished()));
        ns.apply(ClusterManifest.named("advised").capacity(2, 2, 3).maxUnhealthy("100%").bootstrapHttp(drainer.url(), drainer.statusUrl())
                .drainHttp(drainer.url(), drainer.statusUrl(), "5m", null).toYaml());
        ready("advised", 2);
        List<String> originals = members("advised").stream().map(Instance::instanceId).toList();
        String advised = originals.get(0);
        Moto.announce("rebalance-recommendation", advised);
        List<String> samples = new java.util.ArrayList<>();
        await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(3)).until(() -> {
            var status = client.resources(io.autoheal.api.v1alpha1.HealingCluster.class).inNamespace(ns.name()).withName("advised").get().getStatus();
            List<io.autoheal.api.v1alpha1.InstanceStatus> rows = status == null || status.instances == null ? List.of() : status.instances;
            long serving = rows.stream().filter(r -> r.health == io.autoheal.api.v1alpha1.InstanceHealth.Healthy
                    || (r.health == io.autoheal.api.v1alpha1.InstanceHealth.Unhealthy && "RebalanceRecommended".equals(r.reason)
                    && "InService".equals(r.lifecycle))).count();
            samples.add(serving + " " + rows.stream().map(r -> r.instanceId + "=" + r.health + "/" + r.lifecycle).toList());
            List<Instance> group = members("advised");
            return group.size() == 2 && group.stream().noneMatch(i -> i.instanceId().equals(advised)) && serving == 2;
        });
        assertThat(samples).as("machines serving, every second").allSatisfy(sample ->
                assertThat(Integer.parseInt(sample.substring(0, sample.indexOf(' ')))).as(sample).isGreaterThanOrEqualTo(2));
        assertThat(members("advised")).extracting(Instance::instanceId).contains(originals.get(1));
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events", "-o", "jsonpath={range .items[*]}{.reason}:{.message};{end}"))
                .contains("Surged:Replacing " + advised + " (RebalanceRecommended)").contains("DrainSucceeded:" + advised));
        assertThat(Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "advised")))
                .autoScalingGroups().get(0).desiredCapacity()).as("back at desired").isEqualTo(2);
    }

    /**
     * onTimeout: Keep, end to end: a drain that never ends. After its timeout the machine stays in Terminating:Wait
     * (EC2 still runs it), condition DrainStuck names it, a DrainKept Warning says what to do, and
     * autoheal_drain_stuck_instances is 1. The hook's own timeout (2 h, extended by heartbeats every 30 min) cannot
     * be waited for here: DrainPlannerTest shows the heartbeats of a kept machine.
     */
    @Test
    void aDrainThatNeverEndsWithOnTimeoutKeepKeepsTheMachineAndSaysSo() {
        ns.apply(ClusterManifest.named("keep").capacity(1, 2, 3).maxUnhealthy("100%")
                .drainHttp(drainer.url(), drainer.statusUrl(), "15s", "Keep").toYaml());
        ready("keep", 2);
        String victim = members("keep").get(0).instanceId();
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        await().atMost(WAIT).until(() -> drainer.posts().stream().anyMatch(p -> p.host().equals(ec2(victim).privateIpAddress())));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            var stuck = client.resources(io.autoheal.api.v1alpha1.HealingCluster.class).inNamespace(ns.name()).withName("keep").get()
                    .getStatus().conditions.stream().filter(c -> "DrainStuck".equals(c.getType())).findFirst().orElseThrow();
            assertThat(stuck.getStatus()).isEqualTo("True");
            assertThat(stuck.getReason()).isEqualTo("DrainKept");
            assertThat(stuck.getMessage()).contains(victim);
        });
        assertThat(registry.find("autoheal.drain.stuck.instances").tag("namespace", ns.name()).tag("cluster", "keep").gauge().value())
                .isEqualTo(1.0);
        ns.awaitEvent("DrainKept", "Warning ", victim);
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos(); // kept: nothing lets it go
        while (System.nanoTime() < until) {
            assertThat(member("keep", victim)).get().extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
            assertThat(ec2(victim).state().nameAsString()).isEqualTo("running");
            sleep(1000);
        }
        assertThat(ns.kubectl("get", "events", "--field-selector", "reason=TerminationContinued")).doesNotContain(victim);
        // a person finishes the drain by hand (the runbook's step): the condition clears
        Moto.autoScaling().completeLifecycleAction(b -> b.autoScalingGroupName(io.autoheal.testing.Groups.name(ns, "keep"))
                .lifecycleHookName("autoheal-drain").instanceId(victim).lifecycleActionResult("CONTINUE"));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(member("keep", victim)).isEmpty();
            assertThat(registry.find("autoheal.drain.stuck.instances").tag("namespace", ns.name()).tag("cluster", "keep").gauge().value())
                    .isZero();
        });
    }

    /**
     * The job runner for drain (spec.drain.job), against the sandbox's real Job controller: the drain is a Job with
     * AUTOHEAL_ROLE=drain for the machine; no kubelet runs its pod, so the machine waits in Terminating:Wait until the
     * test plays the kubelet (the container exited 0); the Job controller then completes the Job and only then the
     * machine terminates.
     */
    @Test
    void theJobRunnerDrainsWithAKubernetesJob() {
        ns.apply(ClusterManifest.named("jobs").capacity(1, 2, 3).maxUnhealthy("100%").toYaml() + """
                  drain:
                    timeout: 5m
                    job:
                      template:
                        spec:
                          backoffLimit: 0
                          template:
                            spec:
                              restartPolicy: Never
                              containers:
                                - name: drain
                                  image: registry.example.com/infra/ansible-runner:2026.11
                                  command: ["sh", "-c", "ansible-playbook -i \\"$AUTOHEAL_HOST,\\" drain.yml"]
                """);
        ready("jobs", 2);
        String victim = members("jobs").get(0).instanceId();
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        io.fabric8.kubernetes.api.model.batch.v1.Job job = await().ignoreExceptions().atMost(WAIT).until(() -> client.batch().v1().jobs()
                .inNamespace(ns.name()).list().getItems().stream().filter(j -> env(j, "AUTOHEAL_INSTANCE_ID").equals(victim)).findFirst(),
                Optional::isPresent).get();
        assertThat(env(job, "AUTOHEAL_ROLE")).isEqualTo("drain");
        assertThat(env(job, "AUTOHEAL_HOST")).isEqualTo(ec2(victim).privateIpAddress());
        String jobName = job.getMetadata().getName();
        var pod = await().ignoreExceptions().atMost(WAIT).until(() -> client.pods().inNamespace(ns.name())
                .withLabel("batch.kubernetes.io/job-name", jobName).list().getItems(), pods -> pods.size() == 1).get(0);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // the pod runs nowhere: the drain is still running
        while (System.nanoTime() < until) {
            assertThat(member("jobs", victim)).get().extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
            sleep(1000);
        }
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> client.pods().inNamespace(ns.name())
                .resource(succeeded(client.pods().inNamespace(ns.name())
                        .withName(pod.getMetadata().getName()).get())).updateStatus());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(member("jobs", victim)).isEmpty();
            assertThat(ec2(victim).state().nameAsString()).isIn("shutting-down", "terminated");
        });
        assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(jobName).get().getStatus().getConditions())
                .as("the Job controller completed it before the machine went").anyMatch(c -> c.getType().equals("Complete"));
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> assertThat(ns.kubectl("get", "events", "-o", "jsonpath={range .items[*]}{.reason}:{.message};{end}"))
                .contains("DrainTriggered:" + victim).contains("DrainSucceeded:" + victim).contains("TerminationContinued:" + victim));
    }

    /** The status a kubelet reports for a pod whose one container exited 0 (as BootstrapTest plays it). */
    static io.fabric8.kubernetes.api.model.Pod succeeded(io.fabric8.kubernetes.api.model.Pod pod) {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        var container = pod.getSpec().getContainers().get(0);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).withPhase("Succeeded")
                .withContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName(container.getName())
                        .withImage(container.getImage()).withImageID("").withReady(false).withRestartCount(0).withNewState().withNewTerminated()
                        .withExitCode(0).withReason("Completed").withStartedAt(now).withFinishedAt(now).endTerminated().endState().build())
                .build());
        return pod;
    }

    static String env(io.fabric8.kubernetes.api.model.batch.v1.Job job, String name) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name))
                .map(e -> e.getValue() == null ? "" : e.getValue()).findFirst().orElse("");
    }

    /** The published ready condition of the endpoint with this address: "true", "false", or "absent". */
    String published(String service, String address) {
        return client.discovery().v1().endpointSlices().inNamespace(ns.name()).withLabel("kubernetes.io/service-name", service).list()
                .getItems().stream().flatMap(s -> Optional.ofNullable(s.getEndpoints()).orElse(List.of()).stream())
                .filter(e -> e.getAddresses() != null && e.getAddresses().contains(address)).findFirst()
                .map(Endpoint::getConditions).map(c -> String.valueOf(c.getReady())).orElse("absent");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
