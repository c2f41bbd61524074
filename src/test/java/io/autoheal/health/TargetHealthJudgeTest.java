package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.fleet.ObservedTargetHealth.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target health -> TargetUnhealthy: the grace, the states that count, unknown reads and first-seen times. */
class TargetHealthJudgeTest {
    static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
    static final String TG2 = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/sip/fedcba9876543210";
    static final Duration AFTER = Duration.ofMinutes(5);
    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    /** Both machines in service long before T0. */
    static final Map<String, Instant> SERVING = Map.of("i-1", T0.minusSeconds(3600), "i-2", T0.minusSeconds(3600));

    static ObservedTargetHealth read(Instant at, String arn, Map<String, Target> targets) {
        return new ObservedTargetHealth(at, Map.of(arn, targets));
    }

    static Target t(String state) {
        return new Target(state, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]");
    }

    /** Table: a target seen in this state at T0 and again now (T0 + 6 min, past the 5 min grace) -> replaced? */
    @Test
    void onlyUnhealthyCountsAmongTheStates() {
        record Row(String state, boolean signal) {
        }
        for (Row r : List.of(new Row("unhealthy", true), new Row("healthy", false), new Row("initial", false), new Row("draining", false),
                new Row("unused", false), new Row("unavailable", false))) {
            var first = TargetHealthJudge.judge(Map.of(), read(T0, TG, Map.of("i-1", t(r.state()))), List.of(TG), List.of("i-1"), SERVING, AFTER, T0);
            var later = TargetHealthJudge.judge(first.unhealthySince(), read(T0.plusSeconds(360), TG, Map.of("i-1", t(r.state()))),
                    List.of(TG), List.of("i-1"), SERVING, AFTER, T0.plusSeconds(360));
            assertThat(later.signals().containsKey("i-1")).as(r.state()).isEqualTo(r.signal());
        }
    }

    @Test
    void unhealthyForUnhealthyAfterAndNotASecondLess() {
        Map<TargetHealthJudge.Key, Instant> since = Map.of();
        var j = TargetHealthJudge.judge(since, read(T0, TG, Map.of("i-1", t("unhealthy"))), List.of(TG), List.of("i-1", "i-2"), SERVING, AFTER, T0);
        assertThat(j.signals()).isEmpty();
        assertThat(j.unhealthySince()).containsExactly(Map.entry(new TargetHealthJudge.Key(TG, "i-1"), T0));
        var almost = TargetHealthJudge.judge(j.unhealthySince(), read(T0.plusSeconds(290), TG, Map.of("i-1", t("unhealthy"))), List.of(TG),
                List.of("i-1", "i-2"), SERVING, AFTER, T0.plus(AFTER).minusSeconds(1));
        assertThat(almost.signals()).isEmpty();
        var due = TargetHealthJudge.judge(almost.unhealthySince(), read(T0.plusSeconds(300), TG, Map.of("i-1", t("unhealthy"))), List.of(TG),
                List.of("i-1", "i-2"), SERVING, AFTER, T0.plus(AFTER));
        assertThat(due.signals()).containsOnlyKeys("i-1");
        AppSignal s = due.signals().get("i-1").get(0);
        assertThat(s.reason()).isEqualTo(Verdict.Reason.TargetUnhealthy);
        assertThat(s.source()).isEqualTo("targetgroup/web");
        assertThat(s.detail()).isEqualTo("Target.ResponseCodeMismatch: Health checks failed with these codes: [503]");
        assertThat(s.since()).isEqualTo(T0);
    }

    @Test
    void aHealthyReadInBetweenStartsTheGraceAgain() {
        var j1 = TargetHealthJudge.judge(Map.of(), read(T0, TG, Map.of("i-1", t("unhealthy"))), List.of(TG), List.of("i-1"), SERVING, AFTER, T0);
        var j2 = TargetHealthJudge.judge(j1.unhealthySince(), read(T0.plusSeconds(120), TG, Map.of("i-1", t("healthy"))), List.of(TG),
                List.of("i-1"), SERVING, AFTER, T0.plusSeconds(120));
        assertThat(j2.unhealthySince()).isEmpty();
        var j3 = TargetHealthJudge.judge(j2.unhealthySince(), read(T0.plusSeconds(240), TG, Map.of("i-1", t("unhealthy"))), List.of(TG),
                List.of("i-1"), SERVING, AFTER, T0.plusSeconds(360));
        assertThat(j3.signals()).as("unhealthy since 240 s, not since 0").isEmpty();
        assertThat(j3.unhealthySince()).containsValue(T0.plusSeconds(240));
    }

