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
import software.amazon.awssdk.services.sts.StsClient;
import io.autoheal.fleet.AwsScope;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;

/**
 * One EC2 and one Auto Scaling client per {@link AwsScope} (region and identity), sharing one HTTP client. The
 * operator's own scope takes its credentials from the default chain (env, profile, IRSA web identity, instance
 * profile) — never from a custom resource; a tenant's scope from its role, assumed with those ({@link TenantCredentials}).
 * Every client of an (account, region) spends its one request budget ({@link AwsRateBudgets}: reads and writes in
 * separate token buckets, each attempt takes a token), so all clusters and pools together stay under AWS' per-account rate.
 */
@ApplicationScoped
public class AwsClients {
    private final OperatorConfig config;
    private final AwsRequestMetrics metrics;
    private final AwsAttemptMetrics attempts;
    private final AwsRateBudgets budgets;
    private final SdkHttpClient http;
    private final java.time.Clock clock;
    /** Made on the first tenant scope: an operator without tenants never loads STS for them (nor needs its module). */
    private TenantCredentials tenants;
    private final Map<AwsScope, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<AwsScope, AutoScalingClient> autoScaling = new ConcurrentHashMap<>();
    private final Map<AwsScope, Ec2Client> ec2SingleAttempt = new ConcurrentHashMap<>();
    private final Map<AwsScope, ElasticLoadBalancingV2Client> elb = new ConcurrentHashMap<>();

    /** For tests and tools that build their own clients: the configured budget, its meters in a registry of its own. */
    public AwsClients(OperatorConfig config, AwsRequestMetrics metrics, AwsAttemptMetrics attempts) {
        this(config, metrics, attempts, new AwsRateBudgets(config, new SimpleMeterRegistry()));
    }

    public AwsClients(OperatorConfig config, AwsRequestMetrics metrics, AwsAttemptMetrics attempts, AwsRateBudgets budgets) {
        this(config, metrics, attempts, budgets, java.time.Clock.systemUTC());
    }

    @Inject
    public AwsClients(OperatorConfig config, AwsRequestMetrics metrics, AwsAttemptMetrics attempts, AwsRateBudgets budgets,
                      java.time.Clock clock) {
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.attempts = attempts;
        this.budgets = budgets;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(5))
                .socketTimeout(java.time.Duration.ofSeconds(20))
                .build();
    }

    public Ec2Client ec2(AwsScope scope) {
        return ec2.computeIfAbsent(scope, s -> configured(Ec2Client.builder(), s).overrideConfiguration(overrides("Ec2", s)).build());
    }

    /** Region, HTTP client, endpoint and — for a tenant's scope — its assumed role's credentials. */
    private <B extends AwsClientBuilder<B, ?>> B configured(B builder, AwsScope scope) {
        builder.region(Region.of(scope.region()));
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        config.aws().endpointOverride().ifPresent(builder::endpointOverride);
        if (!scope.isOwn()) {
            builder.credentialsProvider(tenants().of(scope));
        }
        return builder;
    }

    private synchronized TenantCredentials tenants() {
        if (tenants == null) {
            tenants = new TenantCredentials(this::sts, config.installationId(), clock);
        }
        return tenants;
    }

    /** STS with the operator's own credentials: what tenants' roles are assumed with. */
    private StsClient sts(String region) {
        var b = StsClient.builder().region(Region.of(region)).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(metrics).apiCallTimeout(config.aws().apiCallTimeout())
                        .retryStrategy(r -> r.maxAttempts(config.aws().maxAttempts())));
        config.aws().endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    /**
     * For writes AWS cannot make idempotent (AllocateAddress has no client token): the SDK must not re-send them,
     * because a retry after a lost answer would create a second resource. The caller's next pass re-observes instead.
     */
    public Ec2Client ec2SingleAttempt(AwsScope scope) {
        return ec2SingleAttempt.computeIfAbsent(scope, s -> configured(Ec2Client.builder(), s)
                .overrideConfiguration(overrides("Ec2", s).toBuilder().retryStrategy(r -> r.maxAttempts(1)).build()).build());
    }

    public AutoScalingClient autoScaling(AwsScope scope) {
        return autoScaling.computeIfAbsent(scope, s -> configured(AutoScalingClient.builder(), s).overrideConfiguration(overrides("AutoScaling", s)).build());
    }

    /** ELBv2 (target health of spec.health.targetGroupArns), on the scope's one request budget like the others. */
    public ElasticLoadBalancingV2Client elb(AwsScope scope) {
        return elb.computeIfAbsent(scope, s -> configured(ElasticLoadBalancingV2Client.builder(), s)
                .overrideConfiguration(overrides("ElasticLoadBalancingV2", s)).build());
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

    private ClientOverrideConfiguration overrides(String service, AwsScope scope) {
        var b = ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(metrics)
                .addExecutionInterceptor(FailedOperations.INSTANCE)
                .addExecutionInterceptor(FailedCallLog.INSTANCE)
                .addMetricPublisher(attempts.publisher(service))
                .retryStrategy(r -> r.maxAttempts(config.aws().maxAttempts()))
                .apiCallTimeout(config.aws().apiCallTimeout());
        budgets.interceptor(scope).ifPresent(b::addExecutionInterceptor);
        return b.build();
    }

    @PreDestroy
    void close() {
        ec2.values().forEach(Ec2Client::close);
        ec2SingleAttempt.values().forEach(Ec2Client::close);
        autoScaling.values().forEach(AutoScalingClient::close);
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        synchronized (this) {
            if (tenants != null) {
                tenants.close();
            }
        }
        http.close();
    }
}
