package io.autoheal.eip;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.config.OperatorConfig;
import io.autoheal.eip.AddressOwnership.Claim;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * deletionPolicy Orphan, the address half: the orphaned machines keep their Elastic IPs (their identity). Each address
 * on one of them that the cluster's pool claimed (or that nobody claimed yet, and our tags assigned to the cluster) is
 * marked {@value Tags#ORPHANED_FROM} and its claim removed — the association is never touched. Without a claim no pool
 * moves it; the mark says whose it was. Safe to repeat: the mark is idempotent and the claim removal conditional.
 */
@ApplicationScoped
public class OrphanedAddresses {
    private final InventoryReads inventory;
    private final AddressWrites addresses;
    private final OperatorConfig config;
    private final EventRecorder events;

    public OrphanedAddresses(InventoryReads inventory, AddressWrites addresses, OperatorConfig config, EventRecorder events) {
        this.inventory = inventory;
        this.addresses = addresses;
        this.config = config;
        this.events = events;
    }

    /**
     * @param machines the orphaned group's instances
     * @return the allocation ids handed over (empty when the cluster uses no pool or its machines hold none of its addresses)
     */
    public List<String> handOver(HealingCluster hc, AwsScope scope, Collection<String> machines) {
        if (hc.getSpec().elasticIps == null || machines.isEmpty()) {
            return List.of();
        }
        String ns = hc.getMetadata().getNamespace();
        PoolClaim claim = new PoolClaim(config.installationId(), ns + "/" + hc.getSpec().elasticIps.poolRef);
        String orphanedFrom = config.installationId() + "/" + hc.ownerKey();
        Set<String> onMachines = Set.copyOf(machines);
        List<ObservedAddress> held = inventory.addresses(scope, new AddressSelector(null, Map.of(Tags.ASSIGNED_CLUSTER, hc.ownerKey()),
                        claim.poolKey(), config.installationId())).stream()
                .filter(a -> a.instanceId() != null && onMachines.contains(a.instanceId()))
                .filter(a -> claim.read(a.tags()) == Claim.THIS_POOL || claim.read(a.tags()) == Claim.NONE)
                .sorted(Comparator.comparing(ObservedAddress::allocationId))
                .toList();
        List<String> out = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (ObservedAddress a : held) {
            addresses.orphan(scope, a.allocationId(), claim.value(), orphanedFrom);
            out.add(a.allocationId());
            shown.add(a.publicIp() + " (" + a.allocationId() + ") on " + a.instanceId());
        }
        if (!out.isEmpty()) {
            events.normal(hc, Reason.AddressesOrphaned, "DeleteTags", "Left " + out.size() + " Elastic IP(s) on the orphaned machines"
                    + " (deletionPolicy Orphan), no longer claimed by pool " + claim.poolKey() + " and marked " + Tags.ORPHANED_FROM
                    + "=" + orphanedFrom + ": " + PoolActuator.shortList(shown));
        }
        return out;
    }
}
