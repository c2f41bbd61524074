package io.autoheal.cloud.aws;

import io.autoheal.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * One EC2 and one Auto Scaling client per region, sharing one HTTP client. Credentials come from the
 * default chain (env, profile, IRSA web identity, instance profile) — never from a custom resource.
 * Every client of a region spends the region's one request budget ({@link AwsRateBudgets}: reads and writes in
 * separate token buckets, each attempt takes a token), so all clusters and pools together stay under its rate.
 */
@ApplicationScoped
public class AwsClients {
    private final OperatorConfig config;
    private final AwsRequestMetrics metrics;
    private final AwsAttemptMetrics attempts;
    private final AwsRateBudgets budgets;
    private final SdkHttpClient http;
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<String, AutoScalingClient> autoScaling = new ConcurrentHashMap<>();
    private final Map<String, Ec2Client> ec2SingleAttempt = new ConcurrentHashMap<>();
    private final Map<String, ElasticLoadBalancingV2Client> elb = new ConcurrentHashMap<>();

    /** For tests and tools that build their own clients: the configured budget, its meters in a registry of its own. */
    public AwsClients(OperatorConfig config, AwsRequestMetrics metrics, AwsAttemptMetrics attempts) {
        this(config, metrics, attempts, new AwsRateBudgets(config, new SimpleMeterRegistry()));
    }

    @Inject
    public AwsClients(OperatorConfig config, AwsRequestMetrics metrics, AwsAttemptMetrics attempts, AwsRateBudgets budgets) {
        this.config = config;
        this.metrics = metrics;
        this.attempts = attempts;
        this.budgets = budgets;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(5))
                .socketTimeout(java.time.Duration.ofSeconds(20))
                .build();
    }

    public Ec2Client ec2(String region) {
        return ec2.computeIfAbsent(region, r -> {
            var b = Ec2Client.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides("Ec2", r));
            config.aws().endpointOverride().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    /**
     * For writes AWS cannot make idempotent (AllocateAddress has no client token): the SDK must not re-send them,
     * because a retry after a lost answer would create a second resource. The caller's next pass re-observes instead.
     */
    public Ec2Client ec2SingleAttempt(String region) {
        return ec2SingleAttempt.computeIfAbsent(region, r -> {
            var b = Ec2Client.builder().region(Region.of(r)).httpClient(http)
                    .overrideConfiguration(overrides("Ec2", r).toBuilder().retryStrategy(s -> s.maxAttempts(1)).build());
            config.aws().endpointOverride().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    public AutoScalingClient autoScaling(String region) {
        return autoScaling.computeIfAbsent(region, r -> {
            var b = AutoScalingClient.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides("AutoScaling", r));
            config.aws().endpointOverride().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    /** ELBv2 (target health of spec.health.targetGroupArns), on the region's one request budget like the others. */
    public ElasticLoadBalancingV2Client elb(String region) {
        return elb.computeIfAbsent(region, r -> {
            var b = ElasticLoadBalancingV2Client.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides("ElasticLoadBalancingV2", r));
            config.aws().endpointOverride().ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    /** One cheap call with a short deadline and a single attempt, to fail fast at start-up (outside the budget). */
    public void autoScalingProbe(String region, java.time.Duration timeout) {
        var b = AutoScalingClient.builder().region(Region.of(region)).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(metrics).apiCallTimeout(timeout)
                        .retryStrategy(r -> r.maxAttempts(1)));
        config.aws().endpointOverride().ifPresent(b::endpointOverride);
        try (AutoScalingClient probe = b.build()) {
            probe.describeAutoScalingGroups(r -> r.maxRecords(1));
        }
    }

    private ClientOverrideConfiguration overrides(String service, String region) {
        var b = ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(metrics)
                .addExecutionInterceptor(FailedOperations.INSTANCE)
                .addExecutionInterceptor(FailedCallLog.INSTANCE)
                .addMetricPublisher(attempts.publisher(service))
                .retryStrategy(r -> r.maxAttempts(config.aws().maxAttempts()))
                .apiCallTimeout(config.aws().apiCallTimeout());
        budgets.interceptor(region).ifPresent(b::addExecutionInterceptor);
        return b.build();
    }

    @PreDestroy
    void close() {
        ec2.values().forEach(Ec2Client::close);
        ec2SingleAttempt.values().forEach(Ec2Client::close);
        autoScaling.values().forEach(AutoScalingClient::close);
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        http.close();
    }
}
