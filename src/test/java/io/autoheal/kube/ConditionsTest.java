package io.autoheal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Since when" must stay true across reconciles: lastTransitionTime moves only when the status changes. */
class ConditionsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(90);

    static Condition only(List<Condition> conditions, ConditionType type) {
        return Conditions.find(conditions, type).orElseThrow();
    }

    @Test
    void aNewConditionStartsNowWithItsGeneration() {
        List<Condition> built = new Conditions(null, 4L, T0.plusMillis(700)).set(ConditionType.Ready, true, Reason.Reconciled, null).build();
        Condition ready = only(built, ConditionType.Ready);
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Reconciled");
        assertThat(ready.getMessage()).isEmpty();
        assertThat(ready.getObservedGeneration()).isEqualTo(4L);
        assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString()); // whole seconds
    }

    @Test
    void theTransitionTimeStaysWhileTheStatusStaysEvenIfReasonOrMessageChange() {
        List<Condition> first = new Conditions(null, 1L, T0).set(ConditionType.Degraded, true, Reason.AwsError, "503").build();
        List<Condition> second = new Conditions(first, 2L, T1).set(ConditionType.Degraded, true, Reason.AwsBadRequest, "400").build();
        Condition degraded = only(second, ConditionType.Degraded);
        assertThat(degraded.getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(degraded.getReason()).isEqualTo("AwsBadRequest");
        assertThat(degraded.getMessage()).isEqualTo("400");
        assertThat(degraded.getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aStatusChangeMovesTheTransitionTime() {
        List<Condition> first = new Conditions(null, 1L, T0).set(ConditionType.Ready, false, Reason.Creating, "").build();
        List<Condition> second = new Conditions(first, 1L, T1).set(ConditionType.Ready, true, Reason.Reconciled, "").build();
        assertThat(only(second, ConditionType.Ready).getLastTransitionTime()).isEqualTo(T1.toString());
    }

    @Test
    void conditionsComeOutSortedByTypeAndTheLastSetWins() {
        List<Condition> built = new Conditions(null, 1L, T0).set(ConditionType.Ready, false, Reason.Creating, "a")
                .set(ConditionType.Degraded, false, Reason.Reconciled, "").set(ConditionType.Ready, true, Reason.Reconciled, "b").build();
        assertThat(built).extracting(Condition::getType).containsExactly("Degraded", "Ready");
        assertThat(only(built, ConditionType.Ready).getMessage()).isEqualTo("b");
    }

    @Test
    void carryKeepsAConditionVerbatimEvenWithAReasonWeDoNotKnow() {
        Condition old = new ConditionBuilder().withType("Exhausted").withStatus("True").withReason("SomethingOlder")
                .withMessage("2 waiting").withObservedGeneration(3L).withLastTransitionTime(T0.toString()).build();
        List<Condition> built = new Conditions(List.of(old), 5L, T1).carry(ConditionType.Exhausted)
                .set(ConditionType.Ready, false, Reason.AwsError, "503").build();
        assertThat(only(built, ConditionType.Exhausted)).isEqualTo(old);
        assertThat(new Conditions(List.of(), 5L, T1).carry(ConditionType.Exhausted).build()).isEmpty();
    }

    @Test
    void isTrueReadsOnlyTheNamedCondition() {
        List<Condition> built = new Conditions(null, 1L, T0).set(ConditionType.Degraded, true, Reason.AwsError, "x").build();
        assertThat(Conditions.isTrue(built, ConditionType.Degraded)).isTrue();
        assertThat(Conditions.isTrue(built, ConditionType.Ready)).isFalse();
        assertThat(Conditions.isTrue(null, ConditionType.Ready)).isFalse();
    }
}
