package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AWS failing the way it fails under load, injected into moto (sandbox/moto/autoheal_moto_faults.py): throttling is
 * absorbed by the SDK's retries; an outage longer than every retry becomes a Degraded condition and heals by itself
 * when AWS is back; a refused request (4xx) becomes a condition without a hot retry loop.
 */
@SandboxTest
class AwsFaultsTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("aws-faults").freshAws().clearFaults().deleteAfterEach("healingclusters");

    @TestHTTPResource("/q/metrics")
    URL metrics;

    static String cluster(String name, int desired) {
        return ClusterManifest.named(name).capacity(1, desired, 3).toYaml();
    }

    String condition(String name, String type, String field) {
        return ns.kubectl("get", "hc", name, "-o", "jsonpath={.status.conditions[?(@.type==\"" + type + "\")]." + field + "}");
    }

    String eventReasons(String name) {
        return ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.regarding.name==\"" + name + "\")].reason}");
    }

    String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics.toURI()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the failed-attempts counter of one service and error type, from the operator's /q/metrics. */
    double failedAttempts(String service, String errorType) throws Exception {
        return scrape().lines().filter(l -> l.startsWith("autoheal_aws_failed_attempts_total{"))
                .filter(l -> l.contains("service=\"" + service + "\"") && l.contains("error_type=\"" + errorType + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void throttlingIsAbsorbedByTheSdksRetriesAndCountedAsFailedAttempts() throws Exception {
        double autoScalingBefore = failedAttempts("AutoScaling", "throttling");
        double ec2Before = failedAttempts("Ec2", "throttling");
        Moto.injectFault("DescribeAutoScalingGroups", "Throttling", 400, 2);
        Moto.injectFault("DescribeInstances", "RequestLimitExceeded", 503, 2);
        ns.apply(cluster("calm", 2));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(condition("calm", "Ready", "status")).isEqualTo("True"));
        assertThat(Moto.faultHits("DescribeAutoScalingGroups")).isEqualTo(2);
        assertThat(Moto.faultHits("DescribeInstances")).isEqualTo(2);
        assertThat(eventReasons("calm")).doesNotContain("AwsError");
        assertThat(condition("calm", "Degraded", "reason")).isNotEqualTo("AwsError");
        // invisible in the calls' outcomes, visible as failed attempts: what AutohealAwsThrottling watches
        assertThat(failedAttempts("AutoScaling", "throttling") - autoScalingBefore).isEqualTo(2);
        assertThat(failedAttempts("Ec2", "throttling") - ec2Before).isEqualTo(2);
    }

    @Test
    void anOutageLongerThanEveryRetryIsDegradedAndHealsByItselfWhenAwsIsBack() throws Exception {
        ns.apply(cluster("outage", 2));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(condition("outage", "Ready", "status")).isEqualTo("True"));

        String victim = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "outage")))
                .autoScalingGroups().get(0).instances().get(0).instanceId();

        Moto.injectFault("DescribeAutoScalingGroups", "ServiceUnavailable", 503, -1);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("outage", "Degraded", "status")).isEqualTo("True");
            assertThat(condition("outage", "Degraded", "reason")).isEqualTo("AwsError");
            // what on-call reads: AWS' code and message, not the wrappers around them
            assertThat(condition("outage", "Degraded", "message")).startsWith("ServiceUnavailable: ");
        });
        assertThat(scrape()).containsPattern(
                "autoheal_aws_requests_total\\{[^}]*operation=\"DescribeAutoScalingGroups\"[^}]*outcome=\"server_error\"[^}]*} [1-9]");
        // A machine dies during the outage; the outage lasts longer than JOSDK's default retries (~30 s in all).
        Moto.ec2().terminateInstances(b -> b.instanceIds(victim));
        Thread.sleep(45_000);
        int failedDuringOutage = Moto.faultHits("DescribeAutoScalingGroups");
        assertThat(failedDuringOutage).as("the operator keeps trying, with back-off, not in a hot loop").isBetween(3, 60);

        Moto.clearFaults();
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("outage", "Degraded", "status")).isEqualTo("False");
            assertThat(condition("outage", "Ready", "status")).isEqualTo("True");
            assertThat(ns.kubectl("get", "hc", "outage", "-o", "jsonpath={.status.instances[*].instanceId}")).doesNotContain(victim);
        });
    }

    @Test
    void aRefusedRequestIsAConditionWithoutAHotRetryLoop() throws Exception {
        Moto.injectFault("CreateAutoScalingGroup", "ValidationError", 400, -1);
        ns.apply(cluster("refused", 1));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("refused", "Degraded", "reason")).isEqualTo("AwsBadRequest");
            assertThat(condition("refused", "Degraded", "message")).contains("ValidationError");
        });
        ns.awaitEvent("AwsBadRequest", " refused: ");
        int refused = Moto.faultHits("CreateAutoScalingGroup");
        Thread.sleep(10_000); // five resync periods of the test configuration
        assertThat(Moto.faultHits("CreateAutoScalingGroup")).as("no retry before the bad-input back-off").isEqualTo(refused);
    }
}
