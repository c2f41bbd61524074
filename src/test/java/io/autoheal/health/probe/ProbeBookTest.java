package io.autoheal.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is probed when, and which failures a pass gets (initial delay from in service, not-in-service, vantage point). */
class ProbeBookTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    final ProbeBook book = new ProbeBook();

    static ProbeSpec http(String name, int initialDelay) {
        ProbeSpec p = new ProbeSpec();
        p.name = name;
        p.http = new ProbeSpec.HttpProbe();
        p.http.port = 8080;
        p.address = ProbeSpec.ProbeAddress.ElasticIp;
        p.initialDelaySeconds = initialDelay;
        return p;
    }

    static ProbeBook.Seen machine(String id, String zone, boolean inService) {
        return new ProbeBook.Seen(id, zone, "10.0.0.1", "54.0.0.1", "127.0.0." + id.substring(2), inService, false);
    }

    /** Runs every due probe at {@code at}, each answered with {@code error} (null: success). */
    int runAll(Instant at, String error) {
        List<ProbeBook.Task> due = book.due(at);
        due.forEach(t -> book.record(t, error, at));
        return due.size();
    }

    @Test
    void aMachineNotYetInServiceIsNotProbed() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", false)), T0);
        assertThat(book.due(T0.plusSeconds(60))).isEmpty();
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0.plusSeconds(60));
        assertThat(book.due(T0.plusSeconds(71))).singleElement().satisfies(t -> assertThat(t.address()).isEqualTo("127.0.0.1"));
    }

    @Test
    void theInitialDelayCountsFromTheMomentTheMachineIsInService() {
        Instant inService = T0.plusSeconds(300); // launched long before: bootstrap took 5 minutes
        book.seen("ns/a", List.of(http("web", 30)), List.of(machine("i-1", "z", false)), T0);
        book.seen("ns/a", List.of(http("web", 30)), List.of(machine("i-1", "z", true)), inService);
        assertThat(book.due(inService.plusSeconds(29))).isEmpty();
        assertThat(book.due(inService.plusSeconds(40))).hasSize(1);
    }

    @Test
    void aProbeInFlightIsNotSentAgainAndRunsOncePerPeriod() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        List<ProbeBook.Task> first = book.due(T0.plusSeconds(10));
        assertThat(first).hasSize(1);
        assertThat(book.due(T0.plusSeconds(25))).as("still in flight").isEmpty();
        book.record(first.get(0), null, T0.plusSeconds(25));
        assertThat(book.due(T0.plusSeconds(25))).as("its next slot").hasSize(1);
    }

    @Test
    void threeFailuresMakeAProbeFailedSignalNamingTheProbeAndTheError() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true), machine("i-2", "z", true)), T0);
        for (int i = 1; i <= 3; i++) {
            Instant at = T0.plusSeconds(10L * i);
            book.due(at).forEach(t -> book.record(t, t.instanceId().equals("i-1") ? "HTTP 503" : null, at));
            assertThat(book.failing("ns/a", List.of("i-1", "i-2"))).as("after %d", i).hasSize(i < 3 ? 0 : 1);
        }
        Map<String, List<AppSignal>> failing = book.failing("ns/a", List.of("i-1", "i-2"));
        assertThat(failing.get("i-1")).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(Verdict.Reason.ProbeFailed);
            assertThat(s.source()).isEqualTo("web");
            assertThat(s.detail()).isEqualTo("HTTP 503");
        });
        assertThat(book.failingPerProbe("ns/a")).containsEntry("web", 1);
    }

    @Test
    void aLeavingMachineIsForgottenAndAFailingOneKeepsBeingProbed() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        for (int i = 1; i <= 4; i++) {
            runAll(T0.plusSeconds(10L * i), "connection refused");
        }
        // its verdict is now Unhealthy: no longer in service, still probed (a recovery must be seen)
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", false)), T0.plusSeconds(45));
        assertThat(runAll(T0.plusSeconds(50), null)).isEqualTo(1);
        assertThat(book.failing("ns/a", List.of("i-1"))).isEmpty();
        book.seen("ns/a", List.of(http("web", 0)), List.of(new ProbeBook.Seen("i-1", "z", null, null, "127.0.0.1", false, true)), T0.plusSeconds(55));
        assertThat(book.machines()).isZero();
    }

    @Test
    void inAnInconclusiveZoneNoProbeFailedIsReported() {
        ProbeSpec web = http("web", 0);
        book.seen("ns/a", List.of(web), List.of(machine("i-1", "z", true), machine("i-2", "z", true)), T0);
        book.seen("ns/b", List.of(web), List.of(machine("i-3", "z", true), machine("i-4", "y", true)), T0);
        for (int i = 1; i <= 3; i++) {
            runAll(T0.plusSeconds(10L * i), "timeout after 1s");
        }
        assertThat(book.inconclusiveZones()).containsExactly("z");
        assertThat(book.failing("ns/a", List.of("i-1", "i-2"))).isEmpty();
        assertThat(book.failing("ns/b", List.of("i-3", "i-4"))).as("zone y has one cluster only: conclusive").containsOnlyKeys("i-4");
        assertThat(book.inconclusiveZones("ns/b")).containsExactly("z");
        runAll(T0.plusSeconds(40), null); // the vantage point recovers
        assertThat(book.inconclusiveZones()).isEmpty();
    }

    @Test
    void aRefusedProbeIsReportedOnTheClusterNotCountedAgainstTheMachine() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        for (int i = 1; i <= 5; i++) {
            book.due(T0.plusSeconds(10L * i)).forEach(t -> book.refused(t, t.address() + " is outside autoheal.health.probe-allowed-cidrs"));
        }
        assertThat(book.failing("ns/a", List.of("i-1"))).isEmpty();
        assertThat(book.refusals("ns/a")).singleElement().asString().contains("web", "i-1", "outside");
        book.seen("ns/a", List.of(http("web", 0)), List.of(), T0.plus(Duration.ofMinutes(2)));
        assertThat(book.refusals("ns/a")).as("the machine went").isEmpty();
    }

    @Test
    void aClusterWhosePassesStoppedIsNoLongerProbedAtItsOldAddresses() {
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        book.seen("ns/b", List.of(http("web", 0)), List.of(machine("i-2", "z", true)), T0);
        for (int i = 1; i <= 30; i++) { // b's passes go on (every 30 s), a's are blocked (invalid spec, back-off)
            Instant at = T0.plusSeconds(10L * i);
            if (i % 3 == 0) {
                book.seen("ns/b", List.of(http("web", 0)), List.of(machine("i-2", "z", true)), at);
            }
            List<ProbeBook.Task> due = book.due(at);
            due.forEach(t -> book.record(t, "connection refused", at));
            boolean withinLimit = !at.isAfter(T0.plus(ProbeBook.UNSEEN_LIMIT));
            assertThat(due).as("at +%ds", 10 * i).extracting(ProbeBook.Task::cluster).contains("ns/b");
            assertThat(due.stream().anyMatch(t -> t.cluster().equals("ns/a"))).as("a probed at +%ds", 10 * i).isEqualTo(withinLimit);
        }
        assertThat(book.failing("ns/a", List.of("i-1"))).isEmpty();
        assertThat(book.machines()).isEqualTo(1);
        book.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0.plusSeconds(400));
        assertThat(book.counter("ns/a", "i-1", "web")).as("seen again: afresh").isNull();
        assertThat(book.due(T0.plusSeconds(411))).extracting(ProbeBook.Task::cluster).contains("ns/a");
    }

    @org.junit.jupiter.api.Test
    void theUnseenLimitFollowsALongResync() {
        org.assertj.core.api.Assertions.assertThat(ProbeBook.unseenLimit(java.time.Duration.ofSeconds(30))).isEqualTo(ProbeBook.UNSEEN_LIMIT);
        org.assertj.core.api.Assertions.assertThat(ProbeBook.unseenLimit(java.time.Duration.ofMinutes(5))).isEqualTo(java.time.Duration.ofMinutes(15));
        // a 5-minute resync: a cluster passed over every 5 minutes keeps its machines probed between passes
        ProbeBook longResync = new ProbeBook(ProbeBook.unseenLimit(java.time.Duration.ofMinutes(5)));
        longResync.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        org.assertj.core.api.Assertions.assertThat(longResync.due(T0.plus(java.time.Duration.ofMinutes(4)))).extracting(ProbeBook.Task::cluster)
                .contains("ns/a");
        ProbeBook defaultLimit = new ProbeBook();
        defaultLimit.seen("ns/a", List.of(http("web", 0)), List.of(machine("i-1", "z", true)), T0);
        org.assertj.core.api.Assertions.assertThat(defaultLimit.due(T0.plus(java.time.Duration.ofMinutes(4)))).as("the 3-minute default forgets it")
                .isEmpty();
    }
}
