package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.cluster.InService;
import io.autoheal.health.probe.ProbeAddressGuard;
import io.autoheal.health.probe.ProbeConnector;
import io.autoheal.health.probe.Prober;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.ProbeMetrics;
import io.autoheal.testing.FastOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Application probes in the fast tier: the real prober (book, guard, thresholds, vantage point) with a fake connector
 * that answers from a script — nothing is sent anywhere — on the real reconcilers and the in-memory fleet.
 */
@Tag("fast")
class ProbesFastTest {
    static final Duration TICK = Duration.ofSeconds(10);

    /** Answers every probe at once from {@link #answer} (address → error, null = alive); records every attempt. */
    static final class ScriptedConnector implements ProbeConnector {
        final List<String> attempts = new CopyOnWriteArrayList<>();
        volatile Function<String, String> answer = address -> null;

        @Override
        public void probe(ProbeSpec spec, String address, Consumer<String> done) {
            attempts.add(address);
            done.accept(answer.apply(address));
        }
    }

    final ScriptedConnector connector = new ScriptedConnector();
    final List<String> woken = new CopyOnWriteArrayList<>();
    private FastOperator op;
    private Prober prober;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void start(List<String> probeAllowed) {
        Clock[] clock = new Clock[1];
        Clock lazy = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock[0].instant();
            }
        };
        prober = new Prober(connector, new ProbeAddressGuard(probeAllowed, List.of("any")), woken::add, new ProbeMetrics(registry), lazy);
        op = FastOperator.builder().healthSource(prober).build();
        clock[0] = op.clock;
    }

    /** One resync of everything, then the probes that are due (the prober's 100 ms timer in production). */
    private void run(int times) {
        for (int i = 0; i < times; i++) {
            op.tick(TICK);
            prober.tick();
        }
    }

    static HealingCluster probed(HealingCluster hc, ProbeSpec.ProbeAddress address) {
        ProbeSpec web = new ProbeSpec();
        web.name = "web";
        web.http = new ProbeSpec.HttpProbe();
        web.http.port = 8080;
        web.http.path = "/healthz";
        web.address = address;
        hc.getSpec().health.probes = List.of(web);
        return hc;
    }

    private HealingCluster settled(HealingCluster hc) {
        op.clusters.add(hc);
        run(6);
        assertThat(op.fleet.serving(asg(hc))).hasSize(hc.getSpec().capacity.desired);
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).as("Ready").isTrue();
        return hc;
    }

    private static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, List.of());
    }

    private static Optional<InstanceStatus> row(HealingCluster hc, String id) {
        return hc.getStatus().instances.stream().filter(r -> r.instanceId.equals(id)).findFirst();
    }

    @Test
    void aMachineFailingItsProbeIsReplacedTheOthersUntouchedAndItsSuccessorKeepsItsElasticIp() {
        start(List.of("198.51.0.0/16")); // the in-memory fleet's Elastic IPs
        op.pools.add(pool("edge", 3));
        HealingCluster hc = settled(probed(withPool(cluster("a", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp));
        Map<String, String> held = op.fleet.serving(asg(hc)).stream().collect(Collectors.toMap(i -> i, op.fleet::addressOf));
        String victim = op.fleet.serving(asg(hc)).get(1);
        String victimIp = row(hc, victim).orElseThrow().publicIp;
        assertThat(connector.attempts).as("the Elastic IPs are probed").contains(victimIp);
        connector.answer = address -> address.equals(victimIp) && !"terminated".equals(op.fleet.state(victim)) ? "HTTP 503" : null;

        List<InstanceStatus> seenUnhealthy = new ArrayList<>();
        for (int i = 0; i < 10 && !"terminated".equals(op.fleet.state(victim)); i++) {
            run(1);
            row(hc, victim).filter(r -> r.health == InstanceHealth.Unhealthy).ifPresent(seenUnhealthy::add);
        }
        assertThat(seenUnhealthy).as("its status row names the probe and the last error").first().satisfies(r -> {
            assertThat(r.reason).isEqualTo("ProbeFailed");
            assertThat(r.healthSource).isEqualTo("web");
            assertThat(r.healthDetail).isEqualTo("HTTP 503");
            assertThat(InService.of(r, false)).as("not ready in discovery").isFalse();
        });
        assertThat(woken).as("the failure woke its cluster").contains(hc.ownerKey());
        run(8);
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        List<String> successors = new ArrayList<>(op.fleet.serving(asg(hc)));
        successors.removeAll(held.keySet());
        assertThat(successors).singleElement().satisfies(s -> assertThat(op.fleet.addressOf(s)).isEqualTo(held.get(victim)));
        held.keySet().stream().filter(i -> !i.equals(victim)).forEach(i -> {
            assertThat(op.fleet.state(i)).isEqualTo("running");
            assertThat(op.fleet.addressOf(i)).isEqualTo(held.get(i));
        });
        assertThat(hc.getStatus().recentRemediations).singleElement().satisfies(r -> assertThat(r.instanceId).isEqualTo(victim));
        assertThat(hc.getStatus().readyReplicas).isEqualTo(3);
    }

    @Test
    void everyMachineFailingAtOnceBlocksRemediationAndNoneIsReplaced() {
        start(List.of("198.51.0.0/16"));
        op.pools.add(pool("edge", 3));
        HealingCluster hc = settled(probed(withPool(cluster("a", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp));
        connector.answer = address -> "timeout after 1s";
        run(8);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.RemediationBlocked)).isTrue();
        assertThat(hc.getStatus().instances).allSatisfy(r -> assertThat(r.reason).isEqualTo("ProbeFailed"));
        assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.ProbesInconclusive)).as("one cluster: its own failure").isFalse();
        assertThat(hc.getStatus().readyReplicas).isZero();
    }

    @Test
    void whenMostMachinesOfEveryProbedClusterFailTheVantagePointIsBlamedAndNothingIsReplaced() {
        start(List.of("198.51.0.0/16"));
        op.pools.add(pool("edge", 6));
        HealingCluster a = probed(withPool(cluster("a", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp);
        HealingCluster b = probed(withPool(cluster("b", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp);
        a.getSpec().health.maxUnhealthy = new io.fabric8.kubernetes.api.model.IntOrString("100%");
        b.getSpec().health.maxUnhealthy = new io.fabric8.kubernetes.api.model.IntOrString("100%");
        op.clusters.add(a);
        settled(b);
        connector.answer = address -> "connection refused";
        run(8);
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        for (HealingCluster hc : List.of(a, b)) {
            assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.ProbesInconclusive)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo(Reason.ProbesInconclusive.name());
            });
            assertThat(hc.getStatus().instances).noneMatch(r -> "ProbeFailed".equals(r.reason));
        }
        assertThat(op.events.count(Reason.ProbesInconclusive)).isEqualTo(2);
        connector.answer = address -> null; // the operator's network comes back
        run(3);
        assertThat(Conditions.isTrue(a.getStatus().conditions, ConditionType.ProbesInconclusive)).isFalse();
    }

    @Test
    void whenTheDoubtClearsWithAStaggeredRecoveryTheFailuresGatheredDuringItDoNotCountAndNothingIsReplaced() {
        start(List.of("198.51.0.0/16"));
        op.pools.add(pool("edge", 12));
        HealingCluster a = probed(withPool(cluster("a", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp);
        HealingCluster b = probed(withPool(cluster("b", 9), "edge"), ProbeSpec.ProbeAddress.ElasticIp); // default maxUnhealthy 40%
        op.clusters.add(a);
        settled(b);
        connector.answer = address -> "connection refused"; // the operator's network is cut off
        run(6);
        assertThat(Conditions.isTrue(b.getStatus().conditions, ConditionType.ProbesInconclusive)).isTrue();
        // it comes back staggered: every machine of a and all but one per zone of b at once (b: 3 of 9 = 33%, within 40%),
        // the last three 20 s later — fewer than failureThreshold (3) new failures each
        List<String> laggards = List.of("a", "b", "c").stream().map(z -> op.fleet.serving(asg(b)).stream()
                .filter(id -> row(b, id).orElseThrow().zone.endsWith(z)).findFirst().orElseThrow())
                .map(id -> row(b, id).orElseThrow().publicIp).toList();
        assertThat(laggards).hasSize(3).doesNotHaveDuplicates();
        connector.answer = address -> laggards.contains(address) ? "connection refused" : null;
        run(2);
        connector.answer = address -> null;
        run(6);
        assertThat(Conditions.isTrue(b.getStatus().conditions, ConditionType.ProbesInconclusive)).isFalse();
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).as("no healthy machine replaced").isZero();
        assertThat(b.getStatus().instances).noneMatch(r -> "ProbeFailed".equals(r.reason));
    }

    @Test
    void aProbeRemovedOrRenamedInTheSpecLeavesNoSeriesBehind() {
        start(List.of("198.51.0.0/16"));
        op.pools.add(pool("edge", 3));
        HealingCluster hc = settled(probed(withPool(cluster("a", 3), "edge"), ProbeSpec.ProbeAddress.ElasticIp));
        assertThat(registry.find("autoheal.probes").tags("cluster", "a", "probe", "web").counters()).isNotEmpty();
        assertThat(registry.find("autoheal.probe.machines.failing").tags("cluster", "a", "probe", "web").gauges()).isNotEmpty();
        hc.getSpec().health.probes.get(0).name = "api"; // renamed
        run(3);
        assertThat(registry.getMeters()).as("no series of the old name")
                .noneMatch(m -> m.getId().getName().startsWith("autoheal.probe") && "web".equals(m.getId().getTag("probe")));
        assertThat(registry.find("autoheal.probes").tags("cluster", "a", "probe", "api").counters()).as("the new name's").isNotEmpty();
        hc.getSpec().health.probes = List.of(); // removed
        run(2);
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().startsWith("autoheal.probe") && "a".equals(m.getId().getTag("cluster")));
    }

    @Test
    void aProbeToAnAddressOutsideTheAllowedRangesIsNeverSentAndTheRefusalIsReported() {
        start(List.of("127.0.0.0/8")); // as in the sandbox; the in-memory private IPs are 10.0.x
        HealingCluster hc = settled(probed(cluster("a", 3), ProbeSpec.ProbeAddress.PrivateIp));
        run(6);
        assertThat(connector.attempts).as("no connection attempt").isEmpty();
        assertThat(Conditions.find(hc.getStatus().conditions, ConditionType.ProbesRefused)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo(Reason.ProbeAddressRefused.name());
            assertThat(c.getMessage()).contains("3 probe(s) not sent", "10.0.", "outside autoheal.health.probe-allowed-cidrs");
        });
        assertThat(op.events.count(Reason.ProbeAddressRefused)).isEqualTo(1);
        assertThat(hc.getStatus().instances).allSatisfy(r -> assertThat(r.health).isEqualTo(InstanceHealth.Healthy));
        assertThat(op.fleet.calls("TerminateInstanceInAutoScalingGroup")).isZero();
        assertThat(Objects.requireNonNull(hc.getStatus().readyReplicas)).isEqualTo(3);
    }
}
