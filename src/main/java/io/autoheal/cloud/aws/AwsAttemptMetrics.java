package io.autoheal.cloud.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the failed attempts inside AWS calls, by the SDK's own classification:
 * {@code autoheal_aws_failed_attempts_total{service,error_type}}. A throttled attempt that the SDK retried into a
 * success never shows in {@code autoheal_aws_requests_total} (it counts calls by their final outcome), yet it is
 * the early sign that the account's API rate limit is reached and healing is slowing down.
 */
@ApplicationScoped
public class AwsAttemptMetrics {
    /** The SDK's error types (SdkErrorType) and their label values. */
    static final Map<String, String> ERROR_TYPES = Map.of("Throttling", "throttling", "ServerError", "server_error",
            "ConfiguredTimeout", "timeout", "IO", "io", "Other", "other");
    /** Service label values, as {@link AwsRequestMetrics} writes them (the SDK's service name). */
    static final List<String> SERVICES = List.of("Ec2", "AutoScaling");

    private final MeterRegistry registry;

    public AwsAttemptMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every series exists from the start (at 0), so rates and alerts have data before the first failure.
        SERVICES.forEach(s -> ERROR_TYPES.values().forEach(e -> counter(s, e)));
    }

    /** The publisher to install on the client of one service (e.g. "Ec2"). */
    public MetricPublisher publisher(String service) {
        return new MetricPublisher() {
            @Override
            public void publish(MetricCollection call) {
                record(service, call);
            }

            @Override
            public void close() {
            }
        };
    }

    void record(String service, MetricCollection call) {
        for (MetricCollection attempt : call.children()) {
            for (String type : attempt.metricValues(CoreMetric.ERROR_TYPE)) {
                counter(service, ERROR_TYPES.getOrDefault(type, type.toLowerCase(Locale.ROOT))).increment();
            }
        }
    }

    private Counter counter(String service, String errorType) {
        return Counter.builder("autoheal.aws.failed.attempts")
                .description("Failed attempts inside AWS API calls (retried by the SDK or final), by the SDK's error type")
                .tags("service", service, "error_type", errorType)
                .register(registry);
    }
}
