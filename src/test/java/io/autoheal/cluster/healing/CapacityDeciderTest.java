package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Surge and scale-in choice as one table. A machine is written {@code id:version:state[:zone]}, state one of
 * H(ealthy), S(tarting), B(ootstrapping), U(nhealthy), L(eaving); launch order is the order written (first = oldest).
 */
class CapacityDeciderTest {
    static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

    record Row(List<Machine> members, HealingPlan plan) {
    }

    static Row parse(String machines, boolean remediating) {
        List<Machine> members = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        String[] items = machines.trim().split("\\s+");
        for (int i = 0; i < items.length; i++) {
            String[] f = items[i].split(":");
            members.add(Machine.builder(f[0]).version(f[1].equals("-") ? null : f[1]).launchTime(T0.plusSeconds(i)).zone(f.length > 3 ? f[3] : "a").build());
            Verdict.State s = switch (f[2]) {
                case "H" -> Verdict.State.HEALTHY;
                case "S" -> Verdict.State.STARTING;
                case "B" -> Verdict.State.BOOTSTRAPPING;
                case "U" -> Verdict.State.UNHEALTHY;
                case "L" -> Verdict.State.LEAVING;
                default -> throw new IllegalArgumentException(f[2]);
            };
            verdicts.add(new Verdict(f[0], s, s == Verdict.State.UNHEALTHY ? Verdict.Reason.Stopped : null, null));
        }
        List<HealingPlan.Remediation> remediate = remediating ? List.of(new HealingPlan.Remediation(members.get(0).instanceId(),
                Verdict.Reason.Stopped)) : List.of();
        return new Row(members, new HealingPlan(verdicts, remediate, List.of(), Optional.empty(), T0));
    }

