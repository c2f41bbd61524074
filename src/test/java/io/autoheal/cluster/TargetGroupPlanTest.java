package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.InstanceFlexibility;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** spec.health.targetGroupArns converged on the group: attached at creation or later, detached only when the operator attached it. */
class TargetGroupPlanTest {
    static final String KEY = "prod/web";
    static final String A = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/aaaaaaaaaaaaaaaa";
    static final String B = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/bbbbbbbbbbbbbbbb";
    static final String HAND = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy/cccccccccccccccc";
    static final Map<String, String> TAGS = Map.of(Tags.CLUSTER, KEY);

    static DesiredAsg want(List<String> tgs) {
        return DesiredAsg.builder("g").capacity(1, 2, 3).template("lt-1", "1", InstanceFlexibility.NONE).subnetIds(List.of("subnet-a"))
                .tags(TAGS).targetGroupArns(tgs).build();
    }

    static ObservedAsg observed(List<String> attached, String tag) {
        Map<String, String> tags = new HashMap<>(TAGS);
        if (tag != null) {
            tags.put(Tags.TARGET_GROUPS, tag);
        }
        return new ObservedAsg("g", 1, 2, 3, "lt-1", "1", List.of("subnet-a"), tags, Set.of(), Set.of(), false, List.of(),
                InstanceFlexibility.NONE, attached);
    }

    static List<AsgAction> plan(List<String> wanted, List<String> attached, String tag) {
        return AsgPlanner.plan(want(wanted), Optional.of(observed(attached, tag)), KEY, false).actions();
    }

    @Test
    void aNewGroupIsCreatedAttachedAndTagged() {
        var actions = AsgPlanner.plan(want(List.of(B, A)), Optional.empty(), KEY, false).actions();
        assertThat(actions).singleElement().isInstanceOfSatisfying(AsgAction.Create.class, c -> {
            assertThat(c.targetGroupArns()).containsExactly(B, A);
            assertThat(c.tags()).containsEntry(Tags.TARGET_GROUPS, "aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb");
        });
        assertThat(AsgPlanner.plan(want(List.of()), Optional.empty(), KEY, false).actions()).singleElement()
                .isInstanceOfSatisfying(AsgAction.Create.class, c -> assertThat(c.tags()).doesNotContainKey(Tags.TARGET_GROUPS));
    }

    /** Table: wanted, attached, the tag -> the actions (Tag before Attach: the intent is recorded first). */
    @Test
    void convergence() {
        record Row(String what, List<String> wanted, List<String> attached, String tag, List<AsgAction> expected) {
        }
        for (Row r : List.of(
                new Row("nothing wanted, nothing there: no action (existing clusters unchanged)", List.of(), List.of(), null, List.of()),
                new Row("at rest", List.of(A), List.of(A), "aaaaaaaaaaaaaaaa", List.of()),
                new Row("added to the spec", List.of(A, B), List.of(A), "aaaaaaaaaaaaaaaa", List.of(
                        new AsgAction.Tag("g", Map.of(Tags.TARGET_GROUPS, "aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb")),
                        new AsgAction.AttachTargetGroups("g", List.of(B)))),
                new Row("removed from the spec: detached, the tag keeps it until it is gone", List.of(A), List.of(A, B),
                        "aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb", List.of(new AsgAction.DetachTargetGroups("g", List.of(B)))),
                new Row("detached: the tag forgets it", List.of(A), List.of(A), "aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb", List.of(
                        new AsgAction.Tag("g", Map.of(Tags.TARGET_GROUPS, "aaaaaaaaaaaaaaaa")))),
                new Row("attached by hand: never detached", List.of(A), List.of(A, HAND), "aaaaaaaaaaaaaaaa", List.of()),
                new Row("attached by hand, spec empty: left alone", List.of(), List.of(HAND), null, List.of()),
                new Row("attached by hand to an adopted group, then listed in the spec: never tagged as owned", List.of(HAND), List.of(HAND), null,
                        List.of()),
                new Row("attached by hand, listed, then a group of ours added: only ours is tagged", List.of(HAND, A), List.of(HAND), null, List.of(
                        new AsgAction.Tag("g", Map.of(Tags.TARGET_GROUPS, "aaaaaaaaaaaaaaaa")),
                        new AsgAction.AttachTargetGroups("g", List.of(A)))),
                new Row("attached by hand, listed, then removed from the spec: stays attached", List.of(), List.of(HAND), null, List.of()),
                new Row("all removed", List.of(), List.of(A), "aaaaaaaaaaaaaaaa", List.of(new AsgAction.DetachTargetGroups("g", List.of(A)))),
                new Row("all removed and gone", List.of(), List.of(), "aaaaaaaaaaaaaaaa", List.of(
                        new AsgAction.Tag("g", Map.of(Tags.TARGET_GROUPS, "")))))) {
            assertThat(plan(r.wanted(), r.attached(), r.tag())).as(r.what()).isEqualTo(r.expected());
        }
    }
}
