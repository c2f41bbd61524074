package io.autoheal.bench;

import io.autoheal.fleet.AwsScope;
import io.autoheal.api.v1alpha1.Capacity;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.ElasticIpsSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.fleet.Tags;
import io.autoheal.cloud.aws.AddressGateway;
import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.cloud.aws.AwsFleetReader;
import io.autoheal.cloud.aws.AwsInventory;
import io.autoheal.cloud.aws.FleetInventory;
import io.autoheal.cloud.aws.RegionReader;
import io.autoheal.cloud.aws.RegionSnapshot;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.InventoryReads;
import io.autoheal.testing.TestClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusDetails;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A synthetic region at one instant, as AWS would answer the operator's reads of it ({@link CannedAws}: SDK
 * {@code AutoScalingGroup}, {@code Instance}, {@code InstanceStatus} and {@code Address} objects shaped as
 * DescribeAutoScalingGroups, DescribeInstances, DescribeInstanceStatus and DescribeAddresses return them), read through
 * the operator's real inventory ({@code RegionReader} → {@code FleetInventory}/{@code RegionSnapshot} →
 * {@code AwsInventory}, the port the reconcilers see), plus the custom resources the operator's informers would hold:
 * {@code clusters} HealingClusters of {@code machines} each, every machine with its Elastic IP, the addresses in one pool
 * or in a pool per cluster. Deterministic: one machine in 500 is stopped and one in 500 fails its status checks, the
 * rest are healthy and in service.
 */
