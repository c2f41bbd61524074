package io.autoheal.cluster;

import io.autoheal.cloud.InstanceFlexibility;
import java.util.List;
import java.util.Map;

/** What the cluster's ASG should look like, derived from the spec and the resolved launch template. */
public record DesiredAsg(
        String name,
        int min,
        int desired,
        int max,
        String launchTemplateId,
        String launchTemplateVersion,
        List<String> subnetIds,
        Map<String, String> tags,
        boolean exclusiveHealing,
        boolean gateLaunch,
        boolean drain,
        InstanceFlexibility flexibility) {

    /** A group without the drain's terminating hook that launches its launch template's type only. */
    public DesiredAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds, Map<String, String> tags, boolean exclusiveHealing, boolean gateLaunch) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, exclusiveHealing, gateLaunch, false,
                InstanceFlexibility.NONE);
    }

    /** A group that launches its launch template's type only. */
    public DesiredAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds, Map<String, String> tags, boolean exclusiveHealing, boolean gateLaunch, boolean drain) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, exclusiveHealing, gateLaunch, drain,
                InstanceFlexibility.NONE);
    }

    /** A group without the drain's terminating hook. */
    public DesiredAsg(String name, int min, int desired, int max, String launchTemplateId, String launchTemplateVersion,
                      List<String> subnetIds, Map<String, String> tags, boolean exclusiveHealing, boolean gateLaunch,
                      InstanceFlexibility flexibility) {
        this(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, exclusiveHealing, gateLaunch, false,
                flexibility);
    }
}
