package io.autoheal.testing;

import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.AddressWrites;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The Elastic IPs of an {@link InMemoryFleet}, with AWS' answers: an address in use is never moved
 * (AllowReassociation=false), associating replaces the instance's public IP, an address on an instance that is not
 * running or stopped is refused, a gone association and an address in use on release are errors.
 */
final class InMemoryAddresses {
    final Map<String, Address> byId = new LinkedHashMap<>();
    private final Map<String, Address> onInstance = new HashMap<>();
    /** By pool tag, as AWS filters server-side: a pool's read costs its own addresses, not the region's. */
    private final Map<String, Map<String, Address>> byPool = new HashMap<>();
    private final Consumer<String> call;
    private final Predicate<String> associable;
    int counter;
    int associations;

    /**
     * @param call       counts an operation and throws its injected fault, if any
     * @param associable whether an instance is in a state AWS associates an address with (running or stopped)
     */
    InMemoryAddresses(Consumer<String> call, Predicate<String> associable) {
        this.call = call;
        this.associable = associable;
    }

    static final class Address {
        final String allocationId;
        final String publicIp;
        String instanceId;
        String associationId;
        final Map<String, String> tags = new LinkedHashMap<>();

        Address(String allocationId, String publicIp) {
            this.allocationId = allocationId;
            this.publicIp = publicIp;
        }
    }

    Address create(Map<String, String> tags) {
        int n = ++counter;
        Address a = new Address(String.format("eipalloc-%08x", n), "198.51." + (100 + n / 250) + "." + (n % 250 + 1));
        byId.put(a.allocationId, a);
        tags.forEach((k, v) -> tag(a.allocationId, k, v));
        return a;
    }

    void seed(String allocationId, String publicIp, String instanceId, Map<String, String> tags) {
        Address a = new Address(allocationId, publicIp);
        byId.put(allocationId, a);
        tags.forEach((k, v) -> tag(allocationId, k, v));
        if (instanceId != null) {
            bind(a, instanceId, "eipassoc-" + allocationId.substring(allocationId.indexOf('-') + 1));
        }
    }

    void tag(String allocationId, String key, String value) {
        Address a = byId.get(allocationId);
        unindex(a);
        a.tags.put(key, value);
        if (a.tags.get(Tags.POOL) != null) {
            byPool.computeIfAbsent(a.tags.get(Tags.POOL), k -> new LinkedHashMap<>()).put(allocationId, a);
        }
    }

    private void unindex(Address a) {
        if (a.tags.get(Tags.POOL) != null) {
            byPool.getOrDefault(a.tags.get(Tags.POOL), new HashMap<>()).remove(a.allocationId);
        }
    }

    /** The address on this instance, null if none. */
    Address on(String instanceId) {
        return onInstance.get(instanceId);
    }

    String holderOf(String allocationId) {
        Address a = byId.get(allocationId);
        return a == null ? null : a.instanceId;
    }

    /** AWS frees an Elastic IP when its instance terminates. */
    void instanceTerminated(String instanceId) {
        unbind(onInstance.get(instanceId));
    }

    List<ObservedAddress> select(AddressSelector selector) {
        var candidates = selector.allocationIds() == null && selector.tags() == null
                ? byPool.getOrDefault(selector.poolKey(), Map.of()).values() : byId.values();
        return candidates.stream().filter(a -> selector.matches(a.allocationId, a.tags)).map(InMemoryAddresses::observed).toList();
    }

    static ObservedAddress observed(Address a) {
        return new ObservedAddress(a.allocationId, a.publicIp, a.instanceId, a.associationId, a.associationId == null ? null : "eni-" + a.instanceId,
                Map.copyOf(a.tags));
    }

    String allocate(String poolKey, String installation, String claim) {
        call.accept("AllocateAddress");
        return create(Map.of(Tags.POOL, poolKey, Tags.INSTALLATION, installation, Tags.CLAIMED_BY, claim)).allocationId;
    }

