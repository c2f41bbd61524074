package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AddressWrites;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Elastic IP reads and writes. Reads are one call per pool; association always uses AllowReassociation=false,
 * so AWS itself refuses to move an address that is in use — the hard guard against one address on two machines.
 */
@ApplicationScoped
public class AddressGateway implements AddressWrites {
    private final AwsClients clients;
    private final FleetInventory inventory;

    public AddressGateway(AwsClients clients, FleetInventory inventory) {
        this.clients = clients;
        this.inventory = inventory;
    }

    public List<ObservedAddress> byAllocationIds(AwsScope scope, Collection<String> allocationIds) {
        return toObserved(clients.ec2(scope).describeAddresses(b -> b.allocationIds(allocationIds)).addresses());
    }

    public List<ObservedAddress> byTags(AwsScope scope, Map<String, String> tags) {
        List<Filter> filters = tags.entrySet().stream()
                .map(e -> Filter.builder().name("tag:" + e.getKey()).values(e.getValue()).build()).toList();
        return toObserved(clients.ec2(scope).describeAddresses(b -> b.filters(filters)).addresses());
    }

    /**
     * Allocates one VPC address, tagged with its pool in the same call: AWS creates the address and its tags together,
     * so even when the answer is lost the address exists only tagged, and the pool's next observation (by that tag)
     * counts it and allocates no other. AllocateAddress takes no client token, so the SDK must not re-send it
     * (a resend after a lost answer is a second address): single attempt, and the failure goes to the caller.
     */
    @Override
    public String allocate(AwsScope scope, String poolKey, String installation, String claim) {
        return AwsFailures.call(() -> allocateInAws(scope, poolKey, installation, claim));
    }

    private String allocateInAws(AwsScope scope, String poolKey, String installation, String claim) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            Ec2Client once = clients.ec2SingleAttempt(scope);
            return once.allocateAddress(b -> b.domain(DomainType.VPC)
                    .tagSpecifications(t -> t.resourceType(ResourceType.ELASTIC_IP)
                            .tags(Tag.builder().key(Tags.POOL).value(poolKey).build(),
                                    Tag.builder().key(Tags.INSTALLATION).value(installation).build(),
                                    Tag.builder().key(Tags.CLAIMED_BY).value(claim).build()))).allocationId();
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    /**
     * EC2 has no conditional CreateTags: the tag read back after the write decides (the last writer's value is there).
     * Serialized in this process, so two pools of one operator never both read "unclaimed" and both win; between two
     * processes (two installations) a simultaneous claim can still be read back as won by both, and AllowReassociation
     * =false then lets only one associate — the other pool finds the address on a machine it does not place (foreign).
     */
    @Override
    public synchronized boolean claim(AwsScope scope, String allocationId, String claim) {
        return AwsFailures.call(() -> claimInAws(scope, allocationId, claim));
    }

    private boolean claimInAws(AwsScope scope, String allocationId, String claim) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            Ec2Client ec2 = clients.ec2(scope);
            String current = claimTag(ec2, allocationId);
            if (current == null) {
                ec2.createTags(b -> b.resources(allocationId).tags(Tag.builder().key(Tags.CLAIMED_BY).value(claim).build()));
                current = claimTag(ec2, allocationId);
            }
            return claim.equals(current);
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    @Override
    public void unclaim(AwsScope scope, String allocationId, String claim) {
        AwsFailures.run(() -> unclaimInAws(scope, allocationId, claim));
    }

    private void unclaimInAws(AwsScope scope, String allocationId, String claim) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            clients.ec2(scope).deleteTags(b -> b.resources(allocationId).tags(Tag.builder().key(Tags.CLAIMED_BY).value(claim).build()));
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    @Override
    public void orphan(AwsScope scope, String allocationId, String claim, String orphanedFrom) {
        AwsFailures.run(() -> orphanInAws(scope, allocationId, claim, orphanedFrom));
    }

