package io.autoheal.fast;

import io.autoheal.fleet.AwsScope;
import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.pool;
import static io.autoheal.fast.FastResources.withPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.DeletionPolicy;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.fleet.AddressSelector;
import io.autoheal.fleet.Installations;
import io.autoheal.fleet.ObservedAddress;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.FastOperator;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deletionPolicy Orphan rewrites the ownership tags of what it leaves (OrphanMarks): a cluster created again under the
 * same namespace/name, with the same pool, takes none of the orphaned machines, group or template as its own.
 */
@Tag("fast")
class OrphanFastTest {
    static final Duration TICK = Duration.ofSeconds(10);
    static final String MARK = "default/" + FastResources.NAMESPACE + "/voip";
    final FastOperator op = FastOperator.builder().build();

    @Test
    void aClusterCreatedAgainUnderTheSameNameTakesNothingTheOrphanLeft() {
        ElasticIpPool ips = pool("ips", 3);
        op.pools.add(ips);
        HealingCluster first = withPool(cluster("voip", 3), "ips");
        first.getSpec().deletionPolicy = DeletionPolicy.Orphan;
        op.clusters.add(first);
        op.run(6, TICK);
        String asg = ClusterNames.asgName(first, Installations.LEGACY, List.of());
        List<String> machines = op.fleet.serving(asg);
        assertThat(machines).hasSize(3).allSatisfy(m -> assertThat(op.fleet.addressOf(m)).isNotNull());

        assertThat(op.delete(first, 3, TICK)).as("orphaned at once").isTrue();

        // the machines, the group and the template no longer say they are the cluster's; each is marked whose it was
        assertThat(machines).allSatisfy(m -> assertThat(op.fleet.instanceTags(m)).doesNotContainKey(Tags.CLUSTER)
                .containsEntry(Tags.ORPHANED_FROM, MARK).containsEntry(Tags.INSTALLATION, Installations.LEGACY));
        assertThat(op.fleet.group(asg).orElseThrow().tags()).doesNotContainKey(Tags.CLUSTER).containsEntry(Tags.ORPHANED_FROM, MARK);
        assertThat(op.templates.owner(asg)).isEqualTo("orphaned-from " + MARK);

        // Someone takes the address off one orphaned machine; the cluster is created again, same name, same pool.
        String bare = machines.get(0);
        ObservedAddress freed = op.fleet.addresses(AwsScope.own("us-east-1"), new AddressSelector(null, null, "fast/ips", Installations.LEGACY)).stream()
                .filter(a -> bare.equals(a.instanceId())).findFirst().orElseThrow();
        op.fleet.disassociate(AwsScope.own("us-east-1"), freed.associationId());
        HealingCluster again = withPool(cluster("voip", 3), "ips");
        again.getMetadata().setUid(UUID.randomUUID().toString());
        op.clusters.add(again);
        op.run(6, TICK);

        assertThat(op.fleet.addressOf(bare)).as("the pool gives nothing to an orphaned machine").isNull();
        assertThat(op.fleet.holderOf(freed.allocationId())).isNull();
        assertThat(op.fleet.serving(asg)).as("the orphaned group is not resized or healed").containsExactlyElementsOf(machines);
        assertThat(op.fleet.group(asg).orElseThrow().tags()).doesNotContainKey(Tags.CLUSTER);
        assertThat(op.templates.owner(asg)).as("the orphaned template is not taken").isEqualTo("orphaned-from " + MARK);
    }
}
