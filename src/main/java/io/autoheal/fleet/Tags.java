package io.autoheal.fleet;

/** Tag keys that carry ownership and state in AWS, so that a restarted operator re-derives everything. */
public final class Tags {
    /** {@code <namespace>/<name>} of the HealingCluster that owns an ASG, launch template or instance. */
    public static final String CLUSTER = "autoheal.io/cluster";
    /** The installation (operator config installation-id) that created or was given a group, template, address claim or instance. */
    public static final String INSTALLATION = "autoheal.io/installation";
    public static final String ROLE = "autoheal.io/role";
    /** The shard of the cluster (its label of the same name), on its ASG: a sharded operator reads only its shard's groups. */
    public static final String SHARD = "autoheal.io/shard";
    public static final String ENV = "autoheal.io/env";
    /** {@code <namespace>/<name>} of the ElasticIpPool that allocated an address. */
    public static final String POOL = "autoheal.io/pool";
    /** On an address: the instance the operator associated it with (survives the instance, for stable identity). */
    public static final String ASSIGNED_INSTANCE = "autoheal.io/instance";
    /** On an address: the cluster of that instance. */
    public static final String ASSIGNED_CLUSTER = "autoheal.io/assigned-cluster";
    /**
     * On an address: {@code <installation>/<namespace>/<pool>} of the one pool that may move it (eip.PoolClaim). Written
     * and read back before the pool first associates the address; the first claimant wins, every other pool leaves it.
     */
    public static final String CLAIMED_BY = "autoheal.io/claimed-by";
    /**
     * On an address: {@code <installation>/<namespace>/<cluster>} of a cluster deleted with deletionPolicy Orphan while a
     * machine of it held the address; its claim was removed then, so no pool moves it off that machine.
     */
    public static final String ORPHANED_FROM = "autoheal.io/orphaned-from";
    /** On an instance: the bootstrap job id, written right after the trigger (exactly-once across restarts). */
    public static final String BOOTSTRAP_JOB = "autoheal.io/bootstrap-job";
    /** On an instance: the drain job id, written right after the drain's trigger (exactly-once across restarts). */
    public static final String DRAIN_JOB = "autoheal.io/drain-job";
    /** On an instance: "true" excludes it from remediation (debugging a sick host). */
    /**
     * On a group: the target groups the operator attached for spec.health.targetGroupArns (their 16-hex ids, comma-separated).
     * Only these are ever detached, and only their target health is read: one attached by hand stays as it is.
     */
    public static final String TARGET_GROUPS = "autoheal.io/target-groups";
    public static final String SKIP_REMEDIATION = "autoheal.io/skip-remediation";
    /** Set by AWS on instances launched by an ASG. */
    public static final String ASG_NAME = "aws:autoscaling:groupName";

    private Tags() {
    }
}
