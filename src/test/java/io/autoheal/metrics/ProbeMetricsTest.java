package io.autoheal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ProbeMetricsTest {

    @Test
    void perClusterAndProbeNeverPerMachineAndForgottenWithTheCluster() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProbeMetrics metrics = new ProbeMetrics(registry);
        metrics.result("ns", "a", "web", false);
        metrics.result("ns", "a", "web", false);
        metrics.result("ns", "a", "web", true);
        metrics.machinesFailing("ns", "a", "web", 1);
        metrics.result("ns", "b", "web", false);
        assertThat(registry.get("autoheal.probe.failures").tags("namespace", "ns", "cluster", "a", "probe", "web").counter().count()).isEqualTo(2);
        assertThat(registry.get("autoheal.probe.machines.failing").tags("cluster", "a").gauge().value()).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags()).noneMatch(t -> t.getKey().contains("instance")));
        metrics.forget("ns", "a");
        assertThat(registry.find("autoheal.probe.failures").tags("cluster", "a").counters()).isEmpty();
        assertThat(registry.find("autoheal.probe.machines.failing").tags("cluster", "a").gauges()).isEmpty();
        assertThat(registry.find("autoheal.probe.failures").tags("cluster", "b").counters()).hasSize(1);
        metrics.result("ns", "a", "web", false); // re-created with the same name: counts from zero
        assertThat(registry.get("autoheal.probe.failures").tags("cluster", "a").counter().count()).isEqualTo(1);
    }
}
