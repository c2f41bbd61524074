package io.autoheal.cluster;

import io.autoheal.fleet.InstanceFlexibility;
import io.autoheal.fleet.AsgAction;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.WarmPools;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AsgPlannerTest {
    static final String KEY = "prod/voip";
    static final Map<String, String> TAGS = Map.of(Tags.CLUSTER, KEY, Tags.ROLE, "voip", Tags.ENV, "staging");

    static DesiredAsg want(int desired, boolean exclusive, boolean gate) {
        return DesiredAsg.builder("autoheal-prod-voip").capacity(1, desired, 5).template("lt-1", "2", InstanceFlexibility.NONE)
                .subnetIds(List.of("subnet-b", "subnet-a")).tags(TAGS).exclusiveHealing(exclusive).gateLaunch(gate).build();
    }

    static ObservedAsg observed(int desired, Map<String, String> tags, Set<String> suspended, Set<String> hooks, boolean deleting) {
        return new ObservedAsg("autoheal-prod-voip", 1, desired, 5, "lt-1", "2", List.of("subnet-a", "subnet-b"), tags,
                suspended, hooks, deleting, List.of());
    }

    @Test
    void missingGroupIsCreatedWithOwnershipTagsAndTheLaunchHookWhenGated() {
        AsgPlanner.Plan plan = AsgPlanner.plan(want(3, false, true), Optional.empty(), KEY, false);
        assertThat(plan.refusal()).isEmpty();
        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(AsgAction.Create.class, c -> {
            assertThat(c.desired()).isEqualTo(3);
            assertThat(c.tags()).containsEntry(Tags.CLUSTER, KEY);
            assertThat(c.gateLaunch()).isTrue();
        });
    }

    @Test
    void exclusiveHealingSuspendsReplaceUnhealthyRightAfterCreation() {
        AsgPlanner.Plan plan = AsgPlanner.plan(want(3, true, false), Optional.empty(), KEY, false);
        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions().get(1)).isEqualTo(new AsgAction.SuspendReplaceUnhealthy("autoheal-prod-voip", false));
    }

    @Test
    void aReplaceUnhealthyResumedByHandIsSuspendedAgainAndMarkedAsSuch() {
        var resumed = observed(3, TAGS, Set.of(), Set.of(), false);
        assertThat(AsgPlanner.plan(want(3, true, false), Optional.of(resumed), KEY, false).actions())
                .containsExactly(new AsgAction.SuspendReplaceUnhealthy("autoheal-prod-voip", true));
        var stillSuspended = observed(3, TAGS, Set.of("ReplaceUnhealthy", "AZRebalance"), Set.of(), false);
        assertThat(AsgPlanner.plan(want(3, true, false), Optional.of(stillSuspended), KEY, false).actions()).isEmpty();
    }

    /** Marked: the group carries this (legacy) installation's warm-pool mark, as after the operator's own PutWarmPool. */
    static ObservedAsg withWarmPool(io.autoheal.fleet.ObservedWarmPool pool, boolean marked) {
        var g = observed(3, TAGS, Set.of(), Set.of(), false);
        Map<String, String> tags = new java.util.HashMap<>(TAGS);
        if (marked) {
            tags.put(WarmPools.OWNER_TAG, io.autoheal.fleet.Installations.LEGACY);
        }
        return new ObservedAsg(g.name(), g.min(), g.desired(), g.max(), g.launchTemplateId(), g.launchTemplateVersion(), g.subnetIds(),
                tags, g.suspendedProcesses(), g.launchHooks(), false, List.of(), InstanceFlexibility.NONE, List.of(), pool);
    }

    static ObservedAsg withWarmPool(io.autoheal.fleet.ObservedWarmPool pool) {
        return withWarmPool(pool, true);
    }

    static DesiredAsg wantWarm(DesiredAsg.WarmPool pool) {
        return DesiredAsg.builder("autoheal-prod-voip").capacity(1, 3, 5).template("lt-1", "2", InstanceFlexibility.NONE)
                .subnetIds(List.of("subnet-b", "subnet-a")).tags(TAGS).warmPool(pool).build();
    }

    static final io.autoheal.fleet.ObservedWarmPool ONE = new io.autoheal.fleet.ObservedWarmPool(1, 1, "Stopped",
            List.of(new ObservedAsg.AsgMember("i-spare", "Warmed:Stopped", "Healthy", "a", "1")));

    @Test
    void warmPoolIsPutAtExactlyItsSizeAndStateAndDeletedWhenTheSpecDropsIt() {
        var one = new DesiredAsg.WarmPool(1, "Stopped");
        // new group: created with the warm-pool mark, then its warm pool (MinSize = MaxGroupPreparedCapacity = size: an absolute size)
        var created = AsgPlanner.plan(wantWarm(one), Optional.empty(), KEY, false).actions();
        assertThat(created).last().isEqualTo(new AsgAction.PutWarmPool("autoheal-prod-voip", 1, "Stopped"));
        assertThat(created).first().isInstanceOfSatisfying(AsgAction.Create.class,
                c -> assertThat(c.tags()).containsEntry(WarmPools.OWNER_TAG, io.autoheal.fleet.Installations.LEGACY));
        // existing group without one: marked first (the intent), then put
        assertThat(AsgPlanner.plan(wantWarm(one), Optional.of(withWarmPool(null, false)), KEY, false).actions()).containsExactly(
                new AsgAction.Tag("autoheal-prod-voip", Map.of(WarmPools.OWNER_TAG, io.autoheal.fleet.Installations.LEGACY)),
                new AsgAction.PutWarmPool("autoheal-prod-voip", 1, "Stopped"));
        // as wanted: nothing
        assertThat(AsgPlanner.plan(wantWarm(one), Optional.of(withWarmPool(ONE)), KEY, false).actions()).isEmpty();
        // a pool whose size follows max - desired (MaxGroupPreparedCapacity unset) is made absolute
        assertThat(AsgPlanner.plan(wantWarm(one), Optional.of(withWarmPool(new io.autoheal.fleet.ObservedWarmPool(1, null, "Stopped", List.of()))),
                KEY, false).actions()).containsExactly(new AsgAction.PutWarmPool("autoheal-prod-voip", 1, "Stopped"));
        // another state or size
        assertThat(AsgPlanner.plan(wantWarm(new DesiredAsg.WarmPool(2, "Running")), Optional.of(withWarmPool(ONE)), KEY, false).actions())
                .containsExactly(new AsgAction.PutWarmPool("autoheal-prod-voip", 2, "Running"));
        // spec without a warm pool: ours deleted; none there and our mark left: the mark goes; nothing at all: nothing
        assertThat(AsgPlanner.plan(wantWarm(null), Optional.of(withWarmPool(ONE)), KEY, false).actions())
                .containsExactly(new AsgAction.DeleteWarmPool("autoheal-prod-voip"));
        assertThat(AsgPlanner.plan(wantWarm(null), Optional.of(withWarmPool(null, true)), KEY, false).actions())
                .containsExactly(new AsgAction.Untag("autoheal-prod-voip", List.of(WarmPools.OWNER_TAG)));
        assertThat(AsgPlanner.plan(wantWarm(null), Optional.of(withWarmPool(null, false)), KEY, false).actions()).isEmpty();
    }

    @Test
    void aWarmPoolMadeByHandIsNeverDeletedAndSaidSo() {
        // an adopted group with a hand-made warm pool, spec.warmPool unset: no DeleteWarmPool, a notice instead
        var plan = AsgPlanner.plan(wantWarm(null), Optional.of(withWarmPool(ONE, false)), KEY, true);
        assertThat(plan.refusal()).isEmpty();
        assertThat(plan.actions()).noneMatch(a -> a instanceof AsgAction.DeleteWarmPool || a instanceof AsgAction.PutWarmPool);
        assertThat(plan.notices()).singleElement().asString().contains("not make").contains(WarmPools.OWNER_TAG).contains("1 spare(s)");
        // another installation's mark is not ours either
        var g = withWarmPool(ONE, false);
        Map<String, String> othersMark = new java.util.HashMap<>(g.tags());
        othersMark.put(WarmPools.OWNER_TAG, "staging");
        var marked = new ObservedAsg(g.name(), g.min(), g.desired(), g.max(), g.launchTemplateId(), g.launchTemplateVersion(), g.subnetIds(),
                othersMark, g.suspendedProcesses(), g.launchHooks(), false, List.of(), InstanceFlexibility.NONE, List.of(), ONE);
        assertThat(AsgPlanner.plan(wantWarm(null), Optional.of(marked), KEY, true).actions()).isEmpty();
        // spec.warmPool set on it: the operator takes the pool over, mark first
        assertThat(AsgPlanner.plan(wantWarm(new DesiredAsg.WarmPool(1, "Stopped")), Optional.of(withWarmPool(ONE, false)), KEY, true).actions())
                .containsExactly(new AsgAction.Tag("autoheal-prod-voip", Map.of(WarmPools.OWNER_TAG, io.autoheal.fleet.Installations.LEGACY)));
    }

    @Test
    void matchingGroupNeedsNothing() {
        AsgPlanner.Plan plan = AsgPlanner.plan(want(3, false, false), Optional.of(observed(3, TAGS, Set.of(), Set.of(), false)), KEY, false);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.refusal()).isEmpty();
    }

    @Test
    void sizeChangeIsOneUpdate() {
        AsgPlanner.Plan plan = AsgPlanner.plan(want(5, false, false), Optional.of(observed(3, TAGS, Set.of(), Set.of(), false)), KEY, false);
        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(AsgAction.Update.class, u -> assertThat(u.desired()).isEqualTo(5));
    }

    @Test
    void groupOfAnotherClusterIsNeverTouched() {
        var other = Map.of(Tags.CLUSTER, "prod/other");
        AsgPlanner.Plan plan = AsgPlanner.plan(want(5, false, false), Optional.of(observed(3, other, Set.of(), Set.of(), false)), KEY, true);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.refusal()).hasValueSatisfying(r -> assertThat(r).contains("belongs to prod/other"));
    }

    @Test
    void untaggedGroupWithOurNameIsRefusedUnlessAdopted() {
        var untagged = Map.<String, String>of();
        assertThat(AsgPlanner.plan(want(3, false, false), Optional.of(observed(3, untagged, Set.of(), Set.of(), false)), KEY, false).refusal())
                .hasValueSatisfying(r -> assertThat(r).contains("spec.autoScalingGroupName"));
        AsgPlanner.Plan adopted = AsgPlanner.plan(want(3, false, false), Optional.of(observed(3, untagged, Set.of(), Set.of(), false)), KEY, true);
        assertThat(adopted.refusal()).isEmpty();
        assertThat(adopted.actions()).singleElement().isInstanceOfSatisfying(AsgAction.Tag.class,
                t -> assertThat(t.tags()).containsEntry(Tags.CLUSTER, KEY));
    }

    @Test
    void adoptingAGroupThatDoesNotExistIsRefused() {
        assertThat(AsgPlanner.plan(want(3, false, false), Optional.empty(), KEY, true).refusal()).isPresent();
    }

    @Test
    void groupBeingDeletedIsLeftAlone() {
        AsgPlanner.Plan plan = AsgPlanner.plan(want(5, false, false), Optional.of(observed(3, TAGS, Set.of(), Set.of(), true)), KEY, false);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.refusal()).isPresent();
    }

    @Test
    void healingModeAndLaunchGateFollowTheSpecBothWays() {
        var suspendedAndHooked = observed(3, TAGS, Set.of("ReplaceUnhealthy"), Set.of(AsgPlanner.LAUNCH_HOOK), false);
        assertThat(AsgPlanner.plan(want(3, false, false), Optional.of(suspendedAndHooked), KEY, false).actions())
                .hasSize(2).hasAtLeastOneElementOfType(AsgAction.ResumeReplaceUnhealthy.class)
                .hasAtLeastOneElementOfType(AsgAction.DeleteLaunchHook.class);
        var plain = observed(3, TAGS, Set.of(), Set.of(), false);
        assertThat(AsgPlanner.plan(want(3, true, true), Optional.of(plain), KEY, false).actions())
                .hasSize(2).hasAtLeastOneElementOfType(AsgAction.SuspendReplaceUnhealthy.class)
                .hasAtLeastOneElementOfType(AsgAction.PutLaunchHook.class);
    }

    /** Another installation's group (staging and production in one account) is reported not owned and never touched. */
    @Test
    void aGroupOfAnotherInstallationIsRefusedEvenWhenAdopted() {
        Map<String, String> staging = new java.util.HashMap<>(TAGS);
        staging.put(Tags.INSTALLATION, "staging");
        DesiredAsg production = DesiredAsg.builder("autoheal-prod-voip").capacity(1, 3, 5).template("lt-1", "2", InstanceFlexibility.NONE).subnetIds(List.of("subnet-b", "subnet-a"))
                .tags(Map.of(Tags.CLUSTER, KEY, Tags.INSTALLATION, "production")).build();
        for (boolean adopt : List.of(false, true)) {
            AsgPlanner.Plan plan = AsgPlanner.plan(production, Optional.of(observed(3, staging, Set.of(), Set.of(), false)), KEY, adopt);
            assertThat(plan.refusal()).get().asString().contains("installation staging").contains("production");
            assertThat(plan.actions()).isEmpty();
        }
        // a legacy group (our cluster tag, no installation tag) is the "default" installation's only
        assertThat(AsgPlanner.plan(production, Optional.of(observed(3, TAGS, Set.of(), Set.of(), false)), KEY, false).refusal())
                .get().asString().contains("installation default (untagged)");
        DesiredAsg legacy = DesiredAsg.builder("autoheal-prod-voip").capacity(1, 3, 5).template("lt-1", "2", InstanceFlexibility.NONE).subnetIds(List.of("subnet-b", "subnet-a"))
                .tags(Map.of(Tags.CLUSTER, KEY, Tags.INSTALLATION, "default")).build();
        assertThat(AsgPlanner.plan(legacy, Optional.of(observed(3, TAGS, Set.of(), Set.of(), false)), KEY, false).actions())
                .singleElement().isInstanceOfSatisfying(AsgAction.Tag.class, t -> assertThat(t.tags()).containsEntry(Tags.INSTALLATION, "default"));
        // a group nobody tagged may be adopted by any installation: it gets this one's tag
        assertThat(AsgPlanner.plan(production, Optional.of(observed(3, Map.of(), Set.of(), Set.of(), false)), KEY, true).actions())
                .first().isInstanceOfSatisfying(AsgAction.Tag.class, t -> assertThat(t.tags()).containsEntry(Tags.INSTALLATION, "production"));
    }
}
