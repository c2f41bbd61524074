package io.autoheal.cloud;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.Tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.cloud.aws.AwsAttemptMetrics;
import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.cloud.aws.AwsFleetReader;
import io.autoheal.cloud.aws.AwsRequestMetrics;
import io.autoheal.cloud.aws.FleetInventory;
import io.autoheal.cloud.aws.RegionReader;
import io.autoheal.config.OperatorConfig;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The region-wide inventory against moto's wire protocol: observing every cluster of a region costs the calls of
 * one refresh, not one set per cluster; concurrent readers share one refresh; our own write makes the next read of
 * that group fresh. Calls are counted by the same SDK interceptor that feeds autoheal_aws_requests_total.
 */
@SandboxTest
class FleetInventoryTest {
    static final String REGION = "us-east-1";
    static final int GROUPS = 12;

    @Inject
    OperatorConfig config;

    // Own instances, not the operator's beans: the in-process operator's reconciles must not count here.
    AwsRequestMetrics requests;
    FleetInventory inventory;
    MovableClock clock;

    /** A clock that moves only when the test says so. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-30T03:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void groupsOfThree() {
        Moto.reset();
        String subnet = Moto.defaultSubnets().get(0);
        String lt = Moto.ec2().createLaunchTemplate(b -> b.launchTemplateName("inventory")
                .launchTemplateData(d -> d.imageId("ami-0123456789abcdef0").instanceType("t3.micro"))).launchTemplate().launchTemplateId();
        for (int g = 0; g < GROUPS; g++) {
            String name = "inventory-" + g;
            Moto.autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName(name).minSize(3).maxSize(3).desiredCapacity(3)
                    .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(lt).version("$Latest"))
                    .tags(t -> t.key(Tags.CLUSTER).value("inv/" + name).propagateAtLaunch(true).resourceId(name)
                            .resourceType("auto-scaling-group")));
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> Moto.autoScaling().describeAutoScalingGroups().autoScalingGroups()
                .stream().filter(a -> a.autoScalingGroupName().startsWith("inventory-")).mapToInt(a -> a.instances().size()).sum() == 3 * GROUPS);
    }

    @BeforeEach
    void isolatedInventory() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        requests = new AwsRequestMetrics(registry);
        AwsClients clients = new AwsClients(config, requests, new AwsAttemptMetrics(registry));
        clock = new MovableClock();
        inventory = new FleetInventory(new RegionReader(clients, clock, config), new AwsFleetReader(clients), clock, config);
    }

    @Test
    void observingEveryClusterCostsOneRefreshNotOneReadPerCluster() {
        long before = requests.total();
        ClusterObservation first = inventory.observeCluster(AwsScope.own(REGION), "inventory-0");
        long oneCluster = requests.total() - before;
        assertThat(first.asg()).isPresent();
        assertThat(first.instances()).hasSize(3);
        assertThat(first.asg().get().members()).hasSize(3);

        long beforeRest = requests.total();
        for (int g = 1; g < GROUPS; g++) {
            assertThat(inventory.observeCluster(AwsScope.own(REGION), "inventory-" + g).instances()).hasSize(3);
        }
        long rest = requests.total() - beforeRest;
        // The first read is the refresh (groups, instances, status checks, addresses) plus the first group's hooks;
        // every other group costs its hooks once (cached for ten resyncs), nothing else.
        assertThat(requests.count("DescribeAutoScalingGroups") + requests.count("DescribeInstances")
                + requests.count("DescribeInstanceStatus") + requests.count("DescribeAddresses")).as("one refresh for %d groups", GROUPS)
                .isEqualTo(4);
        assertThat(rest).isEqualTo(GROUPS - 1L);
        assertThat(requests.count("DescribeLifecycleHooks")).isEqualTo(GROUPS);
        assertThat(requests.count("DescribeScalingActivities")).as("a settled group's activities are never read").isZero();

        // Within the resync interval nothing is read again; past it, one refresh serves all, hooks stay cached.
        long cached = requests.total();
        for (int g = 0; g < GROUPS; g++) {
            inventory.observeCluster(AwsScope.own(REGION), "inventory-" + g);
        }
        assertThat(requests.total()).isEqualTo(cached);
        clock.now = clock.now.plus(config.resyncInterval());
        for (int g = 0; g < GROUPS; g++) {
            inventory.observeCluster(AwsScope.own(REGION), "inventory-" + g);
        }
        assertThat(requests.total() - cached).as("a second refresh: %d calls for %d clusters", requests.total() - cached, GROUPS)
                .isEqualTo(oneCluster - 1);
    }

    @Test
    void concurrentReadersShareOneRefresh() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ClusterObservation>> reads = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                String name = "inventory-" + g;
                reads.add(pool.submit(() -> inventory.observeCluster(AwsScope.own(REGION), name)));
            }
            for (Future<ClusterObservation> f : reads) {
                assertThat(f.get().instances()).hasSize(3);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests.count("DescribeInstanceStatus")).as("one refresh").isEqualTo(1);
        assertThat(requests.count("DescribeAddresses")).isEqualTo(1);
    }

    @Test
    void afterOurOwnWriteTheGroupIsReadAgainAndSeesTheChange() {
        ClusterObservation before = inventory.observeCluster(AwsScope.own(REGION), "inventory-1");
        String victim = before.asg().orElseThrow().members().get(0).instanceId();
        Moto.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(victim).shouldDecrementDesiredCapacity(false));
        assertThat(inventory.observeCluster(AwsScope.own(REGION), "inventory-1").asg().orElseThrow().members())
                .as("without a write of ours, the snapshot stands until the resync").anyMatch(m -> m.instanceId().equals(victim));
        inventory.instanceChanged(AwsScope.own(REGION), victim);
        long calls = requests.total();
        ClusterObservation after = inventory.observeCluster(AwsScope.own(REGION), "inventory-1");
        assertThat(after.asg().orElseThrow().members()).noneMatch(m -> m.instanceId().equals(victim) && "InService".equals(m.lifecycleState()));
        assertThat(requests.total() - calls).as("a targeted re-read of one group").isBetween(3L, 5L);
        assertThat(inventory.observeCluster(AwsScope.own(REGION), "inventory-1")).as("and served from then on").isEqualTo(after);
    }

    @Test
    void aGroupShortOfDesiredAlsoReadsItsScalingActivities() {
        String lt = Moto.ec2().describeLaunchTemplates(b -> b.launchTemplateNames("inventory")).launchTemplates().get(0).launchTemplateId();
        Moto.autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName("inventory-short").minSize(0).maxSize(3).desiredCapacity(1)
                .vpcZoneIdentifier(Moto.defaultSubnets().get(0)).launchTemplate(t -> t.launchTemplateId(lt).version("$Latest")));
        try {
            Moto.failLaunches("inventory-short", "instance-limit");
            Moto.autoScaling().setDesiredCapacity(b -> b.autoScalingGroupName("inventory-short").desiredCapacity(2));
            long before = requests.count("DescribeScalingActivities");
            ClusterObservation short1 = inventory.observeCluster(AwsScope.own(REGION), "inventory-short");
            assertThat(requests.count("DescribeScalingActivities") - before).as("one call for the group in transition").isEqualTo(1);
            assertThat(short1.activities()).first().satisfies(a -> {
                assertThat(a.launch()).isTrue();
                assertThat(a.failed()).isTrue();
                assertThat(a.statusMessage()).startsWith("You have requested more instances (2) than your current instance limit of 1");
            });
            assertThat(short1.activities()).hasSize(2).last().satisfies(a -> assertThat(a.statusCode()).isEqualTo("Successful"));

            Moto.allowLaunches("inventory-short");
            inventory.groupChanged(AwsScope.own(REGION), "inventory-short");
            ClusterObservation whole = inventory.observeCluster(AwsScope.own(REGION), "inventory-short");
            assertThat(whole.asg().orElseThrow().members()).hasSize(2);
            assertThat(whole.activities()).as("settled again: not read").isEmpty();
            assertThat(requests.count("DescribeScalingActivities") - before).isEqualTo(1);
        } finally {
            Moto.clearFaults();
            Moto.autoScaling().deleteAutoScalingGroup(b -> b.autoScalingGroupName("inventory-short").forceDelete(true));
        }
    }
}
