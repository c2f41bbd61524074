package io.autoheal.cluster;

import io.autoheal.fleet.InstanceFlexibility;
import java.util.List;
import java.util.Map;

/** What the cluster's ASG should look like, derived from the spec and the resolved launch template. Built by {@link #builder}. */
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
        InstanceFlexibility flexibility,
        List<String> targetGroupArns,
        WarmPool warmPool) {

    /** spec.warmPool as the group should have it; null: no warm pool. */
    public record WarmPool(int size, String poolState) {
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Defaults: no hooks, ReplaceUnhealthy left to AWS, the launch template's instance type only. */
    public static final class Builder {
        private final String name;
        private int min;
        private int desired;
        private int max;
        private String launchTemplateId;
        private String launchTemplateVersion;
        private InstanceFlexibility flexibility = InstanceFlexibility.NONE;
        private List<String> subnetIds = List.of();
        private Map<String, String> tags = Map.of();
        private boolean exclusiveHealing;
        private boolean gateLaunch;
        private boolean drain;
        private List<String> targetGroupArns = List.of();
        private WarmPool warmPool;

        private Builder(String name) {
            this.name = name;
        }

        public Builder capacity(int min, int desired, int max) {
            this.min = min;
            this.desired = desired;
            this.max = max;
            return this;
        }

        public Builder template(String id, String version, InstanceFlexibility flexibility) {
            this.launchTemplateId = id;
            this.launchTemplateVersion = version;
            this.flexibility = flexibility;
            return this;
        }

        public Builder subnetIds(List<String> v) { subnetIds = v; return this; }
        public Builder tags(Map<String, String> v) { tags = v; return this; }
        public Builder exclusiveHealing(boolean v) { exclusiveHealing = v; return this; }
        public Builder gateLaunch(boolean v) { gateLaunch = v; return this; }
        public Builder drain(boolean v) { drain = v; return this; }
        public Builder targetGroupArns(List<String> v) { targetGroupArns = v == null ? List.of() : List.copyOf(v); return this; }

        public Builder warmPool(WarmPool v) { warmPool = v; return this; }

        public DesiredAsg build() {
            return new DesiredAsg(name, min, desired, max, launchTemplateId, launchTemplateVersion, subnetIds, tags, exclusiveHealing,
                    gateLaunch, drain, flexibility, targetGroupArns, warmPool);
        }
    }
}
