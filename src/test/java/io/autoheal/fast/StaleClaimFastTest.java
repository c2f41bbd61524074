package io.autoheal.fast;

import io.autoheal.fleet.AwsScope;
import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.Installations;
import io.autoheal.fleet.Tags;
import io.autoheal.kube.Reason;
import io.autoheal.testing.FastOperator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A claim does not outlive its reason (StaleClaims): an address dropped from a pool's list loses the pool's claim but
 * stays on its machine, so another pool listing it finds it on a machine it cannot place (foreign, never moved) instead
 * of "claimed by" a pool that no longer wants it; a deleted pool leaves no claim.
 */
@Tag("fast")
class StaleClaimFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    final FastOperator op = FastOperator.builder().build();

    static ElasticIpPool listing(String name, String... ids) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(FastResources.NAMESPACE).withUid(name).withGeneration(1L).build());
        pool.setSpec(new ElasticIpPoolSpec());
        pool.getSpec().addresses = List.of(ids);
        return pool;
    }

    String claimOf(String allocationId) {
        return op.fleet.addresses(AwsScope.own("us-east-1"), new AddressSelector(List.of(allocationId), null, "", Installations.LEGACY)).get(0)
                .tags().get(Tags.CLAIMED_BY);
    }

    @Test
    void anAddressDroppedFromThePoolLosesItsClaimAndStaysOnItsMachine() {
        String a = op.fleet.addAddress(Map.of());
        String b = op.fleet.addAddress(Map.of());
        ElasticIpPool ips = listing("ips", a, b);
        op.pools.add(ips);
        HealingCluster hc = withPool(cluster("voip", 1), "ips");
        op.clusters.add(hc);
        op.run(6, TICK);
        String machine = op.fleet.serving(ClusterNames.asgName(hc, Installations.LEGACY, List.of())).get(0);
        String held = op.fleet.addressOf(machine);
        assertThat(held).isIn(a, b);
        assertThat(claimOf(held)).isEqualTo("default/fast/ips");
        String other = held.equals(a) ? b : a;

        ips.getSpec().addresses = List.of(other); // a person drops the held address from the list
        op.run(2, TICK);
        assertThat(claimOf(held)).as("no longer the pool's: its claim goes").isNull();
        assertThat(op.fleet.holderOf(held)).as("the association stays").isEqualTo(machine);
        assertThat(op.events.count(Reason.AddressesUnclaimed)).isEqualTo(1);

        ElasticIpPool second = listing("second", held); // another pool now lists it: on a machine it cannot place
        op.pools.add(second);
        op.run(2, TICK);
        assertThat(op.fleet.holderOf(held)).isEqualTo(machine);
        assertThat(second.getStatus().foreign).isEqualTo(1);
        assertThat(second.getStatus().conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ForeignAddresses");
            assertThat(c.getMessage()).doesNotContain("claimed by");
        });
    }
}
