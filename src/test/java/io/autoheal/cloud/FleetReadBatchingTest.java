package io.autoheal.cloud;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.AwsAttemptMetrics;
import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.cloud.aws.AwsFleetReader;
import io.autoheal.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.autoheal.cloud.aws.AwsRequestMetrics;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One observation of a cluster costs a constant number of AWS calls, whatever its size: counted by the SDK
 * interceptor that also feeds autoheal_aws_requests_total, against moto's real wire protocol.
 */
@SandboxTest
class FleetReadBatchingTest {
    @Inject
    OperatorConfig config;

    // Own instances, not the operator's beans: the in-process operator's reconciles must not count here.
    AwsRequestMetrics requests;
    AwsFleetReader reader;

    @BeforeEach
    void isolatedReader() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        requests = new AwsRequestMetrics(registry);
        reader = new AwsFleetReader(new AwsClients(config, requests, new AwsAttemptMetrics(registry)));
    }

    @BeforeAll
    static void groupsOf3And30() {
        Moto.reset();
        String subnet = Moto.defaultSubnets().get(0);
        String lt = Moto.ec2().createLaunchTemplate(b -> b.launchTemplateName("batching")
                .launchTemplateData(d -> d.imageId("ami-0123456789abcdef0").instanceType("t3.micro"))).launchTemplate().launchTemplateId();
        for (int size : new int[]{3, 30}) {
            Moto.autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName("batching-" + size).minSize(size).maxSize(size)
                    .desiredCapacity(size).vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(lt).version("$Latest")));
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> Moto.autoScaling()
                    .describeAutoScalingGroups(b -> b.autoScalingGroupNames("batching-" + size)).autoScalingGroups().get(0).instances().size() == size);
        }
    }

    @Test
    void callsPerObservationDoNotGrowWithTheNumberOfInstances() {
        Map<String, Long> small = callsFor("batching-3", 3);
        Map<String, Long> large = callsFor("batching-30", 30);
        assertThat(large).isEqualTo(small);
        assertThat(small.values().stream().mapToLong(Long::longValue).sum()).as("calls for one observation: %s", small).isLessThanOrEqualTo(5);
    }

    private Map<String, Long> callsFor(String asg, int expectedInstances) {
        String[] operations = {"DescribeAutoScalingGroups", "DescribeLifecycleHooks", "DescribeInstances", "DescribeInstanceStatus",
                "DescribeAddresses"};
        Map<String, Long> before = new LinkedHashMap<>();
        for (String op : operations) {
            before.put(op, requests.count(op));
        }
        long totalBefore = requests.total();
        ClusterObservation observed = reader.observeCluster(AwsScope.own("us-east-1"), asg, true);
        assertThat(observed.instances()).hasSize(expectedInstances);
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String op : operations) {
            calls.put(op, requests.count(op) - before.get(op));
        }
        assertThat(requests.total() - totalBefore).as("no other AWS calls").isEqualTo(calls.values().stream().mapToLong(Long::longValue).sum());
        return calls;
    }
}
