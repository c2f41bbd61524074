package io.autoheal.events;

import io.autoheal.cluster.AwsNotices;
import io.autoheal.cluster.ClusterWakeups;
import io.autoheal.cluster.healing.Verdict;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.InventoryInvalidation;
import jakarta.enterprise.context.ApplicationScoped;
import io.autoheal.fleet.AwsScope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an event from AWS does: the instances and group it names are read again by the next pass (the inventory marks
 * them stale), and the cluster they belong to is reconciled at once. Level-based: the event only says where to look,
 * so duplicates and out-of-order events cost a read, never a wrong action.
 */
@ApplicationScoped
public class InventoryEventSink implements Consumer<FleetEvent> {
    private final InventoryInvalidation inventory;
    private final ClusterWakeups wakeups;
    private final AwsNotices notices;
    private final String defaultRegion;

    public InventoryEventSink(InventoryInvalidation inventory, ClusterWakeups wakeups, AwsNotices notices, OperatorConfig config) {
        this.inventory = inventory;
        this.wakeups = wakeups;
        this.notices = notices;
        this.defaultRegion = config.region();
    }

    @Override
    public void accept(FleetEvent event) {
        place(event);
    }

    /**
     * Acts on the event as {@link #accept} does and says whose it was: whether the consumer may delete it is
     * {@link EventRouting#decide}'s question.
     */
    public EventRouting.Ownership place(FleetEvent event) {
        String region = event.region().orElse(defaultRegion);
        List<AwsScope> scopes = EventScopes.route(event.account().orElse(""), region, inventory.scopes());
        java.util.Optional<Verdict.Reason> notice = notice(event);
        Set<String> clusters = new LinkedHashSet<>();
        for (AwsScope scope : scopes) {
            for (String instanceId : event.instanceIds()) {
                java.util.Optional<String> cluster = inventory.clusterOfInstance(scope, instanceId);
                cluster.ifPresent(clusters::add);
                // Only our machines' notices are kept: the account's other Spot fleets must not fill the store.
                if (cluster.isPresent() && notice.isPresent()) {
                    notices.announce(instanceId, notice.get());
                }
                inventory.instanceChanged(scope, instanceId);
            }
            // Only our groups: the account's other groups' events must not pile up marks nobody reads.
            event.group().ifPresent(group -> inventory.clusterOfGroup(scope, group).ifPresent(cluster -> {
                clusters.add(cluster);
                inventory.groupChanged(scope, group);
            }));
        }
        clusters.forEach(wakeups::wake);
        if (!clusters.isEmpty()) {
            return EventRouting.Ownership.OURS;
        }
        if (event.instanceIds().isEmpty() && event.group().isEmpty()) {
            return EventRouting.Ownership.NOTHING_TO_OWN;
        }
        // Placed only by inventories that hold the event's scope and have read it: nothing read yet there = cannot tell.
        Set<AwsScope> held = inventory.scopes();
        List<AwsScope> asked = scopes.stream().filter(held::contains).toList();
        return (asked.isEmpty() ? scopes : asked).stream().allMatch(inventory::synced) ? EventRouting.Ownership.NOT_OURS : EventRouting.Ownership.UNPLACED;
    }

    /** What an announcement asks of healing: replace the machine before AWS takes it. */
    static java.util.Optional<Verdict.Reason> notice(FleetEvent event) {
        if (event instanceof FleetEvent.SpotInterruption) {
            return java.util.Optional.of(Verdict.Reason.SpotInterruption);
        }
        if (event instanceof FleetEvent.RebalanceRecommendation) {
            return java.util.Optional.of(Verdict.Reason.RebalanceRecommended);
        }
        if (event instanceof FleetEvent.ScheduledChange) {
            return java.util.Optional.of(Verdict.Reason.ScheduledChange);
        }
        return java.util.Optional.empty();
    }
}