    /** As AWS: no conditional CreateTags; the value read back decides. */
    boolean claim(String allocationId, String claim) {
        Address a = address(allocationId);
        call.accept("DescribeAddresses");
        if (a.tags.get(Tags.CLAIMED_BY) == null) {
            call.accept("CreateTags");
            a.tags.put(Tags.CLAIMED_BY, claim);
            call.accept("DescribeAddresses");
        }
        return claim.equals(a.tags.get(Tags.CLAIMED_BY));
    }

    /** DeleteTags with a value removes the tag only when the value matches. */
    void unclaim(String allocationId, String claim) {
        Address a = address(allocationId);
        call.accept("DeleteTags");
        a.tags.remove(Tags.CLAIMED_BY, claim);
    }

    void orphan(String allocationId, String claim, String orphanedFrom) {
        Address a = address(allocationId);
        call.accept("CreateTags");
        a.tags.put(Tags.ORPHANED_FROM, orphanedFrom);
        call.accept("DeleteTags");
        a.tags.remove(Tags.CLAIMED_BY, claim);
    }

    void associate(String allocationId, String instanceId, String clusterKey) {
        Address a = address(allocationId);
        call.accept("CreateTags");
        a.tags.put(Tags.ASSIGNED_INSTANCE, instanceId);
        a.tags.put(Tags.ASSIGNED_CLUSTER, clusterKey);
        call.accept("AssociateAddress");
        if (a.associationId != null && !instanceId.equals(a.instanceId)) {
            throw FleetFaults.error(AddressWrites.ALREADY_ASSOCIATED, 400, "resource " + allocationId + " is already associated with associate-id "
                    + a.associationId);
        }
        if (!associable.test(instanceId)) {
            throw FleetFaults.error("InvalidInstanceID", 400, "The pending instance '" + instanceId + "' is not in a valid state for this operation.");
        }
        if (a.associationId == null) {
            bind(a, instanceId, String.format("eipassoc-%08x", ++associations));
        }
        call.accept("CreateTags");
    }

    void forgetAssignment(String allocationId, String instanceId) {
        Address a = address(allocationId);
        if (instanceId.equals(a.tags.get(Tags.ASSIGNED_INSTANCE))) {
            call.accept("DeleteTags");
            a.tags.remove(Tags.ASSIGNED_INSTANCE);
            a.tags.remove(Tags.ASSIGNED_CLUSTER);
        }
    }

    void disassociate(String associationId) {
        call.accept("DisassociateAddress");
        Address a = byId.values().stream().filter(x -> associationId.equals(x.associationId)).findFirst()
                .orElseThrow(() -> FleetFaults.error(AddressWrites.ASSOCIATION_GONE, 400, "The association ID '" + associationId + "' does not exist"));
        unbind(a);
    }

    void release(String allocationId) {
        call.accept("ReleaseAddress");
        Address a = address(allocationId);
        if (a.associationId != null) {
            throw FleetFaults.error("InvalidIPAddress.InUse", 400, "Address " + a.publicIp + " is in use.");
        }
        unindex(a);
        byId.remove(allocationId);
    }

    private Address address(String allocationId) {
        Address a = byId.get(allocationId);
        if (a == null) {
            throw FleetFaults.error("InvalidAllocationID.NotFound", 400, "The allocation ID '" + allocationId + "' does not exist");
        }
        return a;
    }

    void bind(Address a, String instanceId, String associationId) {
        unbind(onInstance.get(instanceId)); // AWS replaces the instance's public IP
        unbind(a);
        a.instanceId = instanceId;
        a.associationId = associationId;
        onInstance.put(instanceId, a);
    }

    private void unbind(Address a) {
        if (a != null && a.instanceId != null) {
            onInstance.remove(a.instanceId);
            a.instanceId = null;
            a.associationId = null;
        }
    }
}
