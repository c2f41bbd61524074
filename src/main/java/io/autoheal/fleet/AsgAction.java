package io.autoheal.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One change to an Auto Scaling Group, decided by the cluster's planner and executed by a {@link GroupWrites}. */
public sealed interface AsgAction {
    String asgName();

    record Create(String asgName, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                  List<String> subnetIds, Map<String, String> tags, boolean gateLaunch, boolean drain, InstanceFlexibility flexibility,
                  List<String> targetGroupArns)
            implements AsgAction {
        public Create(String asgName, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds, Map<String, String> tags, boolean gateLaunch, boolean drain, InstanceFlexibility flexibility) {
            this(asgName, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, gateLaunch, drain, flexibility, List.of());
        }

        public Create(String asgName, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds, Map<String, String> tags, boolean gateLaunch) {
            this(asgName, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, gateLaunch, false, InstanceFlexibility.NONE);
        }
    }

    record Update(String asgName, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                  List<String> subnetIds, InstanceFlexibility flexibility) implements AsgAction {
        public Update(String asgName, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds) {
            this(asgName, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, InstanceFlexibility.NONE);
        }
    }

    record Tag(String asgName, Map<String, String> tags) implements AsgAction {
    }

    /** @param groupExisted the group was there before this pass (not just created): its process was running. */
    record SuspendReplaceUnhealthy(String asgName, boolean groupExisted) implements AsgAction {
    }

    record ResumeReplaceUnhealthy(String asgName) implements AsgAction {
    }

    record PutLaunchHook(String asgName, String hookName, Duration heartbeatTimeout) implements AsgAction {
    }

    record DeleteLaunchHook(String asgName, String hookName) implements AsgAction {
    }

    /** The terminating hook of spec.drain: every termination waits in Terminating:Wait until the drain ends. */
    record PutDrainHook(String asgName, String hookName, Duration heartbeatTimeout) implements AsgAction {
    }

    record DeleteDrainHook(String asgName, String hookName) implements AsgAction {
    }

    /** spec.health.targetGroupArns: the group's instances are registered with these ELBv2 target groups. */
    record AttachTargetGroups(String asgName, List<String> targetGroupArns) implements AsgAction {
    }

    /** Target groups the operator attached (its tag says so) and the spec no longer lists. */
    record DetachTargetGroups(String asgName, List<String> targetGroupArns) implements AsgAction {
    }

    /**
     * spec.warmPool: a warm pool of exactly {@code size} spares (MinSize = MaxGroupPreparedCapacity = size, the one
     * setting AWS keeps at an absolute size), waiting in {@code poolState} once their launch hook is completed.
     */
    record PutWarmPool(String asgName, int size, String poolState) implements AsgAction {
    }

    /**
     * spec.warmPool removed: the pool and its spares go (ForceDelete: spares waiting at a hook go too). Planned only for
     * a pool carrying this installation's {@link WarmPools#OWNER_TAG} mark.
     */
    record DeleteWarmPool(String asgName) implements AsgAction {
    }

    /** Removes tag keys from the group (the warm-pool mark once its pool is gone). */
    record Untag(String asgName, List<String> keys) implements AsgAction {
    }

    /** Min and desired capacity 0 (max kept): every machine leaves through the group's terminating hook (a deletion). */
    record ScaleToZero(String asgName) implements AsgAction {
    }
}
