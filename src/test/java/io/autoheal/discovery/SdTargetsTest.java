package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.api.v1alpha1.DiscoveryPort;
import io.autoheal.api.v1alpha1.DiscoveryProtocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SdTargetsTest {
    static final List<DiscoveryPort> PORTS = List.of(new DiscoveryPort("http", 80, DiscoveryProtocol.TCP),
            new DiscoveryPort("metrics", 9100, DiscoveryProtocol.TCP));
    static final ClusterTargets WEB = new ClusterTargets("shop", "web", "web,edge", "prod", 9100, PORTS, List.of(
            new Member("i-a", "10.0.0.1", null, "10.0.0.1", "us-east-1a", "1", true, true, false),
            new Member("i-b", "10.0.0.2", null, "10.0.0.2", "us-east-1b", "1", false, true, true),
            new Member("i-c", null, null, null, null, null, false, false, false)));
    static final ClusterTargets API = new ClusterTargets("shop", "api", "api", "prod", null, PORTS, List.of(
            new Member("i-d", "10.0.1.1", null, "10.0.1.1", "us-east-1a", "1", true, true, false)));
    static final ClusterTargets OTHER = new ClusterTargets("blog", "web", "web", "staging", 9100, PORTS, List.of(
            new Member("i-e", "10.0.2.1", null, "10.0.2.1", "us-east-1c", "1", true, true, false)));

    static SdTargets.Query query(String namespace, String cluster, String port) {
        return new SdTargets.Query(Optional.ofNullable(namespace), Optional.ofNullable(cluster), Optional.ofNullable(port));
    }

    @SuppressWarnings("unchecked")
    static List<String> targets(List<Map<String, Object>> groups) {
        return groups.stream().flatMap(g -> ((List<String>) g.get("targets")).stream()).toList();
    }

    @Test
    void onlyMembersInServiceWithTheirLabels() {
        List<Map<String, Object>> groups = SdTargets.groups(List.of(WEB), query(null, null, null));
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.get("targets")).isEqualTo(List.of("10.0.0.1:9100"));
            assertThat(g.get("labels")).isEqualTo(Map.of("namespace", "shop", "cluster", "web", "role", "web,edge", "env", "prod",
                    "zone", "us-east-1a", "instance_id", "i-a"));
        });
    }

    @Test
    void filtersByNamespaceAndCluster() {
        var all = List.of(WEB, API, OTHER);
        assertThat(targets(SdTargets.groups(all, query("shop", null, "80")))).containsExactly("10.0.1.1:80", "10.0.0.1:80");
        assertThat(targets(SdTargets.groups(all, query(null, "web", null)))).containsExactly("10.0.2.1:9100", "10.0.0.1:9100");
        assertThat(targets(SdTargets.groups(all, query("blog", "web", null)))).containsExactly("10.0.2.1:9100");
        assertThat(SdTargets.groups(all, query("nowhere", null, null))).isEmpty();
    }

    @Test
    void thePortIsTheQuerysNumberOrPortNameElseTheMetricsPort() {
        assertThat(targets(SdTargets.groups(List.of(WEB), query(null, null, "http")))).containsExactly("10.0.0.1:80");
        assertThat(targets(SdTargets.groups(List.of(WEB), query(null, null, "8080")))).containsExactly("10.0.0.1:8080");
        // A cluster without that port name, or without a metrics port and no port asked: not listed (no guessed port).
        assertThat(SdTargets.groups(List.of(WEB), query(null, null, "grpc"))).isEmpty();
        assertThat(SdTargets.groups(List.of(API), query(null, null, null))).isEmpty();
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> query(null, null, "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query(null, null, "70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query(null, null, "99999999999")).isInstanceOf(IllegalArgumentException.class);
    }
}
