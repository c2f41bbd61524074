package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollector;

/** Failed attempts inside one AWS call are counted by the SDK's error type, per service. */
class AwsAttemptMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AwsAttemptMetrics metrics = new AwsAttemptMetrics(registry);

    double count(String service, String errorType) {
        return registry.get("autoheal.aws.failed.attempts").tag("service", service).tag("error_type", errorType).counter().count();
    }

    @Test
    void everySeriesExistsAtZeroBeforeAnyFailure() {
        assertThat(registry.get("autoheal.aws.failed.attempts").counters()).hasSize(10);
        assertThat(count("Ec2", "throttling")).isZero();
        assertThat(count("AutoScaling", "server_error")).isZero();
    }

    @Test
    void twoThrottledAttemptsBeforeASuccessCountTwice() {
        MetricCollector call = MetricCollector.create("ApiCall");
        call.reportMetric(CoreMetric.RETRY_COUNT, 2);
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "Throttling");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "Throttling");
        call.createChild("ApiCallAttempt"); // the successful one carries no error type
        metrics.publisher("AutoScaling").publish(call.collect());
        assertThat(count("AutoScaling", "throttling")).isEqualTo(2);
        assertThat(count("Ec2", "throttling")).isZero();
    }

    @Test
    void serverErrorsAndTimeoutsHaveTheirOwnLabels() {
        MetricCollector call = MetricCollector.create("ApiCall");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "ServerError");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "ConfiguredTimeout");
        metrics.publisher("Ec2").publish(call.collect());
        assertThat(count("Ec2", "server_error")).isEqualTo(1);
        assertThat(count("Ec2", "timeout")).isEqualTo(1);
    }
}
