package io.autoheal.cloud.aws;

import io.autoheal.cloud.aws.RegionRateBudget.Category;
import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.AwsScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The operator's client-side AWS request budget: one {@link RegionRateBudget} per (account, region), shared by every
 * client of it ({@link AwsClients} installs {@link #interceptor(AwsScope)} on each), so the clusters and pools of one
 * operator together stay under a rate that leaves AWS' per-account buckets room for everyone else. A tenant's account
 * (its TenantPolicy's role) has its own budget: one tenant's bulk reads never wait for another's.
 *
 * <p><b>Why these defaults.</b> EC2 throttles per account and region, each API in its own token bucket; a
 * non-mutating action such as DescribeHosts has 100 tokens refilled at 20/s, shared with every other client of the
 * account (console, Terraform, other operators). Our budget covers all read actions of EC2 and Auto Scaling together:
 * 10 reads/s with a burst of 50 is half of one action's refill even if every read were the same action, yet 300 reads
 * per 30 s resync — far more than the fleet inventory needs (pages, not clusters), and a burst of 50 covers a full
 * refresh at start-up. Writes: 5/s with a burst of 20, across all mutating actions — 300 replacements, associations or
 * tag writes a minute, far above what the healing limits (maxUnhealthy, maxRemediationsPerHour) let through.
 *
 * <p><b>Priority.</b> Reads and writes have separate buckets (as at AWS): writes are never behind reads. Within reads,
 * bulk reads stop at {@code reads-reserve} tokens; a read marked {@link #PRIORITY_READ} may take the last ones, so
 * priority reads that come no faster than reads-per-second never wait, however many bulk reads are waiting.
 *
 * <p><b>Where and how long.</b> Every <em>attempt</em> takes a token ({@code beforeTransmission}, inside the SDK's
 * retry loop and api-call timeout), because AWS charges every attempt, SDK retries included. An attempt waits at most
 * {@code max-wait}; if no token can come by then it fails at once, never sent, with an SdkClientException caused by
 * {@link RateBudgetExhausted}: the SDK does not retry it, callers see it like a throttle (outcome "throttled",
 * reason AwsError, reconcile retried with back-off), and {@code autoheal_aws_rate_refused_total} counts it.
 *
 * <p><b>Not the SDK's adaptive retry mode.</b> RetryMode.ADAPTIVE_V2 (SDK 2.57.8) rate-limits one client (scope
 * "GLOBAL" per retry strategy instance) only after AWS has throttled it, and slows every call alike — a healing write
 * as much as a bulk read. This budget acts before AWS has to say no, and keeps priorities; AWS' own throttling answers
 * are still retried by the standard strategy with back-off and counted in {@code autoheal_aws_failed_attempts_total}.
 *
 * <p>Metrics: {@code autoheal_aws_rate_budget_tokens{region,account,category}} (tokens left),
 * {@code autoheal_aws_rate_wait_seconds{region,account,category}} (every budgeted attempt's wait, 0 included, buckets 1 ms
 * to 30 s) and {@code autoheal_aws_rate_refused_total{region,account,category}}; category is "read" or "write", account
 * is {@value AwsScope#OWN_ACCOUNT} for the operator's own or a tenant role's account id (bounded by the TenantPolicies).
 */
@ApplicationScoped
public class AwsRateBudgets {
    /** Set (true) on a request whose read healing waits for: it may use the reserve that bulk reads leave. */
    public static final ExecutionAttribute<Boolean> PRIORITY = new ExecutionAttribute<>("autoheal.rateBudget.priority");
    /** For a request builder's {@code overrideConfiguration(...)}: a read that healing waits for. */
    public static final AwsRequestOverrideConfiguration PRIORITY_READ =
            AwsRequestOverrideConfiguration.builder().putExecutionAttribute(PRIORITY, true).build();
    /** Bucket bounds of autoheal_aws_rate_wait_seconds: from "did not wait" to the longest max-wait that makes sense. */
    static final Duration[] WAIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30)};

    private final OperatorConfig.RateLimit config;
    private final MeterRegistry registry;
    private final LongSupplier ticker;
    private final RegionRateBudget.Sleeper sleeper;
    private final Map<Key, RegionRateBudget> budgets = new ConcurrentHashMap<>();

    /** What AWS throttles by: the account (a tenant role's, or the operator's own) and the region. */
    record Key(String account, String region) {
        static Key of(AwsScope scope) {
            return new Key(scope.account(), scope.region());
        }

        @Override
        public String toString() {
            return AwsScope.OWN_ACCOUNT.equals(account) ? region : region + " (account " + account + ")";
        }
    }

    @Inject
    public AwsRateBudgets(OperatorConfig config, MeterRegistry registry) {
        this(config.aws().rateLimit(), registry, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    AwsRateBudgets(OperatorConfig.RateLimit config, MeterRegistry registry, LongSupplier ticker, RegionRateBudget.Sleeper sleeper) {
        this.config = config;
        this.registry = registry;
        this.ticker = ticker;
        this.sleeper = sleeper;
        if (config.enabled()) {
            budget(new Key(AwsScope.OWN_ACCOUNT, "config-check")); // a bad setting fails when the first client is built (start-up), naming the keys
        }
    }

    /** The interceptor that makes every attempt of a client of this scope take a token of its (account, region); empty when disabled. */
    public Optional<ExecutionInterceptor> interceptor(AwsScope scope) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Key region = Key.of(scope);
        RegionRateBudget budget = budgets.computeIfAbsent(region, this::registered);
        return Optional.of(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                take(region, budget, attributes);
            }
        });
    }

    private void take(Key region, RegionRateBudget budget, ExecutionAttributes attributes) {
        Category category = RegionRateBudget.categoryOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        boolean priority = Boolean.TRUE.equals(attributes.getAttribute(PRIORITY));
        try {
            long waited = budget.acquire(category, priority, config.maxWait().toNanos());
            waitTimer(region, category).record(waited, TimeUnit.NANOSECONDS);
        } catch (RateBudgetExhausted e) {
            waitTimer(region, category).record(e.waitedNanos(), TimeUnit.NANOSECONDS);
            refused(region, category).increment();
            throw SdkClientException.create(e.getMessage(), e);
        } catch (InterruptedException e) {
            // The SDK's api-call timeout interrupts a waiting attempt; it turns this into its ApiCallTimeoutException.
            Thread.currentThread().interrupt();
            throw AbortedException.builder().message("interrupted while waiting for the AWS request budget").cause(e).build();
        }
    }

    private RegionRateBudget registered(Key region) {
        RegionRateBudget budget = budget(region);
        for (Category c : Category.values()) {
            // Every series exists from the first client on, so dashboards and rates have data before the first wait.
            Gauge.builder("autoheal.aws.rate.budget.tokens", budget.bucket(c), TokenBucket::available)
                    .description("Tokens left in the operator's client-side AWS request budget, by region and category (read, write)")
                    .tags("region", region.region(), "account", region.account(), "category", c.label()).register(registry);
            waitTimer(region, c);
            refused(region, c);
        }
        return budget;
    }

    private RegionRateBudget budget(Key region) {
        try {
            return new RegionRateBudget(region.toString(),
                    new TokenBucket(config.readsBurst(), config.readsPerSecond(), config.readsReserve(), ticker),
                    new TokenBucket(config.writesBurst(), config.writesPerSecond(), 0, ticker), ticker, sleeper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid autoheal.aws.rate-limit.* settings (reads-burst >= 1, 0 <= reads-reserve < reads-burst,"
                    + " reads-per-second > 0, writes-burst >= 1, writes-per-second > 0): " + e.getMessage(), e);
        }
    }

    private Timer waitTimer(Key region, Category c) {
        return Timer.builder("autoheal.aws.rate.wait")
                .description("Time AWS request attempts waited for the client-side request budget (0 when a token was there)")
                .tags("region", region.region(), "account", region.account(), "category", c.label())
                .serviceLevelObjectives(WAIT_BUCKETS)
                .register(registry);
    }

    private Counter refused(Key region, Category c) {
        return Counter.builder("autoheal.aws.rate.refused")
                .description("AWS request attempts that got no token of the client-side budget within max-wait and failed unsent")
                .tags("region", region.region(), "account", region.account(), "category", c.label())
                .register(registry);
    }
}