final class SyntheticFleet {
    static final String NAMESPACE = "fleet";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    private static final List<String> SUBNETS = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3");

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
    final TestClock clock = new TestClock(NOW);
    /** AWS's answers; dropped after the passes, so the heap measure keeps only what the operator's inventory retains. */
    final CannedAws aws = new CannedAws();
    private final OperatorConfig config = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
            .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()).build()
            .getConfigMapping(OperatorConfig.class);
    private final AwsClients clients = aws.clients(config);
    /** The reconcilers' port over the operator's real inventory, which keeps the region's snapshot between passes. */
    final InventoryReads world;

    SyntheticFleet(int clusters, int machines, Layout layout) {
        this.clusters = clusters;
        this.machines = machines;
        this.layout = layout;
        FleetInventory inventory = new FleetInventory(new RegionReader(clients, clock, config), new AwsFleetReader(clients), clock, config);
        this.world = new AwsInventory(inventory, new AwsFleetReader(clients), new AddressGateway(clients, inventory));
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
            Map<String, String> tags = Map.of(Tags.CLUSTER, NAMESPACE + "/" + name, Tags.ROLE, "voip", Tags.ENV, "prod", "Name", name);
            List<software.amazon.awssdk.services.autoscaling.model.Instance> members = new ArrayList<>();
            for (int m = 0; m < machines; m++) {
                int n = c * machines + m;
                String id = String.format("i-%017x", 0x10000000L + n);
                boolean stopped = n % 500 == 7;
                String zone = ZONES.get(n % ZONES.size());
                String publicIp = ip("3", n);
                members.add(software.amazon.awssdk.services.autoscaling.model.Instance.builder().instanceId(id).instanceType("t3.small")
                        .availabilityZone(zone).lifecycleState("InService").healthStatus(stopped ? "Unhealthy" : "Healthy")
                        .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(ltId(c)).launchTemplateName("autoheal-" + name)
                                .version("1").build()).protectedFromScaleIn(false).build());
                aws.add(instance(id, asg, ltId(c), zone, n, publicIp, stopped, tags), stopped ? null : status(id, zone, n % 500 == 250));
                aws.add(Address.builder().allocationId(String.format("eipalloc-%017x", 0x30000000L + n)).publicIp(publicIp).instanceId(id)
                        .associationId(String.format("eipassoc-%017x", 0x40000000L + n)).domain("vpc")
                        .networkInterfaceId(String.format("eni-%017x", 0x50000000L + n)).networkInterfaceOwnerId("123456789012")
                        .privateIpAddress(ip("172", n)).publicIpv4Pool("amazon").networkBorderGroup(REGION)
                        .tags(ec2Tags(Map.of(Tags.POOL, NAMESPACE + "/" + poolName, Tags.ASSIGNED_INSTANCE, id,
                                Tags.ASSIGNED_CLUSTER, NAMESPACE + "/" + name))).build());
            }
            aws.add(AutoScalingGroup.builder().autoScalingGroupName(asg)
                    .autoScalingGroupARN("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:" + java.util.UUID.nameUUIDFromBytes(asg.getBytes())
                            + ":autoScalingGroupName/" + asg)
                    .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(ltId(c)).launchTemplateName("autoheal-" + name).version("1").build())
                    .minSize(machines).maxSize(machines).desiredCapacity(machines).defaultCooldown(300).availabilityZones(ZONES)
                    .healthCheckType("EC2").healthCheckGracePeriod(300).createdTime(NOW.minus(Duration.ofDays(30)))
                    .vpcZoneIdentifier(String.join(",", SUBNETS.subList(0, 2))).terminationPolicies("Default").newInstancesProtectedFromScaleIn(false)
                    .serviceLinkedRoleARN("arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
                    .suspendedProcesses(SuspendedProcess.builder().processName("ReplaceUnhealthy").suspensionReason("User suspended at " + NOW).build())
                    .tags(tags.entrySet().stream().map(e -> TagDescription.builder().resourceId(asg).resourceType("auto-scaling-group")
                            .key(e.getKey()).value(e.getValue()).propagateAtLaunch(true).build()).toList())
                    .instances(members).build());
        }
    }

    /** An instance as DescribeInstances returns one launched by the group: its tags, network interface, block device, ... */
    private static Instance instance(String id, String asg, String lt, String zone, int n, String publicIp, boolean stopped, Map<String, String> groupTags) {
        Map<String, String> tags = new java.util.LinkedHashMap<>(groupTags);
        tags.put(Tags.ASG_NAME, asg);
        tags.put("aws:ec2launchtemplate:id", lt);
        tags.put("aws:ec2launchtemplate:version", "1");
        String privateIp = ip("172", n);
        String subnet = SUBNETS.get(n % 2);
        var sg = software.amazon.awssdk.services.ec2.model.GroupIdentifier.builder().groupId("sg-0123456789abcdef0").groupName("voip").build();
        return Instance.builder().instanceId(id).imageId("ami-0123456789abcdef0").instanceType("t3.small").amiLaunchIndex(0)
                .launchTime(NOW.minus(Duration.ofHours(1)).minusSeconds(n))
                .placement(p -> p.availabilityZone(zone).tenancy("default").groupName(""))
                .state(s -> s.code(stopped ? 80 : 16).name(stopped ? "stopped" : "running"))
                .privateDnsName("ip-" + privateIp.replace('.', '-') + ".ec2.internal").privateIpAddress(privateIp)
                .publicDnsName(stopped ? "" : "ec2-" + publicIp.replace('.', '-') + ".compute-1.amazonaws.com").publicIpAddress(stopped ? null : publicIp)
                .subnetId(subnet).vpcId("vpc-0123456789abcdef0").architecture("x86_64").rootDeviceName("/dev/xvda").rootDeviceType("ebs")
                .virtualizationType("hvm").hypervisor("xen").ebsOptimized(true).enaSupport(true).sourceDestCheck(true)
                .clientToken(java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString()).monitoring(m -> m.state("disabled"))
                .iamInstanceProfile(p -> p.arn("arn:aws:iam::123456789012:instance-profile/voip").id("AIPA" + n))
                .securityGroups(sg)
                .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeId(String.format("vol-%017x", 0x60000000L + n))
                        .status("attached").attachTime(NOW.minus(Duration.ofHours(1))).deleteOnTermination(true)))
                .networkInterfaces(ni -> ni.networkInterfaceId(String.format("eni-%017x", 0x50000000L + n)).subnetId(subnet)
                        .vpcId("vpc-0123456789abcdef0").description("").ownerId("123456789012").status("in-use")
                        .macAddress(String.format("0a:%02x:%02x:%02x:00:01", n >> 16 & 255, n >> 8 & 255, n & 255))
                        .privateIpAddress(privateIp).privateDnsName("ip-" + privateIp.replace('.', '-') + ".ec2.internal").sourceDestCheck(true)
                        .groups(sg).interfaceType("interface")
                        .attachment(a -> a.attachmentId(String.format("eni-attach-%017x", 0x70000000L + n)).deviceIndex(0).status("attached")
                                .attachTime(NOW.minus(Duration.ofHours(1))).deleteOnTermination(true).networkCardIndex(0))
                        .association(stopped ? null : software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation.builder()
                                .publicIp(publicIp).publicDnsName("ec2-" + publicIp.replace('.', '-') + ".compute-1.amazonaws.com")
                                .ipOwnerId("123456789012").build())
                        .privateIpAddresses(pa -> pa.primary(true).privateIpAddress(privateIp)
                                .privateDnsName("ip-" + privateIp.replace('.', '-') + ".ec2.internal")))
                .cpuOptions(c -> c.coreCount(1).threadsPerCore(2)).capacityReservationSpecification(c -> c.capacityReservationPreference("open"))
                .hibernationOptions(h -> h.configured(false)).metadataOptions(m -> m.state("applied").httpTokens("required")
                        .httpPutResponseHopLimit(2).httpEndpoint("enabled").httpProtocolIpv6("disabled").instanceMetadataTags("disabled"))
                .enclaveOptions(e -> e.enabled(false)).platformDetails("Linux/UNIX").usageOperation("RunInstances")
                .usageOperationUpdateTime(NOW.minus(Duration.ofHours(1))).privateDnsNameOptions(p -> p.hostnameType("ip-name")
                        .enableResourceNameDnsARecord(false).enableResourceNameDnsAAAARecord(false))
                .maintenanceOptions(m -> m.autoRecovery("default")).currentInstanceBootMode("legacy-bios")
                .tags(ec2Tags(tags)).build();
    }

    /** DescribeInstanceStatus's answer for a running instance: system and instance checks (impaired: both). */
    private static InstanceStatus status(String id, String zone, boolean impaired) {
        String value = impaired ? "impaired" : "ok";
        InstanceStatusSummary summary = InstanceStatusSummary.builder().status(value)
                .details(InstanceStatusDetails.builder().name("reachability").status(impaired ? "failed" : "passed").build()).build();
        return InstanceStatus.builder().instanceId(id).availabilityZone(zone).instanceState(s -> s.code(16).name("running"))
                .systemStatus(summary).instanceStatus(summary).build();
    }

    private static List<Tag> ec2Tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    int machinesTotal() {
        return clusters * machines;
    }

    static String asgName(String cluster) {
        return io.autoheal.cluster.ClusterNames.owned(io.autoheal.fleet.Installations.LEGACY, NAMESPACE, cluster);
    }

    /** One full refresh of the region as the inventory reads it: RegionReader over AWS's pages, into a RegionSnapshot. */
    RegionSnapshot refresh() {
        return new RegionReader(clients, clock, config).read(AwsScope.own(REGION));
    }

    void dropAnswers() {
        aws.drop();
    }

    private static String ltId(int c) {
        return String.format("lt-%017x", 0x20000000L + c);
    }

    private static String ip(String prefix, int n) {
        return prefix + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
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
