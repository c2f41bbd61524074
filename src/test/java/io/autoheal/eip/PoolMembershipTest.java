package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.AllocateSpec;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Elastic IPs are a pool's — the rule PoolObserver reads them with — and the status row's note. */
class PoolMembershipTest {

    static ElasticIpPool pool(ElasticIpPoolSpec spec) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("voip-eips").build());
        pool.setSpec(spec);
        return pool;
    }

    static ObservedAddress address(String id, Map<String, String> tags) {
        return new ObservedAddress(id, "203.0.113.7", "i-1", "eipassoc-1", "eni-1", tags);
    }

    @Test
    void anExplicitListDecidesAloneWhateverTheTags() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.addresses = List.of("eipalloc-0a1b2c3d");
        spec.selector = Map.of("team", "edge");
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-0a1b2c3d", Map.of())).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-99999999", Map.of("team", "edge"))).isFalse();
    }

    @Test
    void aSelectorNeedsEveryTag() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.selector = Map.of("team", "edge", "env", "prod");
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of("team", "edge", "env", "prod", "x", "y"))).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of("team", "edge"))).isFalse();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of("team", "edge", "env", "dev"))).isFalse();
    }

    @Test
    void otherwiseOurPoolTagForThisPool() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.allocate = new AllocateSpec();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of(Tags.POOL, "ns/voip-eips"))).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of(Tags.POOL, "other/voip-eips"))).isFalse();
        assertThat(PoolMembership.contains(pool(spec), "eipalloc-1", Map.of())).isFalse();
    }

    @Test
    void theRowNotesAnAddressFromOutsideThePoolOnly() {
        ElasticIpPool pool = pool(new ElasticIpPoolSpec());
        assertThat(PoolMembership.outsideNote(pool, address("eipalloc-9", Map.of("team", "ops"))))
                .hasValue("holds Elastic IP 203.0.113.7 (eipalloc-9) from outside pool voip-eips: keeps it, no pool address is assigned");
        assertThat(PoolMembership.outsideNote(pool, address("eipalloc-1", Map.of(Tags.POOL, "ns/voip-eips")))).isEmpty();
        assertThat(PoolMembership.outsideNote(pool, null)).isEmpty();
    }
}
