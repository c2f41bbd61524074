package io.autoheal.fleet;

import java.util.List;
import java.util.Map;

/** Port: changes to Auto Scaling Groups and their instances. Every call is safe to repeat. */
public interface GroupWrites {
    void apply(AwsScope scope, AsgAction action);

    /** Terminates one instance in its group without lowering desired capacity: the group launches a replacement. */
    void replaceInstance(AwsScope scope, String instanceId);

    /**
     * Deletes the group. Without force AWS refuses while the group has instances (or a scaling activity runs); with
     * force it terminates them all at once, skipping the lifecycle hooks.
     */
    void delete(AwsScope scope, String asgName, boolean force);

    /** Removes these tag keys from the group (orphaning). */
    void untag(AwsScope scope, String asgName, List<String> keys);

    /**
     * Orphaning ({@link OrphanMarks}): marks these instances {@value Tags#ORPHANED_FROM}={@code orphanedFrom} and removes
     * their {@value Tags#CLUSTER} tag where it is {@code clusterKey} (DeleteTags with the value: conditional), then reads
     * their tags back. Safe to repeat.
     *
     * @return each instance's tags as read back after the writes
     */
    Map<String, Map<String, String>> disownInstances(AwsScope scope, List<String> instanceIds, String clusterKey, String orphanedFrom);

    /** Sets one tag on an instance (the bootstrap job id: the guard against a second trigger after a restart). */
    void tagInstance(AwsScope scope, String instanceId, String key, String value);

    /** Sets the group's desired capacity (a surge), without cooldown: the operator's own decision. */
    void setDesired(AwsScope scope, String asgName, int desired);

    /** Terminates one instance chosen to leave and lowers desired capacity with it: no successor. */
    void removeInstance(AwsScope scope, String instanceId);
}
