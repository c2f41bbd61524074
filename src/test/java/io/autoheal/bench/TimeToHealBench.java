package io.autoheal.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.Installations;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Issue 27's time to heal, side by side: a cluster of 2 machines whose bootstrap takes 20 s (TestBootstrapper), each
 * with an Elastic IP; one machine is stopped (EC2 StopInstances in moto) and the clock runs until its replacement is
 * Ready (healthy, bootstrapped) holding the predecessor's address — once with spec.warmPool.size 1, once without. The
 * packaged operator runs with the sandbox's event queue and the default resync; status is read every 100 ms.
 */
final class TimeToHealBench {
    static final Duration BOOTSTRAP = Duration.ofSeconds(20);
    static final Duration GOAL_WITH_SPARE = Duration.ofSeconds(5);
    static final Duration POLL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One run: how long, whether a bootstrap job ran for the replacement, and why it was not measured (null if it was). */
    record Result(String label, Duration took, boolean newJob, String replacement, String error) {
        boolean measured() {
            return error == null;
        }
    }

    private final BenchClock clock;
    private final List<String> namespaces;

    TimeToHealBench(BenchClock clock, List<String> namespaces) {
        this.clock = clock;
        this.namespaces = namespaces;
    }

    static Duration estimate() {
        return Duration.ofMinutes(4);
    }

    List<Result> run() throws Exception {
        List<Result> out = new ArrayList<>();
        out.add(measure(true));
        out.add(measure(false));
        return out;
    }

