package io.autoheal.testing;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.health.HealthWatch;
import io.autoheal.kube.Conditions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the in-process operator's complete passes (AWS observed, status reported) per cluster, so a sandbox test can
 * prove "nothing happened" by waiting for passes instead of sleeping: {@code @Inject PassCounter passes}, then
 * {@code passes.awaitMore(namespace, name, 3)}. A {@link HealthWatch} that only listens (the reconciler tells every
 * watch after each such pass); it sets no condition.
 */
@ApplicationScoped
public class PassCounter implements HealthWatch {
    private final Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();

    @Override
    public void seen(HealingCluster cluster, ClusterObservation observed, List<InstanceStatus> rows, Instant now) {
        passes.computeIfAbsent(key(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName()), k -> new AtomicInteger())
                .incrementAndGet();
    }

    @Override
    public void forget(HealingCluster cluster) {
        // kept: a test may still ask
    }

    @Override
    public void conditions(HealingCluster cluster, Conditions conditions) {
        // listens only
    }

    public int of(String namespace, String name) {
        AtomicInteger n = passes.get(key(namespace, name));
        return n == null ? 0 : n.get();
    }

    /** Waits (at most {@code within}) until the cluster has made {@code more} complete passes after this call. */
    public void awaitMore(String namespace, String name, int more, java.time.Duration within) {
        int from = of(namespace, name);
        org.awaitility.Awaitility.await().atMost(within).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> of(namespace, name) >= from + more);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
