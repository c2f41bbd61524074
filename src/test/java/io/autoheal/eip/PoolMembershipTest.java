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
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-0a1b2c3d", Map.of())).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-99999999", Map.of("team", "edge"))).isFalse();
    }

    @Test
    void aSelectorNeedsEveryTag() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.selector = Map.of("team", "edge", "env", "prod");
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of("team", "edge", "env", "prod", "x", "y"))).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of("team", "edge"))).isFalse();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of("team", "edge", "env", "dev"))).isFalse();
    }

    @Test
    void otherwiseOurPoolTagForThisPool() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.allocate = new AllocateSpec();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of(Tags.POOL, "ns/voip-eips"))).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of(Tags.POOL, "other/voip-eips"))).isFalse();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", Map.of())).isFalse();
    }

    /** Two installations in one account, each with a pool of the same namespace/name: each allocated its own addresses. */
    @Test
    void ourPoolTagCountsOnlyForTheInstallationThatAllocatedIt() {
        ElasticIpPoolSpec spec = new ElasticIpPoolSpec();
        spec.allocate = new AllocateSpec();
        Map<String, String> staging = Map.of(Tags.POOL, "ns/voip-eips", Tags.INSTALLATION, "staging");
        Map<String, String> untagged = Map.of(Tags.POOL, "ns/voip-eips");
        assertThat(PoolMembership.contains(pool(spec), "staging", "eipalloc-1", staging)).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "production", "eipalloc-1", staging)).isFalse();
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", staging)).isFalse();
        // allocated before the installation tag existed: the legacy installation's only
        assertThat(PoolMembership.contains(pool(spec), "default", "eipalloc-1", untagged)).isTrue();
        assertThat(PoolMembership.contains(pool(spec), "production", "eipalloc-1", untagged)).isFalse();
        // a list or a selector names addresses whoever made them: ownership is then the claim's (AddressOwnership)
        ElasticIpPoolSpec listed = new ElasticIpPoolSpec();
        listed.addresses = List.of("eipalloc-1");
        assertThat(PoolMembership.contains(pool(listed), "production", "eipalloc-1", staging)).isTrue();
    }

    @Test
    void theRowNotesAnAddressFromOutsideThePoolOnly() {
        ElasticIpPool pool = pool(new ElasticIpPoolSpec());
        assertThat(PoolMembership.outsideNote(pool, "default", address("eipalloc-9", Map.of("team", "ops"))))
                .hasValue("holds Elastic IP 203.0.113.7 (eipalloc-9) from outside pool voip-eips: keeps it, no pool address is assigned");
        assertThat(PoolMembership.outsideNote(pool, "default", address("eipalloc-1", Map.of(Tags.POOL, "ns/voip-eips")))).isEmpty();
        assertThat(PoolMembership.outsideNote(pool, "default", null)).isEmpty();
    }
}
