package io.autoheal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Application probes: per cluster and probe (never per instance), and the vantage-point check per zone. */
@ApplicationScoped
public class ProbeMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ProbeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One probe sent and answered: outcome success or failure. */
    public void result(String namespace, String cluster, String probe, boolean success) {
        counter(success ? "autoheal.probes" : "autoheal.probe.failures", success ? "Probes that passed" : "Probes that failed (one machine, one run)",
                namespace, cluster, probe).increment();
    }

    /** A probe the address guard refused to send (autoheal.health.probe-allowed-cidrs, autoheal.outbound.allowed-cidrs). */
    public void refused(String namespace, String cluster, String probe) {
        counter("autoheal.probe.refused", "Probes not sent: their address is outside the allowed ranges", namespace, cluster, probe).increment();
    }

    public void machinesFailing(String namespace, String cluster, String probe, int machines) {
        gauge("autoheal.probe.machines.failing|" + namespace + "|" + cluster + "|" + probe, "autoheal.probe.machines.failing",
                "Machines whose probe is conclusively failing (failureThreshold reached)",
                Tags.of("namespace", namespace, "cluster", cluster, "probe", probe)).set(machines);
    }

    /** 1 while the zone's probe failures are blamed on the operator's vantage point (ProbesInconclusive). */
    public void inconclusive(String zone, boolean inconclusive) {
        gauge("autoheal.probes.inconclusive|" + zone, "autoheal.probes.inconclusive",
                "1 while most probed machines of every probed cluster in the zone fail at once", Tags.of("zone", zone)).set(inconclusive ? 1 : 0);
    }

    /** The cluster is gone: its series go (a cluster re-created with the same name starts from zero). */
    public void forget(String namespace, String cluster) {
        String marker = "|" + namespace + "|" + cluster + "|";
        counters.keySet().removeIf(k -> k.contains(marker));
        gauges.keySet().removeIf(k -> k.contains(marker));
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("autoheal.probe")
                        && namespace.equals(m.getId().getTag("namespace")) && cluster.equals(m.getId().getTag("cluster")))
                .toList().forEach(registry::remove);
    }

    /** A probe removed or renamed in the cluster's spec: its series go (the others stay). */
    public void keepOnly(String namespace, String cluster, java.util.Set<String> probes) {
        String marker = "|" + namespace + "|" + cluster + "|";
        java.util.function.Predicate<String> gone = k -> k.contains(marker) && !probes.contains(k.substring(k.indexOf(marker) + marker.length()));
        counters.keySet().removeIf(gone);
        gauges.keySet().removeIf(gone);
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("autoheal.probe") && m.getId().getTag("probe") != null
                        && namespace.equals(m.getId().getTag("namespace")) && cluster.equals(m.getId().getTag("cluster"))
                        && !probes.contains(m.getId().getTag("probe")))
                .toList().forEach(registry::remove);
    }

    private Counter counter(String name, String help, String namespace, String cluster, String probe) {
        return counters.computeIfAbsent(name + "|" + namespace + "|" + cluster + "|" + probe, k -> Counter.builder(name).description(help)
                .tags("namespace", namespace, "cluster", cluster, "probe", probe).register(registry));
    }

    private AtomicInteger gauge(String key, String name, String help, Tags tags) {
        return gauges.computeIfAbsent(key, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(help).tags(tags).register(registry);
            return value;
        });
    }
}
