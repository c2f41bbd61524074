package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.SandboxClient;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * Two packaged operators, shards a and b, side by side against the sandbox: each reconciles only the resources
 * labelled autoheal.io/shard with its own value (and tags its groups so), and a cluster whose pool is in another
 * shard is refused with ShardMismatch instead of being served by two operators.
 */
class ShardingIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("shard");

    @AfterAll
    static void cleanUp() throws Exception {
        try (OperatorProcess a = shard("a"); OperatorProcess b = shard("b")) {
            ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=120s");
        }
    }

    static OperatorProcess shard(String shard) throws Exception {
        return OperatorProcess.start("shard-" + shard, Map.of("AUTOHEAL_SHARD", shard, "AUTOHEAL_WATCH_NAMESPACES", ns.name()));
    }

    static List<AutoScalingGroup> group(String cluster) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, cluster)))
                .autoScalingGroups();
    }

    static HealingCluster get(String name) {
        return SandboxClient.get().resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void eachShardServesOnlyItsOwnResourcesAndAPoolMustShareItsClustersShard() throws Exception {
        Moto.reset();
        ns.apply(Manifest.join(
                ClusterManifest.named("alpha").label("autoheal.io/shard", "a"),
                ClusterManifest.named("beta").label("autoheal.io/shard", "b"),
                PoolManifest.named("pool-b").label("autoheal.io/shard", "b").allocate(1),
                ClusterManifest.named("gamma").label("autoheal.io/shard", "a").poolRef("pool-b")));
        try (OperatorProcess a = shard("a")) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(group("alpha")).singleElement().satisfies(g -> assertThat(g.tags())
                        .anyMatch(t -> t.key().equals("autoheal.io/shard") && t.value().equals("a")));
                assertThat(Conditions.find(get("gamma").getStatus().conditions, ConditionType.Degraded))
                        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("ShardMismatch"));
            });
            assertThat(Conditions.find(get("gamma").getStatus().conditions, ConditionType.Degraded).orElseThrow().getMessage())
                    .contains("shard b").contains("shard a");
            Thread.sleep(4000); // several of shard a's passes (2 s resync): shard b's cluster and pool stay untouched
            assertThat(group("beta")).as("beta belongs to shard b").isEmpty();
            assertThat(get("beta").getStatus()).isNull();
            assertThat(group("gamma")).as("gamma is refused, not half served").isEmpty();

            try (OperatorProcess b = shard("b")) {
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(group("beta")).singleElement().satisfies(g -> assertThat(g.tags())
                            .anyMatch(t -> t.key().equals("autoheal.io/shard") && t.value().equals("b")));
                    assertThat(SandboxClient.get().resources(io.autoheal.api.v1alpha1.ElasticIpPool.class).inNamespace(ns.name())
                            .withName("pool-b").get().getStatus()).isNotNull();
                });
                assertThat(a.log()).doesNotContain("/beta");
            }
        }
    }
}