    private void orphanInAws(AwsScope scope, String allocationId, String claim, String orphanedFrom) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            Ec2Client ec2 = clients.ec2(scope);
            ec2.createTags(b -> b.resources(allocationId).tags(Tag.builder().key(Tags.ORPHANED_FROM).value(orphanedFrom).build()));
            ec2.deleteTags(b -> b.resources(allocationId).tags(Tag.builder().key(Tags.CLAIMED_BY).value(claim).build()));
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    private static String claimTag(Ec2Client ec2, String allocationId) {
        return ec2.describeAddresses(b -> b.allocationIds(allocationId)).addresses().stream()
                .flatMap(a -> a.tags().stream()).filter(t -> Tags.CLAIMED_BY.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    /**
     * Records who the address is for before associating (so the assignment survives a crash in between), and again
     * after success (so a racing decider's refused attempt cannot leave its own name on our address).
     */
    @Override
    public void associate(AwsScope scope, String allocationId, String instanceId, String clusterKey) {
        AwsFailures.run(() -> associateInAws(scope, allocationId, instanceId, clusterKey));
    }

    private void associateInAws(AwsScope scope, String allocationId, String instanceId, String clusterKey) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            Ec2Client ec2 = clients.ec2(scope);
            tagAssignment(ec2, allocationId, instanceId, clusterKey);
            ec2.associateAddress(b -> b.allocationId(allocationId).instanceId(instanceId).allowReassociation(false));
            tagAssignment(ec2, allocationId, instanceId, clusterKey);
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    /** After a refused association: drop the assignment tags we wrote, unless someone has re-tagged since. */
    @Override
    public void forgetAssignment(AwsScope scope, String allocationId, String instanceId) {
        AwsFailures.run(() -> forgetAssignmentInAws(scope, allocationId, instanceId));
    }

    private void forgetAssignmentInAws(AwsScope scope, String allocationId, String instanceId) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            Ec2Client ec2 = clients.ec2(scope);
            boolean ours = ec2.describeAddresses(b -> b.allocationIds(allocationId)).addresses().stream()
                    .flatMap(a -> a.tags().stream())
                    .anyMatch(t -> Tags.ASSIGNED_INSTANCE.equals(t.key()) && instanceId.equals(t.value()));
            if (ours) {
                ec2.deleteTags(b -> b.resources(allocationId).tags(Tag.builder().key(Tags.ASSIGNED_INSTANCE).build(),
                        Tag.builder().key(Tags.ASSIGNED_CLUSTER).build()));
            }
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    private static void tagAssignment(Ec2Client ec2, String allocationId, String instanceId, String clusterKey) {
        ec2.createTags(b -> b.resources(allocationId).tags(
                Tag.builder().key(Tags.ASSIGNED_INSTANCE).value(instanceId).build(),
                Tag.builder().key(Tags.ASSIGNED_CLUSTER).value(clusterKey).build()));
    }

    @Override
    public void disassociate(AwsScope scope, String associationId) {
        AwsFailures.run(() -> disassociateInAws(scope, associationId));
    }

    private void disassociateInAws(AwsScope scope, String associationId) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            clients.ec2(scope).disassociateAddress(b -> b.associationId(associationId));
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    @Override
    public void release(AwsScope scope, String allocationId) {
        AwsFailures.run(() -> releaseInAws(scope, allocationId));
    }

    private void releaseInAws(AwsScope scope, String allocationId) {
        inventory.addressesChanged(scope); // before: even a write whose answer is lost may have changed it
        try {
            clients.ec2(scope).releaseAddress(b -> b.allocationId(allocationId));
        } finally {
            inventory.addressesChanged(scope); // after: a read that began during the write must not count
        }
    }

    /** Instances of the given clusters, found by their ownership tag: one paginated call for all of them. */
    public List<Instance> clusterInstances(AwsScope scope, Collection<String> clusterKeys) {
        if (clusterKeys.isEmpty()) {
            return List.of();
        }
        List<Instance> out = new ArrayList<>();
        clients.ec2(scope).describeInstancesPaginator(b -> b.filters(
                        Filter.builder().name("tag:" + Tags.CLUSTER).values(clusterKeys).build()))
                .reservations().forEach(r -> out.addAll(r.instances()));
        return out;
    }

    private static List<ObservedAddress> toObserved(List<Address> addresses) {
        return addresses.stream().map(a -> new ObservedAddress(a.allocationId(), a.publicIp(), a.instanceId(),
                        a.associationId(), a.networkInterfaceId(),
                        a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y))))
                .toList();
    }
}
