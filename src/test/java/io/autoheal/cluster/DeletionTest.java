package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.bootstrap.TestBootstrapper.Job;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.TestNamespace;
import io.autoheal.testing.SandboxTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * Deleting a HealingCluster (operator in-process, real kube-apiserver, moto whose DeleteAutoScalingGroup refuses a
 * group with instances unless forced, sandbox/moto/autoheal_moto_delete.py): deletionPolicy Delete drains every
 * machine through the terminating hook before it terminates, then deletes the empty group and the template, and only
 * then lets the resource go; force only with the annotation; an adopted group survives by default.
 */
@SandboxTest
class DeletionTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("deletion");

    TestBootstrapper drainer;

    @BeforeEach
    void start() throws Exception {
        Moto.reset();
        drainer = TestBootstrapper.start();
        drainer.script(post -> Job.of(Answer.waiting())); // a drain runs until the test finishes it
    }

    @AfterEach
    void stop() {
        // what is left of a failed test goes at once (its drains would wait for the test's answer)
        Kubectl.exec(null, "annotate", "healingclusters", "--all", "-n", ns.name(), DeletionPlanner.FORCE_ANNOTATION + "=true", "--overwrite");
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=90s");
        drainer.close();
    }

    ClusterManifest drained(String name, int desired) {
        return ClusterManifest.named(name).capacity(1, desired, 3).maxUnhealthy("100%").drainHttp(drainer.url(), drainer.statusUrl(), "5m", null);
    }

    Optional<Instance> member(String cluster, String id) {
        AutoScalingGroup g = Groups.of(ns, cluster);
        return g == null ? Optional.empty() : g.instances().stream().filter(i -> i.instanceId().equals(id)).findFirst();
    }

    String ec2State(String id) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state().nameAsString();
    }

    boolean exists(String cluster) {
        return !Kubectl.exec(null, "get", "hc", cluster, "-n", ns.name()).output().contains("NotFound");
    }

    List<String> ready(String cluster, int n) {
        await().ignoreExceptions().atMost(WAIT).until(() -> ns.kubectl("get", "hc", cluster, "-o", "jsonpath={.status.readyReplicas}"),
                r -> r.equals(String.valueOf(n)));
        return Groups.of(ns, cluster).instances().stream().map(Instance::instanceId).toList();
    }

    boolean templateExists(String name) {
        return Moto.ec2().describeLaunchTemplates().launchTemplates().stream().anyMatch(t -> t.launchTemplateName().equals(name));
    }

    @Test
    void deleteDrainsEveryMachineBeforeItTerminatesThenDeletesTheGroupAndTheTemplate() {
        ns.apply(drained("doomed", 2).toYaml());
        List<String> machines = ready("doomed", 2);
        String group = Groups.name(ns, "doomed");
        assertThat(templateExists(group)).as("the owned template carries the group's name").isTrue();
        assertThat(Groups.of(ns, "doomed").tags()).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo(Tags.INSTALLATION);
            assertThat(t.value()).isEqualTo("default");
            assertThat(t.propagateAtLaunch()).isTrue();
        });
        assertThat(Moto.ec2().describeInstances(b -> b.instanceIds(machines.get(0))).reservations().get(0).instances().get(0).tags())
                .as("the installation tag reaches the machines").anySatisfy(t -> assertThat(t.key() + "=" + t.value())
                        .isEqualTo(Tags.INSTALLATION + "=default"));

        ns.kubectl("delete", "hc", "doomed", "--wait=false");

        Set<String> drainedOnes = new HashSet<>();
        for (int round = 0; round < machines.size(); round++) {
            // a drain job for a machine still in the group: it waits in Terminating:Wait, running, while its drain runs
            TestBootstrapper.Post post = await().atMost(WAIT).until(() -> drainer.posts().stream()
                    .filter(p -> drainedOnes.stream().noneMatch(d -> d.equals(p.jobId()))).findFirst(), Optional::isPresent).get();
            String victim = machines.stream().filter(id -> post.host().equals(privateIp(id))).findFirst().orElseThrow();
            assertThat(post.role()).isEqualTo("drain");
            for (int sample = 0; sample < 3; sample++) {
                assertThat(member("doomed", victim)).as("still in its group while it drains").get()
                        .extracting(Instance::lifecycleStateAsString).isEqualTo("Terminating:Wait");
                assertThat(ec2State(victim)).as("EC2 still runs it while it drains").isEqualTo("running");
                assertThat(exists("doomed")).as("the finalizer holds the resource").isTrue();
                sleep(1000);
            }
            drainedOnes.add(post.jobId());
            drainer.answer(post.jobId(), Job.of(Answer.finished()));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(member("doomed", victim)).isEmpty();
                assertThat(ec2State(victim)).isIn("shutting-down", "terminated");
            });
        }
        assertThat(drainer.posts()).as("one drain per machine, never twice").hasSize(machines.size());
        await().atMost(WAIT).until(() -> !exists("doomed"));
        assertThat(Groups.of(ns, "doomed")).isNull();
        assertThat(templateExists(group)).isFalse();
        await().atMost(TestNamespace.EVENT_WAIT).untilAsserted(() -> {
            String events = ns.kubectl("get", "events", "-o", "jsonpath={range .items[*]}{.reason}:{.note}{.message};{end}");
            assertThat(events).contains("Deleting:Deleting: scaling Auto Scaling Group " + group + " from 2 machine(s) to 0")
                    .contains("machine(s) left in " + group).contains("deleting the empty Auto Scaling Group " + group);
            machines.forEach(id -> assertThat(events).contains("DrainSucceeded:" + id));
        });
    }

    @Test
    void onlyTheAnnotationForcesADeleteAndThenEveryMachineTerminatesAtOnce() {
        ns.apply(drained("forced", 2).toYaml());
        List<String> machines = ready("forced", 2);
        ns.kubectl("annotate", "hc", "forced", DeletionPlanner.FORCE_ANNOTATION + "=true");
        ns.kubectl("delete", "hc", "forced", "--timeout=60s");
        assertThat(Groups.of(ns, "forced")).isNull();
        machines.forEach(id -> assertThat(ec2State(id)).isIn("shutting-down", "terminated"));
        assertThat(drainer.posts()).as("no drain: force skips the hook").isEmpty();
        ns.awaitEvent("Deleting", "Force-deleting");
    }

    @Test
    void anAdoptedGroupSurvivesTheDeletionOfItsClusterByDefault() {
        String name = "adopted-" + ns.name();
        String subnet = Moto.defaultSubnets().get(0);
        String lt = Moto.ec2().createLaunchTemplate(b -> b.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId("ami-0123456789abcdef0").instanceType("t3.micro"))).launchTemplate().launchTemplateId();
        Moto.autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName(name).minSize(1).maxSize(3).desiredCapacity(1)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(lt).version("$Latest")));
        ns.apply(ClusterManifest.named("given").capacity(1, 1, 3).maxUnhealthy("100%").adopt(name).toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(group(name).tags())
                .anySatisfy(t -> assertThat(t.key()).isEqualTo(Tags.CLUSTER)));
        await().ignoreExceptions().atMost(WAIT).until(() -> group(name).instances().stream()
                .filter(i -> "InService".equals(i.lifecycleStateAsString())).count() == 1);
        String machine = group(name).instances().get(0).instanceId();

        ns.kubectl("delete", "hc", "given", "--timeout=60s");

        AutoScalingGroup kept = group(name);
        assertThat(kept).as("deletionPolicy unset on an adopted group: Orphan").isNotNull();
        assertThat(kept.desiredCapacity()).isEqualTo(1);
        assertThat(kept.instances()).extracting(Instance::instanceId).containsExactly(machine);
        assertThat(ec2State(machine)).isEqualTo("running");
        assertThat(kept.tags()).noneMatch(t -> t.key().equals(Tags.CLUSTER));
    }

    AutoScalingGroup group(String name) {
        List<AutoScalingGroup> groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
        return groups.isEmpty() ? null : groups.get(0);
    }

    String privateIp(String id) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).privateIpAddress();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
