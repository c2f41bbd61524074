package io.autoheal.eip;

import io.autoheal.eip.AddressAllocator.Candidate;
import io.autoheal.eip.AddressAllocator.PoolAddress;
import java.util.ArrayList;
import java.util.List;

/** A pool and its clusters' instances, with "what AWS would look like after the plan ran" for tests. */
record AllocatorWorld(List<PoolAddress> addresses, List<Candidate> candidates) {

    AllocationPlan plan() {
        return AddressAllocator.plan(addresses, candidates);
    }

    /** Applies a plan the way AWS and the pool reconciler would: disassociate, then tag and associate. */
    AllocatorWorld apply(AllocationPlan plan) {
        List<PoolAddress> next = new ArrayList<>();
        for (PoolAddress a : addresses) {
            PoolAddress n = a;
            for (AllocationPlan.Disassociate d : plan.disassociate()) {
                if (d.allocationId().equals(a.allocationId())) {
                    n = new PoolAddress(a.allocationId(), a.publicIp(), null, null, a.lastCluster(), a.lastInstance());
                }
            }
            for (AllocationPlan.Associate as : plan.associate()) {
                if (as.allocationId().equals(a.allocationId())) {
                    n = new PoolAddress(a.allocationId(), a.publicIp(), as.instanceId(), "eipassoc-" + as.instanceId(), as.cluster(), as.instanceId());
                }
            }
            next.add(n);
        }
        return new AllocatorWorld(next, candidates);
    }

    static PoolAddress free(String id, String lastCluster) {
        return new PoolAddress(id, "203.0.113." + Math.abs(id.hashCode() % 250), null, null, lastCluster, null);
    }

    static PoolAddress on(String id, String instanceId, String lastCluster, String lastInstance) {
        return new PoolAddress(id, "203.0.113." + Math.abs(id.hashCode() % 250), instanceId, "eipassoc-" + id, lastCluster, lastInstance);
    }
}
