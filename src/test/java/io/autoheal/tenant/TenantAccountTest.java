package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.TenantAws;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.autoheal.api.v1alpha1.TenantPolicySpec;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Issue 28, each tenant's own AWS identity, against moto's multi-account STS (credentials of a role assumed into
 * 222222222222 act in that account): a namespace whose TenantPolicy names that role gets its group, machines and
 * Elastic IPs there and nothing in the operator's own account (moto's default, 123456789012); its pool sees only that
 * account's addresses, even one in the operator's account tagged as the pool's.
 */
@SandboxTest
class TenantAccountTest {
    static final String ROLE = "arn:aws:iam::222222222222:role/autoheal-tenant-test";
    static final Duration SETTLE = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tenant").freshAws();

    @Inject
    KubernetesClient client;

    /** The resources first, with their role; then the policy (without it they would act with the operator's identity). */
    @AfterEach
    void removeResourcesThenPolicy() {
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        client.resources(TenantPolicy.class).withName(ns.name()).delete();
    }

    @Test
    void aNamespaceMappedToAnotherAccountActsOnlyInThatAccount() {
        long started = System.nanoTime();
        Ec2Client tenantEc2 = Moto.ec2As(ROLE);
        AutoScalingClient tenantAsg = Moto.autoScalingAs(ROLE);
        String pool = ns.name() + "/ips";
        // In the operator's own account: an address tagged as this pool's. Read with the operator's identity, the pool would take it.
        String decoy = Moto.ec2().allocateAddress(b -> b.domain("vpc").tagSpecifications(t -> t.resourceType("elastic-ip")
                .tags(tag -> tag.key(Tags.POOL).value(pool)))).allocationId();

        TenantPolicy policy = new TenantPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName(ns.name()).build());
        policy.setSpec(new TenantPolicySpec());
        policy.getSpec().namespaces = List.of(ns.name());
        policy.getSpec().aws = new TenantAws();
        policy.getSpec().aws.roleArn = ROLE;
        client.resources(TenantPolicy.class).resource(policy).create();

        List<String> ownSubnets = Moto.defaultSubnets();
        List<String> tenantSubnets = tenantEc2.describeSubnets().subnets().stream().filter(s -> Boolean.TRUE.equals(s.defaultForAz()))
                .map(s -> s.subnetId()).sorted().toList();
        assertThat(tenantSubnets).as("account 222222222222 has its own default VPC").doesNotContainAnyElementsOf(ownSubnets);
        String cluster = ClusterManifest.named("web").capacity(2, 2, 2).poolRef("ips").toYaml().replace(ownSubnets.get(0), tenantSubnets.get(0));
        ns.apply(PoolManifest.named("ips").allocate(2).toYaml());
        ns.apply(cluster);

        String key = ns.name() + "/web";
        await().ignoreExceptions().atMost(SETTLE).untilAsserted(() -> {
            List<AutoScalingGroup> groups = ours(tenantAsg, key);
            assertThat(groups).as("the group, in account 222222222222").singleElement()
                    .satisfies(g -> assertThat(g.instances()).hasSize(2).allSatisfy(i -> assertThat(i.lifecycleState().toString()).isEqualTo("InService")));
            Set<String> machines = groups.get(0).instances().stream().map(i -> i.instanceId()).collect(Collectors.toSet());
            assertThat(poolAddresses(tenantEc2, pool)).as("two addresses allocated there, each on one of its machines").hasSize(2)
                    .extracting(Address::instanceId).containsExactlyInAnyOrderElementsOf(machines);
            ElasticIpPool status = client.resources(ElasticIpPool.class).inNamespace(ns.name()).withName("ips").get();
            assertThat(status.getStatus().total).as("the pool counts only account 222222222222's addresses").isEqualTo(2);
            assertThat(status.getStatus().assigned).isEqualTo(2);
            // written to the API server before the first AWS write (tenant.AwsIdentityRecorder), kept by the CRD's schema
            var recorded = new io.autoheal.api.v1alpha1.AwsIdentityStatus(ROLE, "222222222222");
            assertThat(status.getStatus().awsIdentity).as("the pool's recorded identity").isEqualTo(recorded);
            assertThat(client.resources(io.autoheal.api.v1alpha1.HealingCluster.class).inNamespace(ns.name()).withName("web").get()
                    .getStatus().awsIdentity).as("the cluster's recorded identity").isEqualTo(recorded);
        });
        System.out.printf("TenantAccountTest: group, machines and addresses in account 222222222222 after %d s%n",
                (System.nanoTime() - started) / 1_000_000_000);

        assertThat(ours(Moto.autoScaling(), key)).as("no group in the operator's own account").isEmpty();
        assertThat(Moto.ec2().describeInstances(r -> r.filters(Filter.builder().name("tag:" + Tags.CLUSTER).values(key).build()))
                .reservations()).as("no machine in the operator's own account").isEmpty();
        Address untouched = Moto.ec2().describeAddresses(r -> r.allocationIds(decoy)).addresses().get(0);
        assertThat(untouched.instanceId()).as("the operator's own account's address is not the tenant pool's").isNullOrEmpty();
        assertThat(untouched.tags()).noneMatch(t -> t.key().equals(Tags.CLAIMED_BY));
        // this namespace's pools' addresses only: other test classes' pools leave addresses in the operator's own account
        assertThat(Moto.ec2().describeAddresses().addresses()).filteredOn(a -> a.tags().stream()
                        .anyMatch(t -> t.key().equals(Tags.POOL) && t.value().startsWith(ns.name() + "/")))
                .as("nothing allocated in the operator's own account for this namespace's pools: the decoy alone")
                .extracting(Address::allocationId).containsExactly(decoy);
    }

    private static List<AutoScalingGroup> ours(AutoScalingClient asg, String clusterKey) {
        return asg.describeAutoScalingGroups().autoScalingGroups().stream()
                .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals(Tags.CLUSTER) && t.value().equals(clusterKey))).toList();
    }

    private static List<Address> poolAddresses(Ec2Client ec2, String pool) {
        return ec2.describeAddresses(r -> r.filters(Filter.builder().name("tag:" + Tags.POOL).values(pool).build())).addresses();
    }
}
