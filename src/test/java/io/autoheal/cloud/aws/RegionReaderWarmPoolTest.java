package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeWarmPoolRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeWarmPoolResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The region refresh reads warm pools only for this installation's groups, and one group's failing DescribeWarmPool
 * (AccessDenied here) costs that group's spares only: the snapshot is made, the other groups' pools are read, and the
 * failing group's pool is unreadable (its configuration kept, its spares unknown and kept out of the address pools).
 * The SDK clients are answered in-process (no AWS, no moto): the real RegionReader and RegionSnapshot run.
 */
class RegionReaderWarmPoolTest {
    static final String REGION = "us-west-2";
    final OperatorConfig config = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
            .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()).build()
            .getConfigMapping(OperatorConfig.class);
    final List<String> warmPoolReads = new ArrayList<>();

    static AutoScalingGroup group(String name, Map<String, String> tags, String... members) {
        return AutoScalingGroup.builder().autoScalingGroupName(name).minSize(1).maxSize(3).desiredCapacity(1)
                .tags(tags.entrySet().stream().map(e -> TagDescription.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                .instances(java.util.Arrays.stream(members).map(id -> Instance.builder().instanceId(id).lifecycleState("InService")
                        .healthStatus("Healthy").availabilityZone("us-west-2a").build()).toList())
                .warmPoolConfiguration(WarmPoolConfiguration.builder().minSize(1).maxGroupPreparedCapacity(1).poolState("Stopped").build())
                .build();
    }

    static software.amazon.awssdk.services.ec2.model.Instance instance(String id, String group, String cluster, InstanceStateName state) {
        return software.amazon.awssdk.services.ec2.model.Instance.builder().instanceId(id).state(s -> s.name(state))
                .tags(Tag.builder().key(Tags.CLUSTER).value(cluster).build(), Tag.builder().key(Tags.ASG_NAME).value(group).build()).build();
    }

    @Test
    void oneGroupsFailingDescribeWarmPoolCostsOnlyThatGroupsSpares() {
        List<AutoScalingGroup> groups = List.of(
                group("denied", Map.of(Tags.CLUSTER, "ns/denied"), "i-denied-member"),
                group("fine", Map.of(Tags.CLUSTER, "ns/fine"), "i-fine-member"),
                // another installation's group in the same account: its warm pool is never read
                group("staging", Map.of(Tags.CLUSTER, "ns/staging", Tags.INSTALLATION, "staging")));
        List<software.amazon.awssdk.services.ec2.model.Instance> instances = List.of(
                instance("i-denied-member", "denied", "ns/denied", InstanceStateName.RUNNING),
                instance("i-denied-spare", "denied", "ns/denied", InstanceStateName.STOPPED),
                instance("i-fine-member", "fine", "ns/fine", InstanceStateName.RUNNING),
                instance("i-fine-spare", "fine", "ns/fine", InstanceStateName.STOPPED));
        AwsClients clients = clients(groups, instances);

        RegionSnapshot snapshot = new RegionReader(clients, Clock.systemUTC(), config).read(AwsScope.own(REGION));

        assertThat(warmPoolReads).as("only this installation's groups").containsExactlyInAnyOrder("denied", "fine");
        var denied = snapshot.group("denied").orElseThrow().warmPool();
        assertThat(denied.sparesKnown()).isFalse();
        assertThat(denied.unreadable()).contains("AccessDenied");
        assertThat(denied.minSize()).as("the configuration, from the group, is kept").isEqualTo(1);
        var fine = snapshot.group("fine").orElseThrow().warmPool();
        assertThat(fine.sparesKnown()).isTrue();
        assertThat(fine.spares()).extracting(m -> m.instanceId() + " " + m.lifecycleState()).containsExactly("i-fine-spare Warmed:Stopped");
        assertThat(snapshot.group("staging")).isEmpty();
        // the pools' view: known spares and the unreadable group's non-members stay out; members are in
        assertThat(snapshot.clusterInstances(List.of("ns/denied", "ns/fine"))).extracting(i -> i.instanceId())
                .containsExactlyInAnyOrder("i-denied-member", "i-fine-member");
    }

    private AwsClients clients(List<AutoScalingGroup> groups, List<software.amazon.awssdk.services.ec2.model.Instance> instances) {
        AutoScalingClient autoScaling = proxy(AutoScalingClient.class, (op, request) -> switch (op) {
            case "describeAutoScalingGroups" -> DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(groups).build();
            case "describeWarmPool" -> {
                String name = ((DescribeWarmPoolRequest) request).autoScalingGroupName();
                warmPoolReads.add(name);
                if (!name.equals("fine")) {
                    throw (AutoScalingException) AutoScalingException.builder().statusCode(403).message("not allowed")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("not allowed").build()).build();
                }
                yield DescribeWarmPoolResponse.builder().instances(Instance.builder().instanceId("i-fine-spare").lifecycleState("Warmed:Stopped")
                        .healthStatus("Healthy").availabilityZone("us-west-2a").build()).build();
            }
            default -> throw new UnsupportedOperationException(op);
        });
        Ec2Client ec2 = proxy(Ec2Client.class, (op, request) -> switch (op) {
            case "describeInstances" -> DescribeInstancesResponse.builder().reservations(instances.stream()
                    .map(i -> Reservation.builder().instances(i).build()).toList()).build();
            case "describeInstanceStatus" -> DescribeInstanceStatusResponse.builder().instanceStatuses(List.of()).build();
            case "describeAddresses" -> DescribeAddressesResponse.builder().addresses(List.of()).build();
            default -> throw new UnsupportedOperationException(op);
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new AwsClients(config, new AwsRequestMetrics(registry), new AwsAttemptMetrics(registry)) {
            @Override
            public Ec2Client ec2(AwsScope scope) {
                return ec2;
            }

            @Override
            public AutoScalingClient autoScaling(AwsScope scope) {
                return autoScaling;
            }
        };
    }

    private interface Answer {
        Object answer(String operation, Object request);
    }

    /** An SDK client whose request-object operations are answered here; its default methods run as the SDK wrote them. */
    private static <C> C proxy(Class<C> type, Answer answer) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof SdkRequest) {
                try {
                    return answer.answer(method.getName(), args[0]);
                } catch (UnsupportedOperationException e) {
                    if (!method.isDefault()) {
                        throw e;
                    }
                }
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "close" -> null;
                case "serviceName" -> type.getSimpleName();
                case "toString" -> "test " + type.getSimpleName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            };
        };
        return type.cast(Proxy.newProxyInstance(RegionReaderWarmPoolTest.class.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