    Result measure(boolean spare) throws Exception {
        String label = spare ? "with a warm spare" : "without";
        Moto.reset();
        String ns = "bench-heal-" + (spare ? "warm" : "cold") + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        Kubectl.run("create", "namespace", ns);
        namespaces.add(ns);
        try (TestBootstrapper bootstrapper = TestBootstrapper.start().takes(BOOTSTRAP)) {
            ClusterManifest cluster = ClusterManifest.named("heal").capacity(2, 2, 3).maxUnhealthy("100%").poolRef("ips")
                    .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).gateLaunch();
            if (spare) {
                cluster.warmPool(1);
            }
            Map<String, String> env = new java.util.HashMap<>(Mode.EVENTS.env());
            env.put("AUTOHEAL_WATCH_NAMESPACES", ns);
            env.put("AUTOHEAL_RESYNC_INTERVAL", "30s"); // the default: the event queue, not the resync, brings the news
            try (OperatorProcess operator = OperatorProcess.start("bench-heal-" + (spare ? "warm" : "cold"), env)) {
                apply(ns, PoolManifest.named("ips").allocate(3).toYaml() + "\n---\n" + cluster.toYaml());
                String asg = ClusterNames.owned(Installations.LEGACY, ns, "heal");
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (ready(ns).size() < 2 || spare && !spares(asg).containsValue("Warmed:Stopped")) {
                    if (System.nanoTime() > deadline || !operator.alive()) {
                        clock.say("time to heal, %s: NOT MEASURED; operator log tail:%n%s", label, AwsCallsBench.tail(operator.log(), 30));
                        return new Result(label, null, false, null, "the cluster was not Ready (with its spare) within 150 s");
                    }
                    BenchClock.sleep(Duration.ofMillis(500));
                }
                Map<String, String> before = ready(ns);
                String victim = before.keySet().stream().sorted().findFirst().orElseThrow();
                String address = before.get(victim);
                int posts = bootstrapper.posts().size();
                clock.say("time to heal, %s: cluster Ready%s; stopping %s (holds %s)", label, spare ? " with one spare" : "", victim, address);
                long stopped = System.nanoTime();
                Moto.ec2().stopInstances(b -> b.instanceIds(victim));
                long limit = stopped + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < limit) {
                    Optional<String> successor = ready(ns).entrySet().stream()
                            .filter(e -> !e.getKey().equals(victim) && address.equals(e.getValue())).map(Map.Entry::getKey).findFirst();
                    if (successor.isPresent()) {
                        Duration took = Duration.ofNanos(System.nanoTime() - stopped);
                        String host = privateIp(successor.get());
                        boolean newJob = bootstrapper.posts().subList(posts, bootstrapper.posts().size()).stream()
                                .anyMatch(p -> host.equals(p.host()));
                        clock.say("time to heal, %s: %s Ready with %s %.1f s after the stop (%s)", label, successor.get(), address,
                                took.toMillis() / 1000.0, newJob ? "a bootstrap job ran for it" : "no bootstrap job for it");
                        return new Result(label, took, newJob, successor.get(), null);
                    }
                    BenchClock.sleep(POLL);
                }
                return new Result(label, null, false, null, "no successor Ready with " + address + " within 120 s");
            }
        }
    }

    /** Ready rows (healthy: bootstrapped) holding an Elastic IP: instance id to allocation id. */
    private static Map<String, String> ready(String ns) throws Exception {
        Kubectl.Result r = Kubectl.exec(null, "get", "healingcluster", "heal", "-n", ns, "-o", "json");
        if (r.exitCode() != 0) {
            return Map.of();
        }
        HealingCluster hc = JSON.readValue(r.output(), HealingCluster.class);
        List<InstanceStatus> rows = hc.getStatus() == null || hc.getStatus().instances == null ? List.of() : hc.getStatus().instances;
        return rows.stream().filter(x -> x.health == InstanceHealth.Healthy && x.eipAllocationId != null)
                .collect(Collectors.toMap(x -> x.instanceId, x -> x.eipAllocationId));
    }

    private static Map<String, String> spares(String asg) {
        try {
            return Moto.autoScaling().describeWarmPool(b -> b.autoScalingGroupName(asg)).instances().stream()
                    .collect(Collectors.toMap(i -> i.instanceId(), i -> i.lifecycleStateAsString()));
        } catch (RuntimeException e) {
            return Map.of(); // the group or its pool is not there yet
        }
    }

    private static String privateIp(String instanceId) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).privateIpAddress();
    }

    private static void apply(String ns, String yaml) {
        Kubectl.Result r = Kubectl.exec(yaml, "apply", "-n", ns, "-f", "-");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("kubectl apply failed: " + r.output());
        }
    }

    /** The table and one verdict line per goal. */
    static String report(List<Result> results) {
        StringBuilder md = new StringBuilder("| replacement of a stopped machine (20 s bootstrap) | stop → Ready with the predecessor's Elastic IP "
                + "| bootstrap job for the replacement |\n|---|---|---|\n");
        for (Result r : results) {
            md.append("| ").append(r.label()).append(" | ").append(r.measured() ? String.format("%.1f s", r.took().toMillis() / 1000.0)
                    : "not measured: " + r.error()).append(" | ").append(r.measured() ? r.newJob() ? "yes" : "none" : "-").append(" |\n");
        }
        return md.toString();
    }

    static List<String> verdicts(List<Result> results) {
        List<String> out = new ArrayList<>();
        Result warm = results.stream().filter(r -> r.label().startsWith("with")).findFirst().orElse(null);
        Result cold = results.stream().filter(r -> r.label().equals("without")).findFirst().orElse(null);
        if (warm != null && warm.measured()) {
            boolean met = warm.took().compareTo(GOAL_WITH_SPARE) < 0 && !warm.newJob();
            out.add(String.format("%s time to heal with a warm spare: %.1f s, no new bootstrap job: %s (goal < %d s, well under one %d s bootstrap)",
                    met ? "MET " : "MISSED", warm.took().toMillis() / 1000.0, !warm.newJob(), GOAL_WITH_SPARE.toSeconds(), BOOTSTRAP.toSeconds()));
        } else {
            out.add("NOT MEASURED time to heal with a warm spare" + (warm == null ? "" : ": " + warm.error()));
        }
        if (cold != null && cold.measured()) {
            out.add(String.format("INFO time to heal without a spare: %.1f s (a cold launch and one %d s bootstrap)%s", cold.took().toMillis() / 1000.0,
                    BOOTSTRAP.toSeconds(), warm != null && warm.measured() ? String.format("; the spare saves %.1f s",
                            (cold.took().toMillis() - warm.took().toMillis()) / 1000.0) : ""));
        } else {
            out.add("NOT MEASURED time to heal without a spare" + (cold == null ? "" : ": " + cold.error()));
        }
        return out;
    }
}
