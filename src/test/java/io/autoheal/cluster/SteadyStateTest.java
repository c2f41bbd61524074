package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ApiServerMetrics;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fleet at rest costs the API server no writes: statuses are patched only when they change. */
@SandboxTest
class SteadyStateTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("steady").freshAws().deleteAfterEach("healingclusters").deleteAfterEach("elasticippools");

    @Inject
    KubernetesClient client;

    HealingCluster cluster(String name) {
        return client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
    }

    ElasticIpPool pool(String name) {
        return client.resources(ElasticIpPool.class).inNamespace(ns.name()).withName(name).get();
    }

    @Test
    void aReadyClusterAndItsPoolAreNotRewrittenOnEveryResync() {
        ns.apply(PoolManifest.named("eips").allocate(3).toYaml());
        ns.apply(ClusterManifest.named("rest").capacity(2, 2, 3).poolRef("eips").toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> {
            HealingCluster hc = cluster("rest");
            return Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready) && hc.getStatus().elasticIps == 2;
        });
        // Let the last changes settle (a pass after the addresses landed), then watch four resyncs (2 s each in tests).
        // Counted by the API server as requests received: an apply that changes nothing still counts (it is not
        // written to etcd, so resourceVersion alone could not tell).
        SafeDefaultsTest.sleep(Duration.ofSeconds(5));
        String clusterVersion = cluster("rest").getMetadata().getResourceVersion();
        long clusterWrites = ApiServerMetrics.statusWrites("healingclusters");
        long poolWrites = ApiServerMetrics.statusWrites("elasticippools");
        SafeDefaultsTest.sleep(Duration.ofSeconds(8));
        assertThat(ApiServerMetrics.statusWrites("healingclusters") - clusterWrites).as("cluster status writes at rest").isZero();
        assertThat(ApiServerMetrics.statusWrites("elasticippools") - poolWrites).as("pool status writes at rest").isZero();
        assertThat(cluster("rest").getMetadata().getResourceVersion()).isEqualTo(clusterVersion);
    }
}
