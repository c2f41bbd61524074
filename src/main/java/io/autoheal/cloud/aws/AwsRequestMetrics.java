package io.autoheal.cloud.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts and times every AWS API call (one per operation, retries included in the time):
 * {@code autoheal_aws_requests_total{service,operation,outcome}} and {@code autoheal_aws_request_seconds}.
 * Tests read {@link #count(String)} to prove that reads are batched.
 */
@ApplicationScoped
public class AwsRequestMetrics implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("autoheal.started");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> perOperation = new ConcurrentHashMap<>();

    public AwsRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, AwsErrors.outcomeOf(context.exception()));
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Long started = attributes.getAttribute(STARTED);
        perOperation.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        Counter.builder("autoheal.aws.requests")
                .description("AWS API calls made by the operator, by service, operation and outcome")
                .tags("service", service, "operation", operation, "outcome", outcome)
                .register(registry).increment();
        if (started != null) {
            Timer.builder("autoheal.aws.request")
                    .description("Duration of AWS API calls, SDK retries included")
                    .tags("service", service, "operation", operation)
                    .publishPercentileHistogram()
                    .register(registry).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Calls of one operation (e.g. "DescribeInstances") since start-up, whatever the outcome. */
    public long count(String operation) {
        AtomicLong n = perOperation.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Calls of all operations since start-up. */
    public long total() {
        return perOperation.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
