package io.autoheal.bench;

import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Measurement 2: how long from a machine's stop (EC2 StopInstances in moto) until the operator terminates it (its
 * group member goes Terminating, or the instance shutting-down or terminated, or it left its group), at the default
 * resync. Ten clusters of 3 machines; one machine of each is stopped, the stops spread over one resync interval at
 * seeded random offsets so that the samples fall at every phase of the operator's polling; moto is polled every 200 ms.
 */
final class ReactionBench {
    static final Duration RESYNC = Duration.ofSeconds(30); // the operator's default
    static final int SAMPLES = 10;
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration SAMPLE_TIMEOUT = RESYNC.multipliedBy(3);
    /** The modes measured today; the event-driven issue adds its mode (an SQS queue) here and to {@link Mode}. */
    static final List<Mode> MODES = List.of(Mode.BASELINE, Mode.INVENTORY, Mode.EVENTS);
    /** Rows shown in the table for modes that do not exist yet (label, goal). */
    /** Modes with a goal but no measurement yet (none: the event-driven mode is EVENTS). */
    static final Map<String, String> PLANNED = Map.of();
    private static final Set<String> GONE = Set.of("shutting-down", "terminated");

    private final BenchClock clock;
    private final List<String> namespaces;

    ReactionBench(BenchClock clock, List<String> namespaces) {
        this.clock = clock;
        this.namespaces = namespaces;
    }

    static Duration estimate() {
        return Duration.ofSeconds(90).plus(RESYNC.multipliedBy(2));
    }

    ReactionResult run(Mode mode) throws Exception {
        String what = "reaction, " + mode.label;
        Moto.reset();
        BenchFleet fleet = BenchFleet.create("reaction-" + mode.label, SAMPLES, false);
        namespaces.add(fleet.namespace);
        fleet.apply();
        Map<String, String> env = new HashMap<>(mode.env());
        env.put("AUTOHEAL_WATCH_NAMESPACES", fleet.namespace);
        env.putIfAbsent("AUTOHEAL_RESYNC_INTERVAL", RESYNC.toSeconds() + "s");
        try (OperatorProcess operator = OperatorProcess.start("bench-reaction-" + mode.label, env)) {
            clock.say("%s: operator started, %d clusters of %d machines applied in %s", what, SAMPLES, BenchFleet.MACHINES, fleet.namespace);
            if (!fleet.awaitReady(Duration.ofSeconds(180), clock, what)) {
                clock.say("%s: NOT MEASURED; operator log tail:%n%s", what, AwsCallsBench.tail(operator.log(), 30));
                return ReactionResult.failed(mode.label, "not every cluster was Ready within 180 s");
            }
            BenchClock.sleep(Duration.ofSeconds(3));
            ReactionResult r = sample(mode, victims(fleet));
            if (!operator.alive()) {
                return ReactionResult.failed(mode.label, "the operator died during the samples");
            }
            clock.say("%s: median %.1f s, worst %s over %d samples (each poll took %.0f ms)", what, r.median(),
                    r.timeouts() > 0 ? "> " + (long) r.timeoutSeconds() + " s" : String.format("%.1f s", r.worst()), SAMPLES, r.pollLatencyMs());
            return r;
        }
    }

    /** One in-service machine per cluster. */
    private static List<String> victims(BenchFleet fleet) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < fleet.clusters; c++) {
            String asg = io.autoheal.cluster.ClusterNames.owned(io.autoheal.fleet.Installations.LEGACY, fleet.namespace, BenchFleet.clusterName(c));
            out.add(Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(asg)).autoScalingGroups().get(0)
                    .instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(asg + " has no machine in service")).instanceId());
        }
        return out;
    }

    private ReactionResult sample(Mode mode, List<String> victims) {
        Random random = new Random(13);
        long t0 = System.nanoTime();
        long slot = RESYNC.toNanos() / SAMPLES;
        long[] stopAt = new long[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            stopAt[k] = t0 + k * slot + (long) (random.nextDouble() * slot);
        }
        long[] stopped = new long[SAMPLES];
        Double[] reaction = new Double[SAMPLES];
        boolean[] timedOut = new boolean[SAMPLES];
        long pollNanos = 0;
        int polls = 0;
        while (true) {
            long loop = System.nanoTime();
            for (int k = 0; k < SAMPLES; k++) {
                if (stopped[k] == 0 && loop >= stopAt[k]) {
                    String id = victims.get(k);
                    Moto.ec2().stopInstances(b -> b.instanceIds(id));
                    stopped[k] = System.nanoTime();
                    clock.say("reaction, %s: stopped %s (sample %d/%d)", mode.label, id, k + 1, SAMPLES);
                }
            }
            List<Integer> pending = new ArrayList<>();
            for (int k = 0; k < SAMPLES; k++) {
                if (stopped[k] != 0 && reaction[k] == null && !timedOut[k]) {
                    pending.add(k);
                }
            }
            boolean allStopped = java.util.Arrays.stream(stopped).allMatch(s -> s != 0);
            if (pending.isEmpty() && allStopped) {
                break;
            }
            if (!pending.isEmpty()) {
                List<String> ids = pending.stream().map(victims::get).toList();
                long sent = System.nanoTime();
                Map<String, String> states = new HashMap<>();
                Moto.ec2().describeInstancesPaginator(b -> b.instanceIds(ids)).reservations()
                        .forEach(r -> r.instances().forEach((Instance i) -> states.put(i.instanceId(), i.state().nameAsString())));
                Map<String, String> lifecycle = new HashMap<>();
                Moto.autoScaling().describeAutoScalingInstances(b -> b.instanceIds(ids)).autoScalingInstances()
                        .forEach((AutoScalingInstanceDetails d) -> lifecycle.put(d.instanceId(), d.lifecycleState()));
                long received = System.nanoTime();
                pollNanos += received - sent;
                polls++;
                for (int k : pending) {
                    String id = victims.get(k);
                    String life = lifecycle.get(id);
                    boolean terminated = GONE.contains(states.get(id)) || life == null || life.startsWith("Terminat");
                    if (terminated) {
                        reaction[k] = (received - stopped[k]) / 1e9;
                        clock.say("reaction, %s: %s terminated by the operator %.1f s after its stop", mode.label, id, reaction[k]);
                    } else if (received - stopped[k] > SAMPLE_TIMEOUT.toNanos()) {
                        timedOut[k] = true;
                        clock.say("reaction, %s: %s still not terminated %d s after its stop", mode.label, id, SAMPLE_TIMEOUT.toSeconds());
                    }
                }
            }
            long rest = POLL.toNanos() - (System.nanoTime() - loop);
            if (rest > 0) {
                BenchClock.sleep(Duration.ofNanos(rest));
            }
        }
        List<Double> seconds = new ArrayList<>();
        int timeouts = 0;
        for (int k = 0; k < SAMPLES; k++) {
            if (reaction[k] != null) {
                seconds.add(reaction[k]);
            } else {
                timeouts++;
            }
        }
        return new ReactionResult(mode.label, seconds, timeouts, SAMPLE_TIMEOUT.toSeconds(), polls == 0 ? 0 : pollNanos / 1e6 / polls, null);
    }
}
