package io.autoheal.events;

import io.autoheal.fleet.AwsScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which inventories an event from AWS is placed in: events are per (account, region) as EventBridge delivers them
 * (a tenant account's bus forwards to the operator's queue), and so is the inventory. Pure.
 *
 * <p>The operator's own scope of the event's region is always asked (the operator does not read its own account id,
 * and a tenant role may live in the operator's account); besides it, every tenant scope of that region whose role is in
 * the event's account. Instance ids are unique across AWS, so asking one inventory too many costs a lookup in memory,
 * never a wrong cluster; a scope of another account or region is never asked.
 */
public final class EventScopes {
    private EventScopes() {
    }

    /**
     * @param account the event's account (the envelope's), blank when it has none
     * @param known   the scopes the inventory holds
     */
    public static List<AwsScope> route(String account, String region, Collection<AwsScope> known) {
        List<AwsScope> out = new ArrayList<>();
        out.add(AwsScope.own(region));
        if (account != null && !account.isBlank()) {
            known.stream().filter(s -> !s.isOwn() && s.region().equals(region) && s.account().equals(account))
                    .sorted(Comparator.comparing(AwsScope::roleArn).thenComparing(AwsScope::namespace))
                    .forEach(out::add);
        }
        return out;
    }
}
