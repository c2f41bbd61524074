package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.RolloutPhase;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PassCounter;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * spec.rollout end to end with probes (operator in-process, real API server, moto): a new instance type whose machines
 * fail their HTTP probe is rolled back after its first machine, and a healthy one completes with Progressing going True
 * then False and kubectl wait --for=condition=Ready returning. The probed service ({@link LoopbackServices}, on the
 * machines' Elastic IPs in 127.0.0.0/8) answers 503 exactly when the machine holding the address is of the new type.
 */
@SandboxTest
class RolloutProbesTest {
    static final Duration SETTLE = Duration.ofSeconds(90);
    static final String OLD = "t3.small";
    static final String NEW = "t3.medium";
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("rollout").freshAws().deleteAfterEach("healingclusters,elasticippools");

    @Inject
    KubernetesClient client;
    @Inject
    PassCounter passes;

    LoopbackServices services;
    /** instance id → instance type: fixed for an instance's life. */
    final Map<String, String> types = new ConcurrentHashMap<>();

    @BeforeEach
    void listen() throws Exception {
        services = new LoopbackServices();
        services.http503When = address -> NEW.equals(typeAt(address));
    }

    @AfterEach
    void close() throws Exception {
        services.close();
    }

    private ClusterManifest cluster(String name, int desired, String rollout) {
        return ClusterManifest.named(name).capacity(desired, desired, desired + 1).poolRef(name + "-ips")
                .probe("{name: web, http: {port: " + services.httpPort() + ", path: /healthz}, address: ElasticIp, periodSeconds: 1,"
                        + " failureThreshold: 2}")
                .rollout(rollout);
    }

    @Test
    void aNewInstanceTypeWhoseMachinesFailTheirProbeIsRolledBackAfterItsFirstMachine() throws Exception {
        long started = System.nanoTime();
        // the bake (15 s) outlasts the probes' verdict (2 failures 1 s apart, after the machine came into service)
        ClusterManifest web = cluster("bad", 3, "{bakeTime: 15s, onFailure: Rollback}");
        ns.apply(Manifest.join(PoolManifest.named("bad-ips").allocate(4), web));
        settled("bad", 3);

        long rolling = System.nanoTime();
        ns.apply(web.instanceType(NEW).toYaml());
        Set<String> launchedNew = new TreeSet<>();
        List<Integer> oldServing = new ArrayList<>();
        await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofMinutes(3)).until(() -> {
            launchedNew.addAll(ofType("bad", NEW));
            List<Instance> inService = inService("bad");
            oldServing.add((int) inService.stream().filter(i -> OLD.equals(i.instanceTypeAsString())).count());
            HealingCluster hc = get("bad");
            return hc.getStatus().rollout != null && hc.getStatus().rollout.phase == RolloutPhase.Failed && inService.size() == 3
                    && inService.stream().allMatch(i -> OLD.equals(i.instanceTypeAsString())) && members("bad").size() == 3;
        });
        long rolledBackMs = (System.nanoTime() - rolling) / 1_000_000;

        // not retried: the failed version stays failed while the spec does not change, for 3 more passes (each could launch)
        passes.awaitMore(ns.name(), "bad", 3, Duration.ofSeconds(60));
        launchedNew.addAll(ofType("bad", NEW));
        assertThat(launchedNew).as("new-type machines ever launched").isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(oldServing).as("old-type machines in service, sampled every 0.5 s (desired 3)").allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
        assertThat(inService("bad")).hasSize(3).allSatisfy(i -> assertThat(i.instanceTypeAsString()).isEqualTo(OLD));

        HealingCluster hc = get("bad");
        Condition progressing = Conditions.find(hc.getStatus().conditions, ConditionType.Progressing).orElseThrow();
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getReason()).isEqualTo("RolledBack");
        assertThat(progressing.getMessage()).contains("launch template version 2 failed", "ProbeFailed");
        assertThat(progressing.getObservedGeneration()).isEqualTo(hc.getMetadata().getGeneration());
        assertThat(hc.getStatus().rollout.failedVersion).isEqualTo("2");
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("1");
        ns.awaitEvent("RolledBack", "Warning ", "Rolling back to version 1", "ProbeFailed");
        System.out.printf("RolloutProbesTest: rolled back in %d ms after the change (%d new-type machines launched, fewest old in service %d);"
                + " test %d ms%n", rolledBackMs, launchedNew.size(), oldServing.stream().mapToInt(Integer::intValue).min().orElse(-1),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void aHealthyRolloutCompletesWithProgressingTrueThenFalseAndKubectlWaitReturns() {
        long started = System.nanoTime();
        ClusterManifest web = cluster("good", 2, "{bakeTime: 3s}");
        ns.apply(Manifest.join(PoolManifest.named("good-ips").allocate(3), web));
        settled("good", 2);
        services.http503When = address -> false; // the new type serves

        long rolling = System.nanoTime();
        ns.apply(web.instanceType(NEW).toYaml());
        List<String> progressing = new ArrayList<>();
        await().pollInterval(Duration.ofMillis(300)).atMost(Duration.ofMinutes(3)).until(() -> {
            Conditions.find(get("good").getStatus().conditions, ConditionType.Progressing)
                    .map(c -> c.getStatus() + ":" + c.getReason())
                    .filter(p -> progressing.isEmpty() || !progressing.get(progressing.size() - 1).equals(p)).ifPresent(progressing::add);
            return progressing.size() > 1 && progressing.get(progressing.size() - 1).equals("False:NewVersionAvailable");
        });
        String waited = ns.kubectl("wait", "--for=condition=Ready", "healingcluster/good", "--timeout=60s");
        long completedMs = (System.nanoTime() - rolling) / 1_000_000;

        assertThat(waited).contains("condition met");
        assertThat(progressing).as("Progressing after the change").contains("True:RollingOut").last().isEqualTo("False:NewVersionAvailable");
        assertThat(progressing.indexOf("True:RollingOut")).isLessThan(progressing.lastIndexOf("False:NewVersionAvailable"));
        assertThat(inService("good")).hasSize(2).allSatisfy(i -> assertThat(i.instanceTypeAsString()).isEqualTo(NEW));
        HealingCluster hc = get("good");
        assertThat(hc.getStatus().rollout.phase).isEqualTo(RolloutPhase.Complete);
        assertThat(hc.getStatus().rollout.stableVersion).isEqualTo("2");
        assertThat(hc.getStatus().observedGeneration).isEqualTo(hc.getMetadata().getGeneration());
        assertThat(hc.getStatus().conditions).allSatisfy(c -> assertThat(c.getObservedGeneration()).as(c.getType())
                .isEqualTo(hc.getMetadata().getGeneration()));
        System.out.printf("RolloutProbesTest: healthy rollout of 2 machines completed in %d ms (Progressing %s); test %d ms%n",
                completedMs, progressing, (System.nanoTime() - started) / 1_000_000);
    }

    /** desired machines in service, each probed twice through its Elastic IP, and the first rollout complete. */
    private void settled(String name, int desired) {
        await().ignoreExceptions().atMost(SETTLE).until(() -> {
            List<Instance> serving = inService(name);
            HealingCluster hc = get(name);
            return serving.size() == desired && serving.stream().allMatch(i -> {
                String ip = eipOf(i.instanceId());
                return ip != null && LoopbackServices.hits(services.httpHits, ip) >= 2;
            }) && hc.getStatus().rollout != null && hc.getStatus().rollout.phase == RolloutPhase.Complete;
        });
    }

    private HealingCluster get(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    /** The group's members (any lifecycle state). */
    private List<String> members(String name) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(Groups.name(ns, name))).autoScalingGroups()
                .stream().flatMap(g -> g.instances().stream()).map(i -> i.instanceId()).toList();
    }

    /** The group's InService members, as EC2 describes them (running). */
    private List<Instance> inService(String name) {
        List<String> ids = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(Groups.name(ns, name))).autoScalingGroups()
                .stream().flatMap(g -> g.instances().stream()).filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(i -> i.instanceId()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return Moto.ec2().describeInstances(b -> b.instanceIds(ids)).reservations().stream().flatMap(r -> r.instances().stream())
                .filter(i -> "running".equals(i.state().nameAsString())).toList();
    }

    /** Every instance of the cluster of this type, in any state: what was ever launched. */
    private List<String> ofType(String name, String type) {
        String key = ns.name() + "/" + name;
        return Moto.ec2().describeInstances(b -> b.filters(f -> f.name("tag:autoheal.io/cluster").values(key))).reservations().stream()
                .flatMap(r -> r.instances().stream()).filter(i -> type.equals(i.instanceTypeAsString())).map(Instance::instanceId).toList();
    }

    /** The instance type of the machine holding this Elastic IP now; null when none holds it (or moto did not say). */
    private String typeAt(String address) {
        try {
            return typeOfHolder(address);
        } catch (RuntimeException e) {
            return null; // the service then answers 200: a hiccup never fails an old machine's probe
        }
    }

    private String typeOfHolder(String address) {
        String instanceId = Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("public-ip").values(address))).addresses().stream()
                .map(a -> a.instanceId()).filter(id -> id != null && !id.isEmpty()).findFirst().orElse(null);
        return instanceId == null ? null : types.computeIfAbsent(instanceId, id -> Moto.ec2().describeInstances(b -> b.instanceIds(id))
                .reservations().get(0).instances().get(0).instanceTypeAsString());
    }

    private static String eipOf(String instanceId) {
        return Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("instance-id").values(instanceId))).addresses().stream()
                .filter(a -> instanceId.equals(a.instanceId())).map(a -> a.publicIp()).sorted().findFirst().orElse(null);
    }
}
