package io.autoheal.scale;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.AddressWrites;
import io.autoheal.fleet.AsgAction;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.EventQueue;
import io.autoheal.fleet.EventQueues;
import io.autoheal.fleet.FleetInstance;
import io.autoheal.fleet.GroupWrites;
import io.autoheal.fleet.InventoryInvalidation;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.fleet.LaunchTemplateResolver;
import io.autoheal.fleet.LifecycleActions;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.fleet.Tags;
import io.autoheal.fleet.TargetHealthReads;
import io.autoheal.events.EventRouting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every AWS port of the operator served by the {@link StandInRegion} instead of the AWS adapters: a CDI alternative,
 * enabled only by {@link ScaleProfile}, so the real operator (JOSDK, informers, status writes, Events, metrics, the
 * event consumer, the write fence's decorators) runs unchanged above the ports. Writes are counted on the way through.
 */
@Alternative
@ApplicationScoped
public class StandInCloud implements InventoryReads, InventoryInvalidation, TargetHealthReads, GroupWrites, LifecycleActions,
        AddressWrites, LaunchTemplateResolver, EventQueues {
    private final StandInRegion region = StandInRegion.current();

    private <T> T write(String portMethod, java.util.function.Supplier<T> call) {
        region.wrote(portMethod);
        return call.get();
    }

    private void write(String portMethod, Runnable call) {
        region.wrote(portMethod);
        call.run();
    }

    // ---- reads

    @Override
    public ClusterObservation observeCluster(AwsScope r, String asgName, boolean gated) {
        region.observed(asgName);
        scopes.add(r);
        return region.fleet.observeCluster(r, asgName, gated);
    }

    @Override
    public Optional<ObservedAsg> describeGroup(AwsScope r, String asgName, boolean withLaunchHooks) {
        return region.fleet.describeGroup(r, asgName, withLaunchHooks);
    }

    @Override
    public List<String> groupsOf(AwsScope r, String clusterKey, String installation) {
        return region.fleet.groupsOf(r, clusterKey, installation);
    }

    @Override
    public List<ObservedAddress> addresses(AwsScope r, AddressSelector selector) {
        return region.fleet.addresses(r, selector);
    }

    @Override
    public List<FleetInstance> clusterInstances(AwsScope r, Collection<String> clusterKeys) {
        return region.fleet.clusterInstances(r, clusterKeys);
    }

    @Override
    public ObservedTargetHealth targetHealth(AwsScope r) {
        return ObservedTargetHealth.NONE;
    }

    // ---- what an event tells the inventory: the in-memory fleet is read live on every pass, nothing to mark stale

    /** Every scope a pass asked about: the stand-in serves whatever region the operator is configured for. */
    private final java.util.Set<AwsScope> scopes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public java.util.Set<AwsScope> scopes() {
        return java.util.Set.copyOf(scopes);
    }

    @Override
    public Optional<String> clusterOfInstance(AwsScope r, String instanceId) {
        try {
            return Optional.ofNullable(region.fleet.instanceTags(instanceId).get(Tags.CLUSTER));
        } catch (NullPointerException unknown) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> clusterOfGroup(AwsScope r, String asgName) {
        return region.fleet.group(asgName).map(g -> g.tags().get(Tags.CLUSTER));
    }

    @Override
    public boolean synced(AwsScope r) {
        return true;
    }

    @Override
    public void instanceChanged(AwsScope r, String instanceId) {
        region.eventPlaced(instanceId); // only the event sink marks instances changed
    }

    @Override
    public void groupChanged(AwsScope r, String asgName) {
    }

    // ---- group writes and lifecycle actions

    @Override
    public void apply(AwsScope r, AsgAction action) {
        write("GroupWrites.apply", () -> region.fleet.apply(r, action));
    }

    @Override
    public void replaceInstance(AwsScope r, String instanceId) {
        region.replacing(instanceId);
        write("GroupWrites.replaceInstance", () -> region.fleet.replaceInstance(r, instanceId));
    }

    @Override
    public void delete(AwsScope r, String asgName, boolean force) {
        write("GroupWrites.delete", () -> region.fleet.delete(r, asgName, force));
    }

    @Override
    public void untag(AwsScope r, String asgName, List<String> keys) {
        write("GroupWrites.untag", () -> region.fleet.untag(r, asgName, keys));
    }

    @Override
    public Map<String, Map<String, String>> disownInstances(AwsScope r, List<String> instanceIds, String clusterKey, String orphanedFrom) {
        return write("GroupWrites.disownInstances", () -> region.fleet.disownInstances(r, instanceIds, clusterKey, orphanedFrom));
    }

    @Override
    public void tagInstance(AwsScope r, String instanceId, String key, String value) {
        write("GroupWrites.tagInstance", () -> region.fleet.tagInstance(r, instanceId, key, value));
    }

    @Override
    public void setDesired(AwsScope r, String asgName, int desired) {
        write("GroupWrites.setDesired", () -> region.fleet.setDesired(r, asgName, desired));
    }

    @Override
    public void removeInstance(AwsScope r, String instanceId) {
        region.replacing(instanceId);
        write("GroupWrites.removeInstance", () -> region.fleet.removeInstance(r, instanceId));
    }

    @Override
    public void completeLaunch(AwsScope r, String asgName, String instanceId, boolean proceed) {
        write("LifecycleActions.completeLaunch", () -> region.fleet.completeLaunch(r, asgName, instanceId, proceed));
    }

    @Override
    public void heartbeat(AwsScope r, String asgName, String instanceId) {
        write("LifecycleActions.heartbeat", () -> region.fleet.heartbeat(r, asgName, instanceId));
    }

    @Override
    public void completeDrain(AwsScope r, String asgName, String instanceId) {
        write("LifecycleActions.completeDrain", () -> region.fleet.completeDrain(r, asgName, instanceId));
    }

    @Override
    public void drainHeartbeat(AwsScope r, String asgName, String instanceId) {
        write("LifecycleActions.drainHeartbeat", () -> region.fleet.drainHeartbeat(r, asgName, instanceId));
    }

    // ---- address writes

    @Override
    public String allocate(AwsScope r, String poolKey, String installation, String claim) {
        return write("AddressWrites.allocate", () -> region.fleet.allocate(r, poolKey, installation, claim));
    }

    @Override
    public boolean claim(AwsScope r, String allocationId, String claim) {
        return write("AddressWrites.claim", () -> region.fleet.claim(r, allocationId, claim));
    }

    @Override
    public void unclaim(AwsScope r, String allocationId, String claim) {
        write("AddressWrites.unclaim", () -> region.fleet.unclaim(r, allocationId, claim));
    }

    @Override
    public void orphan(AwsScope r, String allocationId, String claim, String orphanedFrom) {
        write("AddressWrites.orphan", () -> region.fleet.orphan(r, allocationId, claim, orphanedFrom));
    }

    @Override
    public void associate(AwsScope r, String allocationId, String instanceId, String clusterKey) {
        write("AddressWrites.associate", () -> region.fleet.associate(r, allocationId, instanceId, clusterKey));
    }

    @Override
    public void forgetAssignment(AwsScope r, String allocationId, String instanceId) {
        write("AddressWrites.forgetAssignment", () -> region.fleet.forgetAssignment(r, allocationId, instanceId));
    }

    @Override
    public void disassociate(AwsScope r, String associationId) {
        write("AddressWrites.disassociate", () -> region.fleet.disassociate(r, associationId));
    }

    @Override
    public void release(AwsScope r, String allocationId) {
        write("AddressWrites.release", () -> region.fleet.release(r, allocationId));
    }

    // ---- launch templates: a write only when a template is created or versioned

    @Override
    public Resolved resolveReference(AwsScope r, LaunchTemplateRef ref) {
        return region.templates.resolveReference(r, ref);
    }

    @Override
    public Resolved ensureOwned(AwsScope r, String name, String clusterKey, String incarnation, InlineMachine machine,
                                Map<String, String> instanceTags) {
        synchronized (region.templates) {
            String before = region.templates.versionOf(name);
            Resolved resolved = region.templates.ensureOwned(r, name, clusterKey, incarnation, machine, instanceTags);
            if (before == null || !before.equals(resolved.version())) {
                region.wrote(before == null ? "LaunchTemplates.create" : "LaunchTemplates.version");
            }
            return resolved;
        }
    }

    @Override
    public void deleteOwned(AwsScope r, String name, String clusterKey) {
        write("LaunchTemplates.deleteOwned", () -> region.templates.deleteOwned(r, name, clusterKey));
    }

    @Override
    public void disownOwned(AwsScope r, String name, String clusterKey, String orphanedFrom) {
        write("LaunchTemplates.disownOwned", () -> region.templates.disownOwned(r, name, clusterKey, orphanedFrom));
    }

    @Override
    public void forget(AwsScope r) {
        region.templates.forget(r);
    }

    // ---- the event queue

    @Override
    public EventQueue open(String queueUrl) {
        return new EventQueue() {
            private long ids;

            @Override
            public String url() {
                return queueUrl;
            }

            @Override
            public List<Message> receive(int maxMessages, int waitSeconds) {
                long until = System.nanoTime() + waitSeconds * 1_000_000_000L;
                List<Message> got = new ArrayList<>();
                while (got.isEmpty() && System.nanoTime() < until) {
                    for (String body; got.size() < maxMessages && (body = region.events.poll()) != null; ) {
                        String id = "m-" + (++ids);
                        got.add(new Message(id, id, body));
                    }
                    if (got.isEmpty()) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                return got;
            }

            @Override
            public List<String> delete(List<Message> messages) {
                return List.of(); // taken off the queue when received
            }

            @Override
            public Map<String, String> tags() {
                return Map.of(EventRouting.QUEUE_TAG, EventRouting.UNSHARDED);
            }

            @Override
            public long waiting() {
                return region.events.size();
            }

            @Override
            public void close() {
            }
        };
    }
}
