package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.healing.Machine.Bootstrap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Safety invariants of the healing decision over random fleets: 4 properties × 1,000 tries. */
class HealthDeciderPropertiesTest {
    static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");
    static final String[] EC2 = {"pending", "running", "running", "running", "stopping", "stopped", "shutting-down", "terminated"};
    static final String[] LIFECYCLE = {"Pending", "Pending:Wait", "InService", "InService", "InService", "Terminating", "Detaching", "Standby"};
    static final String[] CHECKS = {"ok", "ok", "impaired", "initializing", "insufficient-data", null};

    static List<Machine> fleet(long seed, int size) {
        Random r = new Random(seed);
        List<Machine> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(Machine.builder("i-" + i).launchTime(NOW.minus(Duration.ofSeconds(r.nextInt(3600)))).ec2State(EC2[r.nextInt(EC2.length)]).lifecycle(LIFECYCLE[r.nextInt(LIFECYCLE.length)]).asgHealthy(r.nextInt(8) != 0).statusCheck(CHECKS[r.nextInt(CHECKS.length)]).unhealthySince(r.nextBoolean() ? NOW.minus(Duration.ofSeconds(r.nextInt(900))) : null).bootstrap(Bootstrap.values()[r.nextInt(Bootstrap.values().length)]).skipRemediation(r.nextInt(10) == 0).build());
        }
        return out;
    }

    static HealthPolicy policy(int percent, int perHour) {
        return new HealthPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5), new HealthPolicy.MaxUnhealthy(percent, true), perHour,
                Duration.ofSeconds(30), Duration.ofMinutes(105), false);
    }

    static List<Instant> recent(long seed, int n) {
        Random r = new Random(seed + 7);
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(NOW.minus(Duration.ofSeconds(r.nextInt(7200))));
        }
        return out;
    }

    @Property(tries = 1000)
    void neverReplacesMoreThanBudgetAndRateAllow(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int size,
                                                  @ForAll @IntRange(min = 0, max = 100) int percent,
                                                  @ForAll @IntRange(min = 0, max = 6) int perHour, @ForAll @IntRange(min = 0, max = 8) int done) {
        List<Machine> machines = fleet(seed, size);
        List<Instant> recent = recent(seed, done);
        HealingPlan plan = HealthDecider.decide(machines, policy(percent, perHour), size, recent, NOW);
        long inWindow = recent.stream().filter(t -> t.isAfter(NOW.minus(Duration.ofHours(1)))).count();
        List<HealingPlan.Remediation> live = plan.remediate().stream().filter(r -> !r.reason().alreadyGone()).toList();
        assertThat(live.size()).isLessThanOrEqualTo((int) Math.max(0, perHour - inWindow));
        int total = Math.max(size, (int) plan.verdicts().stream().filter(v -> v.state() != Verdict.State.LEAVING).count());
        long unhealthy = plan.verdicts().stream().filter(v -> v.state() == Verdict.State.UNHEALTHY && !v.reason().alreadyGone()).count();
        if (unhealthy > Math.max(1, (int) Math.floor(total * percent / 100.0))) {
            assertThat(live).isEmpty();
            assertThat(plan.blocked()).isPresent();
        }
    }

    @Property(tries = 1000)
    void onlyMachinesEc2AlreadyEndedAreReplacedOutsideTheBudget(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int size) {
        List<Machine> machines = fleet(seed, size);
        HealingPlan plan = HealthDecider.decide(machines, policy(0, 0), size, List.of(), NOW);
        assertThat(plan.remediate()).allSatisfy(r -> {
            Machine m = machines.stream().filter(x -> x.instanceId().equals(r.instanceId())).findFirst().orElseThrow();
            assertThat(m.ec2State()).isIn("terminated", "shutting-down");
            assertThat(m.lifecycle()).doesNotStartWith("Terminating").isNotEqualTo("Detaching").isNotEqualTo("Standby");
        });
    }

    @Property(tries = 1000)
    void onlyUnhealthyMachinesThatDidNotOptOutAreReplaced(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int size) {
        List<Machine> machines = fleet(seed, size);
        HealingPlan plan = HealthDecider.decide(machines, policy(100, 100), size, List.of(), NOW);
        Set<String> unhealthy = plan.verdicts().stream().filter(v -> v.state() == Verdict.State.UNHEALTHY).map(Verdict::instanceId)
                .collect(Collectors.toSet());
        Set<String> optedOut = machines.stream().filter(Machine::skipRemediation).map(Machine::instanceId).collect(Collectors.toSet());
        assertThat(plan.remediate()).allSatisfy(r -> {
            assertThat(unhealthy).contains(r.instanceId());
            assertThat(optedOut).doesNotContain(r.instanceId());
        });
    }

    @Property(tries = 1000)
    void nextCheckIsWithinTheInterval(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int size,
                                      @ForAll @IntRange(min = 0, max = 6) int perHour) {
        HealingPlan plan = HealthDecider.decide(fleet(seed, size), policy(40, perHour), size, recent(seed, 5), NOW);
        assertThat(plan.nextCheck()).isAfterOrEqualTo(NOW).isBeforeOrEqualTo(NOW.plusSeconds(30));
    }

    @Property(tries = 1000)
    void orderOfObservationDoesNotChangeTheDecision(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int size) {
        List<Machine> machines = fleet(seed, size);
        List<Machine> shuffled = new ArrayList<>(machines);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(HealthDecider.decide(shuffled, policy(40, 3), size, recent(seed, 3), NOW))
                .isEqualTo(HealthDecider.decide(machines, policy(40, 3), size, recent(seed, 3), NOW));
    }
}