    @ParameterizedTest(name = "[{0}] want v{1} desired={2} max={3} group={4} -> group {6}, leave [{7}], surging {8}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // a rollout with room to surge: raise by one, no machine leaves until the new one is in service
            "a:1:H b:1:H c:1:H            | 2 | 3 | 4 | 3 | true  | 4 | ''  | true",
            "a:1:H b:1:H c:1:H d:2:S      | 2 | 3 | 4 | 4 | true  | 4 | ''  | true",
            "a:1:H b:1:H c:1:H d:2:B      | 2 | 3 | 4 | 4 | true  | 4 | ''  | true",
            "a:1:H b:1:H c:1:H d:2:H      | 2 | 3 | 4 | 4 | true  | 4 | a   | true",
            "a:1:L b:1:H c:1:H d:2:H      | 2 | 3 | 4 | 3 | true  | 4 | ''  | true",
            "a:1:L b:1:H c:1:H d:2:H e:2:S | 2 | 3 | 4 | 4 | true | 4 | ''  | true",
            "b:2:H c:1:H d:2:H e:2:H      | 2 | 3 | 4 | 4 | true  | 4 | c   | true",
            "d:2:H e:2:H f:2:H g:2:H      | 2 | 3 | 4 | 4 | true  | 4 | d   | false",  // done: the surge's extra leaves, oldest first
            "d:2:H e:2:H f:2:H            | 2 | 3 | 4 | 3 | true  | 3 | ''  | false",
            // a bad version: its surged machine never becomes healthy, so no old machine leaves
            "a:1:H b:1:H c:1:H d:2:S      | 2 | 3 | 4 | 4 | true  | 4 | ''  | true",
            "a:1:H b:1:H c:1:H d:2:U      | 2 | 3 | 4 | 4 | true  | 4 | d   | false",  // unhealthy first; no further surge
            // no room (desired == max), the hourly quota, a replacement under way, symbolic versions: no surge
            "a:1:H b:1:H c:1:H            | 2 | 3 | 3 | 3 | true  | 3 | ''  | false",
            "a:1:H b:1:H c:1:H            | 2 | 3 | 4 | 3 | false | 3 | ''  | false",
            "a:1:H b:1:H c:1:H            | $Latest | 3 | 4 | 3 | true | 3 | '' | false",
            "a:-:H b:-:H c:-:H            | 2 | 3 | 4 | 3 | true  | 3 | ''  | false",
            // scale-in: the group is held and the operator chooses: unhealthy, then older versions, then the fuller zone, then oldest
            "a:2:H b:2:H c:2:H            | 2 | 1 | 4 | 3 | true  | 3 | a,b | false",
            "a:2:H b:2:U c:2:H            | 2 | 2 | 4 | 3 | true  | 3 | b   | false",
            "a:2:H b:2:H c:1:H            | 2 | 2 | 4 | 3 | false | 3 | c   | false",
            "a:2:H:x b:2:H:y c:2:H:y      | 2 | 2 | 4 | 3 | true  | 3 | b   | false",
            "a:2:H b:2:H c:2:S            | 2 | 2 | 4 | 3 | true  | 3 | ''  | false",  // wait for the one on its way in
            "a:2:H b:2:H c:2:L            | 2 | 2 | 4 | 2 | true  | 2 | ''  | false",  // leaving ones do not count
            // scaling out, and a person's raise of the group by hand is taken back by our choice
            "a:2:H                        | 2 | 3 | 4 | 1 | true  | 3 | ''  | false",
            "a:2:H b:2:H c:2:H d:2:H      | 2 | 3 | 4 | 4 | true  | 4 | a   | false",
            "a:2:H b:2:H c:2:H d:2:H e:2:H | 2 | 3 | 4 | 5 | true | 4 | a,b | false",  // held within max
    })
    void table(String machines, String wanted, int desired, int max, Integer group, boolean quota, int expectedGroup, String leave,
               boolean surging) {
        Row row = parse(machines, false);
        CapacityDecider.Decision d = CapacityDecider.decide(row.members(), row.plan(), wanted, 1, desired, max, group, quota);
        assertThat(d.asgDesired()).as("group desired").isEqualTo(expectedGroup);
        assertThat(String.join(",", d.leave())).as("leave").isEqualTo(leave);
        assertThat(d.surging()).as("surging").isEqualTo(surging);
    }

    @org.junit.jupiter.api.Test
    void noSurgeWhileAReplacementIsUnderWay() {
        Row row = parse("a:1:H b:1:H c:1:H", true);
        assertThat(CapacityDecider.decide(row.members(), row.plan(), "2", 1, 3, 4, 3, true).surging()).isFalse();
    }

    /**
     * Healing surge. States as above plus R (still serving, AWS recommends moving off: RebalanceRecommended), C
     * (ScheduledChange) and I (SpotInterruption); {@code remediate} lists healing's replacements this pass (healing
     * holds an advised one back while anything else is unhealthy or on its way in).
     */
    @ParameterizedTest(name = "[{0}] min={1} desired={2} max={3} group={4} remediate [{5}] -> group {6}, leave [{7}], surging {8}, by surge [{9}]")
    @CsvSource(delimiter = '|', value = {
            // at min: surge first, the advised machine leaves (drained) only once its successor is in service
            "a:1:H b:1:R          | 2 | 2 | 3 | 2 | b  | 3 | ''  | true  | b",
            "a:1:H b:1:R c:1:S    | 2 | 2 | 3 | 3 | '' | 3 | ''  | false | ''",   // held while the successor starts
            "a:1:H b:1:R c:1:B    | 2 | 2 | 3 | 3 | '' | 3 | ''  | false | ''",
            "a:1:H b:1:R c:1:H    | 2 | 2 | 3 | 3 | b  | 3 | b   | false | b",    // successor in service: the advised one leaves
            "a:1:H b:1:L c:1:H    | 2 | 2 | 3 | 2 | '' | 2 | ''  | false | ''",   // and the group is back at desired
            "a:1:H b:1:C          | 2 | 2 | 3 | 2 | b  | 3 | ''  | true  | b",    // a scheduled change alike
            "a:1:R                | 1 | 1 | 2 | 1 | a  | 2 | ''  | true  | a",
            "a:1:H b:1:R          | 3 | 3 | 4 | 2 | b  | 4 | ''  | true  | b",    // below min (launches short): surge too
            // above min: replaced directly, the cluster stays at or above min meanwhile
            "a:1:H b:1:R c:1:H    | 2 | 3 | 4 | 3 | b  | 3 | ''  | false | ''",
            "a:1:H b:1:R          | 1 | 2 | 3 | 2 | b  | 2 | ''  | false | ''",
            // no room (desired == max): replaced directly
            "a:1:H b:1:R          | 2 | 2 | 2 | 2 | b  | 2 | ''  | false | ''",
            // a dead machine serves nothing (replacing it directly loses no capacity); a Spot interruption cannot wait
            "a:1:H b:1:U          | 2 | 2 | 3 | 2 | b  | 2 | ''  | false | ''",
            "a:1:H b:1:I          | 2 | 2 | 3 | 2 | b  | 2 | ''  | false | ''",
            // a dead machine does not count as serving: the advised one is then replaced directly only above min
            "a:1:H b:1:R c:1:U    | 1 | 3 | 4 | 3 | b  | 3 | ''  | false | ''",
            "a:1:H b:1:R c:1:U    | 2 | 3 | 4 | 3 | b  | 4 | ''  | true  | b"})
    void healingSurge(String machines, int min, int desired, int max, int group, String remediate, int expectedGroup, String leave,
                      boolean surging, String bySurge) {
        List<Machine> members = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        String[] items = machines.trim().split("\\s+");
        for (int i = 0; i < items.length; i++) {
            String[] f = items[i].split(":");
            members.add(Machine.builder(f[0]).version(f[1]).launchTime(T0.plusSeconds(i)).zone("a").build());
            Verdict.Reason reason = switch (f[2]) {
                case "R" -> Verdict.Reason.RebalanceRecommended;
                case "C" -> Verdict.Reason.ScheduledChange;
                case "I" -> Verdict.Reason.SpotInterruption;
                case "U" -> Verdict.Reason.Stopped;
                default -> null;
            };
            Verdict.State s = reason != null ? Verdict.State.UNHEALTHY : switch (f[2]) {
                case "H" -> Verdict.State.HEALTHY;
                case "S" -> Verdict.State.STARTING;
                case "B" -> Verdict.State.BOOTSTRAPPING;
                case "L" -> Verdict.State.LEAVING;
                default -> throw new IllegalArgumentException(f[2]);
            };
            verdicts.add(new Verdict(f[0], s, reason, null));
        }
        List<HealingPlan.Remediation> plan = remediate.isEmpty() ? List.of() : java.util.Arrays.stream(remediate.split(","))
                .map(id -> new HealingPlan.Remediation(id, verdicts.stream().filter(v -> v.instanceId().equals(id)).findFirst().orElseThrow().reason()))
                .toList();
        CapacityDecider.Decision d = CapacityDecider.decide(members, new HealingPlan(verdicts, plan, List.of(), Optional.empty(), T0), "1",
                min, desired, max, group, true);
        assertThat(d.asgDesired()).as("group desired").isEqualTo(expectedGroup);
        assertThat(String.join(",", d.leave())).as("leave").isEqualTo(leave);
        assertThat(d.surging()).as("surging").isEqualTo(surging);
        assertThat(String.join(",", d.replacedBySurge().stream().map(HealingPlan.Remediation::instanceId).toList())).as("by surge")
                .isEqualTo(bySurge);
    }
}
