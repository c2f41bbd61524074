package io.autoheal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Elastic IP pool gauges and counters, labelled by namespace and pool only (bounded cardinality). */
@ApplicationScoped
public class PoolMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public PoolMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void addresses(String namespace, String pool, int free, int assigned, int foreign, int waiting) {
        gauge("autoheal.eip.pool.addresses", "Addresses of a pool by state (free, assigned, foreign)", namespace, pool, "free").set(free);
        gauge("autoheal.eip.pool.addresses", "Addresses of a pool by state (free, assigned, foreign)", namespace, pool, "assigned").set(assigned);
        gauge("autoheal.eip.pool.addresses", "Addresses of a pool by state (free, assigned, foreign)", namespace, pool, "foreign").set(foreign);
        gauge("autoheal.eip.pool.waiting.instances", "Machines that need an address of the pool and have none", namespace, pool, null).set(waiting);
    }

    public void exhausted(String namespace, String pool, boolean exhausted) {
        gauge("autoheal.eip.pool.exhausted", "1 while machines wait for an address and the pool has none free", namespace, pool, null)
                .set(exhausted ? 1 : 0);
    }

    /** outcome: associated, disassociated, refused (AWS said the address is taken), failed. */
    public void association(String namespace, String pool, String outcome) {
        Counter.builder("autoheal.eip.associations").description("Association changes of pool addresses, by outcome")
                .tags("namespace", namespace, "pool", pool, "outcome", outcome).register(registry).increment();
    }

    /** outcome: sent, failed. */
    public void notification(String namespace, String pool, String outcome) {
        Counter.builder("autoheal.notifications").description("Exhaustion notifications sent to the webhook, by outcome")
                .tags("namespace", namespace, "pool", pool, "outcome", outcome).register(registry).increment();
    }

    public void forget(String namespace, String pool) {
        gauges.keySet().removeIf(k -> k.startsWith(namespace + "|" + pool + "|"));
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("autoheal.") && namespace.equals(m.getId().getTag("namespace"))
                        && pool.equals(m.getId().getTag("pool")))
                .toList().forEach(registry::remove);
    }

    private AtomicInteger gauge(String name, String help, String namespace, String pool, String state) {
        String key = namespace + "|" + pool + "|" + name + "|" + state;
        return gauges.computeIfAbsent(key, k -> {
            AtomicInteger value = new AtomicInteger();
            Tags tags = Tags.of("namespace", namespace, "pool", pool);
            if (state != null) {
                tags = tags.and("state", state);
            }
            Gauge.builder(name, value, AtomicInteger::get).description(help).tags(tags).register(registry);
            return value;
        });
    }
}