    /** A target group whose read failed is unknown: never unhealthy, and the count starts again after it. */
    @Test
    void anUnreadTargetGroupIsUnknownNeverUnhealthy() {
        var j1 = TargetHealthJudge.judge(Map.of(), read(T0, TG, Map.of("i-1", t("unhealthy"))), List.of(TG), List.of("i-1"), SERVING, AFTER, T0);
        var unknown = new ObservedTargetHealth(T0.plusSeconds(400), Map.of()); // DescribeTargetHealth failed
        var j2 = TargetHealthJudge.judge(j1.unhealthySince(), unknown, List.of(TG), List.of("i-1"), SERVING, AFTER, T0.plusSeconds(400));
        assertThat(j2.signals()).isEmpty();
        assertThat(j2.unhealthySince()).isEmpty();
        assertThat(TargetHealthJudge.judge(Map.of(), ObservedTargetHealth.NONE, List.of(TG), List.of("i-1"), SERVING, AFTER, T0).signals()).isEmpty();
    }

    @Test
    void onlyListedTargetGroupsAndMembersCount() {
        var observed = new ObservedTargetHealth(T0, Map.of(TG, Map.of("i-1", t("unhealthy"), "i-9", t("unhealthy")),
                TG2, Map.of("i-2", t("unhealthy"))));
        Map<TargetHealthJudge.Key, Instant> since = new HashMap<>();
        since.put(new TargetHealthJudge.Key(TG, "i-1"), T0.minusSeconds(600));
        since.put(new TargetHealthJudge.Key(TG, "i-9"), T0.minusSeconds(600));
        since.put(new TargetHealthJudge.Key(TG2, "i-2"), T0.minusSeconds(600));
        var j = TargetHealthJudge.judge(since, observed, List.of(TG), List.of("i-1", "i-2"), SERVING, AFTER, T0);
        assertThat(j.signals()).containsOnlyKeys("i-1"); // i-9: not a member; i-2: unhealthy only in a group the cluster does not list
        assertThat(j.unhealthySince()).containsOnlyKeys(new TargetHealthJudge.Key(TG, "i-1"));
    }

    @Test
    void unhealthyInTwoGroupsGivesTwoSignals() {
        var observed = new ObservedTargetHealth(T0, Map.of(TG, Map.of("i-1", t("unhealthy")), TG2, Map.of("i-1", t("unhealthy"))));
        var j = TargetHealthJudge.judge(Map.of(), observed, List.of(TG, TG2), List.of("i-1"), SERVING, Duration.ZERO, T0);
        assertThat(j.signals().get("i-1")).extracting(AppSignal::source).containsExactlyInAnyOrder("targetgroup/web", "targetgroup/sip");
    }

    /** Unhealthy while bootstrapping (not yet in service): not judged; once in service, the grace counts from then. */
    @Test
    void theGraceCountsFromTheMomentTheMachineCameIntoService() {
        Instant serving = T0.plusSeconds(360); // a 6-minute bootstrap
        var booting = TargetHealthJudge.judge(Map.of(), read(T0, TG, Map.of("i-1", t("unhealthy"))), List.of(TG), List.of("i-1"), Map.of(),
                AFTER, T0);
        assertThat(booting.signals()).as("not in service: not judged").isEmpty();
        Map<String, Instant> in = Map.of("i-1", serving);
        var first = TargetHealthJudge.judge(Map.of(new TargetHealthJudge.Key(TG, "i-1"), T0), read(serving, TG, Map.of("i-1", t("unhealthy"))),
                List.of(TG), List.of("i-1"), in, AFTER, serving);
        assertThat(first.signals()).as("an unhealthy read from before it came into service does not count").isEmpty();
        var almost = TargetHealthJudge.judge(first.unhealthySince(), read(serving.plus(AFTER).minusSeconds(1), TG, Map.of("i-1", t("unhealthy"))),
                List.of(TG), List.of("i-1"), in, AFTER, serving.plus(AFTER).minusSeconds(1));
        assertThat(almost.signals()).isEmpty();
        var due = TargetHealthJudge.judge(almost.unhealthySince(), read(serving.plus(AFTER), TG, Map.of("i-1", t("unhealthy"))),
                List.of(TG), List.of("i-1"), in, AFTER, serving.plus(AFTER));
        assertThat(due.signals().get("i-1")).singleElement().satisfies(s -> assertThat(s.since()).isEqualTo(serving));
    }
}
