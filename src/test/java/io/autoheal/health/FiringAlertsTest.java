package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert store: what fires for which machine, when it stops, and what it refuses to keep. */
class FiringAlertsTest {
    static final Instant T0 = Instant.parse("2026-11-30T03:01:00Z");
    static final Duration TTL = Duration.ofMinutes(15);
    final FiringAlerts store = new FiringAlerts(TTL);

    static AlertmanagerPayload.Alert alert(String status, String name, String instance, Instant startsAt, Instant endsAt) {
        return new AlertmanagerPayload.Alert(status, instance == null ? Map.of("alertname", name) : Map.of("alertname", name, "instance_id", instance),
                Map.of("summary", name + " on " + instance), startsAt, endsAt, "fp-" + name);
    }

    static AlertmanagerPayload payload(AlertmanagerPayload.Alert... alerts) {
        return new AlertmanagerPayload("4", "firing", List.of(alerts));
    }

    static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    @Test
    void theFixtureAsAlertmanagerSendsItParses() throws Exception {
        byte[] body = fixture("webhook-v4-firing.json", "i-0abc");
        AlertmanagerPayload p = AlertmanagerPayload.parse(body);
        assertThat(p.version()).isEqualTo("4");
        assertThat(p.alerts()).hasSize(2);
        AlertmanagerPayload.Alert a = p.alerts().get(0);
        assertThat(a.firing()).isTrue();
        assertThat(a.name()).isEqualTo("SipProcessDown");
        assertThat(a.instanceId()).isEqualTo("i-0abc");
        assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-11-30T03:00:30.123456789Z"));
        assertThat(a.endKnown()).as("Alertmanager's zero endsAt of a firing alert").isFalse();
        assertThat(AlertmanagerPayload.parse(fixture("webhook-v4-resolved.json", "i-0abc")).alerts()).noneMatch(AlertmanagerPayload.Alert::firing);
    }

