package io.autoheal.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/** The walking skeleton end to end: kubectl apply → operator (in-process, SSA) → an ASG in moto → status. */
@SandboxTest
class ClusterSliceTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("slice");

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void resetAws() {
        Moto.reset();
    }

    @AfterAll
    static void cleanUp() {
        ns.kubectl("delete", "healingclusters", "--all", "--timeout=60s");
    }

    @Test
    void appliedClusterBecomesAnAsgOfThreeInServiceInstancesAndReportsReady() {
        ns.apply(ClusterManifest.named("slice").capacity(3, 3, 5).toYaml());
        String asgName = io.autoheal.testing.Groups.name(ns, "slice");

        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            AutoScalingGroup asg = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(asgName))
                    .autoScalingGroups().get(0);
            assertThat(asg.desiredCapacity()).isEqualTo(3);
            assertThat(asg.instances()).hasSize(3).allMatch(i -> "InService".equals(i.lifecycleStateAsString()));
            assertThat(asg.tags()).anyMatch(t -> t.key().equals("autoheal.io/cluster") && t.value().equals(ns.name() + "/slice"));
        });
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HealingCluster hc = client.resources(HealingCluster.class).inNamespace(ns.name()).withName("slice").get();
            assertThat(hc.getStatus()).isNotNull();
            assertThat(hc.getStatus().observedGeneration).isEqualTo(hc.getMetadata().getGeneration());
            assertThat(hc.getStatus().asgName).isEqualTo(asgName);
            assertThat(hc.getStatus().replicas).isEqualTo(3);
            assertThat(Conditions.isTrue(hc.getStatus().conditions, ConditionType.Ready)).as("Ready condition").isTrue();
        });
        assertThat(ns.kubectl("get", "hc", "slice")).contains("staging").contains("Reconciled");
    }

    @Test
    void healthAndMetricsEndpointsAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("autoheal_"));
    }
}
