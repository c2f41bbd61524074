package io.autoheal.cluster;

import static io.autoheal.cluster.DeletionPlanner.Step.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.fleet.ObservedAsg;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The deletion steps and the deletion policy in effect, as tables. */
class DeletionPlannerTest {
    static Optional<ObservedAsg> group(int min, int desired, int members, boolean deleting) {
        List<ObservedAsg.AsgMember> m = IntStream.range(0, members)
                .mapToObj(i -> new ObservedAsg.AsgMember("i-" + i, "Terminating:Wait", "Healthy", "us-east-1a", "1")).toList();
        return Optional.of(new ObservedAsg("g", min, desired, 5, "lt-1", "1", List.of(), Map.of(), Set.of(), Set.of(), deleting, m));
    }

    record Row(DeletionPolicy policy, Optional<ObservedAsg> group, boolean ours, boolean force, DeletionPlanner.Step step) {
    }

    @Test
    void steps() {
        List<Row> rows = List.of(
                new Row(DeletionPolicy.Delete, Optional.empty(), true, false, GONE),
                new Row(DeletionPolicy.Delete, group(1, 3, 3, false), false, false, NOT_OURS),   // another cluster's or installation's
                new Row(DeletionPolicy.Delete, group(1, 3, 3, false), false, true, NOT_OURS),    // force does not make it ours
                new Row(DeletionPolicy.Orphan, group(1, 3, 3, false), true, false, ORPHAN),
                new Row(DeletionPolicy.Orphan, group(1, 3, 3, false), true, true, ORPHAN),       // the annotation never deletes an orphan
                new Row(DeletionPolicy.Delete, group(1, 3, 3, true), true, false, WAIT_DELETING),
                new Row(DeletionPolicy.Delete, group(1, 3, 3, false), true, true, FORCE_DELETE),
                new Row(DeletionPolicy.Delete, group(0, 0, 3, false), true, true, FORCE_DELETE), // force also mid-drain
                new Row(DeletionPolicy.Delete, group(1, 3, 3, false), true, false, SCALE_TO_ZERO),
                new Row(DeletionPolicy.Delete, group(0, 2, 2, false), true, false, SCALE_TO_ZERO),
                new Row(DeletionPolicy.Delete, group(0, 0, 2, false), true, false, DRAIN),
                new Row(DeletionPolicy.Delete, group(0, 0, 0, false), true, false, DELETE_EMPTY));
        for (Row r : rows) {
            DeletionPlanner.Plan plan = DeletionPlanner.plan(r.policy(), r.group(), r.ours(), r.force());
            assertThat(plan.step()).as(r.toString()).isEqualTo(r.step());
            assertThat(plan.left()).isEqualTo(r.group().map(g -> g.members().size()).orElse(0));
        }
    }

    @Test
    void effectivePolicy() {
        assertThat(DeletionPlanner.effective(null, false)).isEqualTo(DeletionPolicy.Delete);
        assertThat(DeletionPlanner.effective(null, true)).as("an adopted group survives by default").isEqualTo(DeletionPolicy.Orphan);
        assertThat(DeletionPlanner.effective(DeletionPolicy.Delete, true)).as("asked for explicitly").isEqualTo(DeletionPolicy.Delete);
        assertThat(DeletionPlanner.effective(DeletionPolicy.Orphan, false)).isEqualTo(DeletionPolicy.Orphan);
    }

    @Test
    void onlyTheAnnotationTrueForces() {
        assertThat(DeletionPlanner.forced(null)).isFalse();
        assertThat(DeletionPlanner.forced(Map.of())).isFalse();
        assertThat(DeletionPlanner.forced(Map.of(DeletionPlanner.FORCE_ANNOTATION, "yes"))).isFalse();
        assertThat(DeletionPlanner.forced(Map.of(DeletionPlanner.FORCE_ANNOTATION, "True"))).isFalse();
        assertThat(DeletionPlanner.forced(Map.of(DeletionPlanner.FORCE_ANNOTATION, "true"))).isTrue();
    }
}