    @Test
    void aListedAlertForAMemberFiresUntilResolved() {
        store.members("ns/web", List.of("i-1", "i-2"), List.of("SipProcessDown"));
        Instant started = T0.minusSeconds(30);
        assertThat(store.receive(payload(alert("firing", "SipProcessDown", "i-1", started, ZERO)), T0)).containsExactly("ns/web");
        assertThat(store.firing("i-1", T0)).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("SipProcessDown");
            assertThat(f.since()).isEqualTo(started);
            assertThat(f.summary()).isEqualTo("SipProcessDown on i-1");
        });
        assertThat(store.firing("i-2", T0)).isEmpty();
        // a re-send changes nothing (no wake-up), keeps the first start
        assertThat(store.receive(payload(alert("firing", "SipProcessDown", "i-1", started, ZERO)), T0.plusSeconds(60))).isEmpty();
        assertThat(store.receive(payload(alert("resolved", "SipProcessDown", "i-1", started, T0.plusSeconds(90))), T0.plusSeconds(120)))
                .containsExactly("ns/web");
        assertThat(store.firing("i-1", T0.plusSeconds(120))).isEmpty();
        assertThat(store.size()).isZero();
    }

    /** Table: which alerts are kept at all. */
    @Test
    void onlyListedNamesForKnownMachinesAreKept() {
        store.members("ns/web", List.of("i-1"), List.of("SipProcessDown"));
        store.members("ns/db", List.of("i-9"), List.of("DbDown"));
        record Row(String name, String instance, boolean kept) {
        }
        for (Row r : List.of(
                new Row("SipProcessDown", "i-1", true),
                new Row("DiskAlmostFull", "i-1", false),   // not listed by i-1's cluster
                new Row("DbDown", "i-1", false),           // listed, but by another cluster
                new Row("SipProcessDown", "i-9", false),   // i-9's cluster does not list it
                new Row("SipProcessDown", "i-777", false), // not a machine of ours
                new Row("SipProcessDown", null, false))) { // no instance_id label
            FiringAlerts s = new FiringAlerts(TTL);
            s.members("ns/web", List.of("i-1"), List.of("SipProcessDown"));
            s.members("ns/db", List.of("i-9"), List.of("DbDown"));
            s.receive(payload(alert("firing", r.name(), r.instance(), T0, ZERO)), T0);
            assertThat(s.size()).as(r.toString()).isEqualTo(r.kept() ? 1 : 0);
        }
    }

    @Test
    void aFiringAlertNotReSentWithinTheTtlExpires() {
        store.members("ns/web", List.of("i-1"), List.of("A"));
        store.receive(payload(alert("firing", "A", "i-1", T0, ZERO)), T0);
        assertThat(store.firing("i-1", T0.plus(TTL).minusSeconds(1))).hasSize(1);
        store.receive(payload(alert("firing", "A", "i-1", T0, ZERO)), T0.plus(TTL).minusSeconds(1)); // re-sent: extended
        assertThat(store.firing("i-1", T0.plus(TTL).plusSeconds(60))).hasSize(1);
        assertThat(store.firing("i-1", T0.plus(TTL.multipliedBy(2)))).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void anEndsAtInThePastEndsItAndOneInTheFutureBoundsIt() {
        store.members("ns/web", List.of("i-1"), List.of("A"));
        store.receive(payload(alert("firing", "A", "i-1", T0, T0.minusSeconds(1))), T0);
        assertThat(store.firing("i-1", T0)).as("endsAt passed: not firing").isEmpty();
        store.receive(payload(alert("firing", "A", "i-1", T0, T0.plusSeconds(120))), T0);
        assertThat(store.firing("i-1", T0.plusSeconds(119))).hasSize(1);
        assertThat(store.firing("i-1", T0.plusSeconds(120))).isEmpty();
    }

    @Test
    void aMachineThatLeftOrANameNoLongerListedIsForgotten() {
        store.members("ns/web", List.of("i-1", "i-2"), List.of("A", "B"));
        store.receive(payload(alert("firing", "A", "i-1", T0, ZERO), alert("firing", "B", "i-2", T0, ZERO)), T0);
        assertThat(store.size()).isEqualTo(2);
        store.members("ns/web", List.of("i-2", "i-3"), List.of("A"));
        assertThat(store.firing("i-1", T0)).isEmpty();
        assertThat(store.firing("i-2", T0)).as("B no longer listed").isEmpty();
        assertThat(store.size()).isZero();
        store.receive(payload(alert("firing", "A", "i-1", T0, ZERO)), T0);
        assertThat(store.size()).as("i-1 is no member any more").isZero();
    }

    @Test
    void theStoreIsBounded() {
        List<String> members = java.util.stream.IntStream.range(0, FiringAlerts.MAX_ALERTS + 5).mapToObj(i -> "i-" + i).toList();
        store.members("ns/big", members, List.of("A"));
        store.receive(new AlertmanagerPayload("4", "firing", members.stream().map(m -> alert("firing", "A", m, T0, ZERO)).toList()), T0);
        assertThat(store.size()).isEqualTo(FiringAlerts.MAX_ALERTS);
        assertThat(store.firing("i-" + (FiringAlerts.MAX_ALERTS + 4), T0)).isEmpty();
        store.receive(payload(alert("resolved", "A", "i-0", T0, T0)), T0);
        store.receive(payload(alert("firing", "A", "i-" + (FiringAlerts.MAX_ALERTS + 4), T0, ZERO)), T0);
        assertThat(store.firing("i-" + (FiringAlerts.MAX_ALERTS + 4), T0)).as("room again after a resolve").hasSize(1);
    }

    static byte[] fixture(String name, String instanceId) throws Exception {
        try (var in = FiringAlertsTest.class.getResourceAsStream("/alertmanager/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__INSTANCE__", instanceId).getBytes(StandardCharsets.UTF_8);
        }
    }
}
