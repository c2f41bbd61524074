package io.autoheal.bench;

import io.autoheal.api.v1alpha1.Capacity;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.ElasticIpsSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.cloud.Tags;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.SummaryStatus;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A synthetic region at one instant, as AWS would answer the inventory's reads (SDK objects), plus the custom
 * resources the operator's informers would hold: {@code clusters} HealingClusters of {@code machines} each, every
 * machine with its Elastic IP, the addresses in one pool or in a pool per cluster. Deterministic: one machine in
 * 500 is stopped and one in 500 fails its status checks, the rest are healthy and in service.
 */
final class SyntheticFleet {
    static final String NAMESPACE = "fleet";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    enum Layout {
        ONE_POOL("one pool"), POOL_PER_CLUSTER("a pool per cluster");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    final int clusters;
    final int machines;
    final Layout layout;
    final List<HealingCluster> resources = new ArrayList<>();
    final List<ElasticIpPool> pools = new ArrayList<>();
    /** The AWS answers; dropped after the pass so the heap measure keeps only what the snapshot retains. */
    List<AutoScalingGroup> groups = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    List<InstanceStatus> statuses = new ArrayList<>();
    List<Address> addresses = new ArrayList<>();

    SyntheticFleet(int clusters, int machines, Layout layout) {
        this.clusters = clusters;
        this.machines = machines;
        this.layout = layout;
        if (layout == Layout.ONE_POOL) {
            pools.add(pool("shared"));
        }
        for (int c = 0; c < clusters; c++) {
            String name = String.format("c%04d", c);
            String poolName = layout == Layout.ONE_POOL ? "shared" : "p" + name;
            if (layout == Layout.POOL_PER_CLUSTER) {
                pools.add(pool(poolName));
            }
            resources.add(cluster(name, poolName));
            String asg = asgName(name);
            List<software.amazon.awssdk.services.autoscaling.model.Instance> members = new ArrayList<>();
            for (int m = 0; m < machines; m++) {
                int n = c * machines + m;
                String id = String.format("i-%017x", 0x10000000L + n);
                String zone = ZONES.get(n % ZONES.size());
                members.add(software.amazon.awssdk.services.autoscaling.model.Instance.builder().instanceId(id)
                        .lifecycleState(LifecycleState.IN_SERVICE).healthStatus("Healthy").availabilityZone(zone)
                        .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(ltId(c)).version("1").build()).build());
                instances.add(instance(id, n, zone, asg, NAMESPACE + "/" + name));
                if (n % 500 != 7) { // DescribeInstanceStatus lists running instances only
                    statuses.add(status(id, n));
                }
                addresses.add(address(n, id, NAMESPACE + "/" + poolName, NAMESPACE + "/" + name));
            }
            groups.add(AutoScalingGroup.builder().autoScalingGroupName(asg).minSize(machines).desiredCapacity(machines).maxSize(machines)
                    .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(ltId(c)).version("1").build())
                    .vpcZoneIdentifier("subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2")
                    .tags(tag(asg, Tags.CLUSTER, NAMESPACE + "/" + name), tag(asg, Tags.ROLE, "voip"), tag(asg, Tags.ENV, "prod"),
                            tag(asg, "Name", name))
                    .suspendedProcesses(SuspendedProcess.builder().processName("ReplaceUnhealthy").build())
                    .instances(members).build());
        }
    }

    int machinesTotal() {
        return clusters * machines;
    }

    static String asgName(String cluster) {
        return "autoheal-" + NAMESPACE + "-" + cluster;
    }

    /** The same region with every address free and untagged: the allocator's initial fill. */
    List<Address> freeAddresses() {
        return addresses.stream().map(a -> Address.builder().allocationId(a.allocationId()).publicIp(a.publicIp()).domain(DomainType.VPC)
                .tags(a.tags().stream().filter(t -> Tags.POOL.equals(t.key())).toList()).build()).toList();
    }

    void dropAnswers() {
        groups = null;
        instances = null;
        statuses = null;
        addresses = null;
    }

    private static String ltId(int c) {
        return String.format("lt-%017x", 0x20000000L + c);
    }

    private static String ip(String prefix, int n) {
        return prefix + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static Instance instance(String id, int n, String zone, String asg, String clusterKey) {
        InstanceStateName state = n % 500 == 7 ? InstanceStateName.STOPPED : InstanceStateName.RUNNING;
        return Instance.builder().instanceId(id).imageId("ami-0123456789abcdef0").instanceType("t3.small")
                .state(s -> s.name(state).code(state == InstanceStateName.RUNNING ? 16 : 80))
                .placement(p -> p.availabilityZone(zone)).subnetId("subnet-0aaaaaaaaaaaaaaa1").vpcId("vpc-0aaaaaaaaaaaaaaa1")
                .privateIpAddress(ip("10", n)).privateDnsName("ip-" + ip("10", n).replace('.', '-') + ".ec2.internal")
                .publicIpAddress(ip("3", n)).launchTime(NOW.minus(Duration.ofHours(1)).minusSeconds(n))
                .securityGroups(GroupIdentifier.builder().groupId("sg-0aaaaaaaaaaaaaaa1").groupName("voip").build())
                .tags(Tag.builder().key(Tags.ASG_NAME).value(asg).build(), Tag.builder().key(Tags.CLUSTER).value(clusterKey).build(),
                        Tag.builder().key(Tags.ROLE).value("voip").build(), Tag.builder().key(Tags.ENV).value("prod").build(),
                        Tag.builder().key("Name").value(clusterKey.substring(clusterKey.indexOf('/') + 1)).build())
                .build();
    }

    private static InstanceStatus status(String id, int n) {
        SummaryStatus s = n % 500 == 250 ? SummaryStatus.IMPAIRED : SummaryStatus.OK;
        return InstanceStatus.builder().instanceId(id).instanceState(st -> st.name(InstanceStateName.RUNNING))
                .systemStatus(InstanceStatusSummary.builder().status(SummaryStatus.OK).build())
                .instanceStatus(InstanceStatusSummary.builder().status(s).build()).build();
    }

    private static Address address(int n, String instanceId, String poolKey, String clusterKey) {
        return Address.builder().allocationId(String.format("eipalloc-%017x", 0x30000000L + n)).publicIp(ip("3", n)).domain(DomainType.VPC)
                .instanceId(instanceId).associationId(String.format("eipassoc-%017x", 0x40000000L + n))
                .networkInterfaceId(String.format("eni-%017x", 0x50000000L + n)).privateIpAddress(ip("10", n))
                .tags(Tag.builder().key(Tags.POOL).value(poolKey).build(), Tag.builder().key(Tags.ASSIGNED_INSTANCE).value(instanceId).build(),
                        Tag.builder().key(Tags.ASSIGNED_CLUSTER).value(clusterKey).build())
                .build();
    }

    private static TagDescription tag(String asg, String key, String value) {
        return TagDescription.builder().resourceId(asg).resourceType("auto-scaling-group").key(key).value(value).propagateAtLaunch(true).build();
    }

    private HealingCluster cluster(String name, String poolName) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).withGeneration(1L)
                .withUid(java.util.UUID.nameUUIDFromBytes(name.getBytes()).toString()).build());
        HealingClusterSpec spec = new HealingClusterSpec();
        spec.roles = List.of("voip");
        spec.environment = "prod";
        spec.capacity = new Capacity(machines, machines, machines);
        spec.template = new MachineTemplate();
        spec.template.machine = new InlineMachine();
        spec.template.machine.imageId = "ami-0123456789abcdef0";
        spec.template.machine.instanceType = "t3.small";
        spec.subnetIds = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");
        spec.elasticIps = new ElasticIpsSpec();
        spec.elasticIps.poolRef = poolName;
        hc.setSpec(spec);
        return hc;
    }

    private static ElasticIpPool pool(String name) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).withGeneration(1L)
                .withUid(java.util.UUID.nameUUIDFromBytes(("pool-" + name).getBytes()).toString()).build());
        pool.setSpec(new ElasticIpPoolSpec());
        return pool;
    }
}
