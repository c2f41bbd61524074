package io.autoheal.cluster;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.Installations;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.Tags;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.InventoryReads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who a cluster is in AWS: its group's name and the ownership tags (cluster and installation) its group, launch
 * template and instances carry, so that an operator acts only on what this installation made or was given.
 */
@ApplicationScoped
public class ClusterIdentity {
    private final String installation;
    private final InventoryReads inventory;

    public ClusterIdentity(OperatorConfig config, InventoryReads inventory) {
        Installations.invalid(config.installationId()).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        this.installation = config.installationId();
        this.inventory = inventory;
    }

    public String installation() {
        return installation;
    }

    /** The cluster's group ({@link ClusterNames#asgName}); the inventory is asked only when the status lost the name. */
    public String asgName(HealingCluster hc, AwsScope scope) {
        boolean recorded = hc.getStatus() != null && hc.getStatus().asgName != null;
        return ClusterNames.asgName(hc, installation, hc.getSpec().autoScalingGroupName != null || recorded ? java.util.List.of()
                : inventory.groupsOf(scope, hc.ownerKey(), installation));
    }

    /** Whether the group carries this cluster's tag and belongs to this installation. */
    public boolean owns(ObservedAsg group, HealingCluster hc) {
        return group.ownedBy(hc.ownerKey()) && Installations.owns(installation, group.tags());
    }

    /** Tags on the ASG, propagated to every instance: how a restarted operator knows what is its own. */
    public Map<String, String> tags(HealingCluster hc) {
        Map<String, String> tags = new TreeMap<>();
        tags.put(Tags.CLUSTER, hc.ownerKey());
        tags.put(Tags.INSTALLATION, installation);
        tags.put(Tags.ROLE, String.join(",", hc.getSpec().roles));
        tags.put(Tags.ENV, hc.getSpec().environment);
        tags.put("Name", hc.getMetadata().getName());
        Shards.of(hc).ifPresent(shard -> tags.put(Tags.SHARD, shard));
        return tags;
    }
}
