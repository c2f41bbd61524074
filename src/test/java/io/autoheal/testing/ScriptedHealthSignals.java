package io.autoheal.testing;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.health.HealthSignalSource;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A health source a fast-tier test scripts: the conclusive failures it names, until cleared. */
public final class ScriptedHealthSignals implements HealthSignalSource {
    private final Map<String, List<AppSignal>> failing = new ConcurrentHashMap<>();

    public void fail(String instanceId, AppSignal signal) {
        failing.merge(instanceId, List.of(signal), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
    }

    public void clear(String instanceId) {
        failing.remove(instanceId);
    }

    @Override
    public Map<String, List<AppSignal>> failing(HealingCluster cluster, Collection<String> members, Instant now) {
        return failing.entrySet().stream().filter(e -> members.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
