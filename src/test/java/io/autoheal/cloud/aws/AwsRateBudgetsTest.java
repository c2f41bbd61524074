package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.config.OperatorConfig;
import io.autoheal.kube.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** The interceptor every client of a region gets: which bucket an attempt uses, what it records, how a refusal looks. */
class AwsRateBudgetsTest {
    static final long MS = 1_000_000L;

    record Limits(boolean enabled, double readsPerSecond, int readsBurst, int readsReserve, double writesPerSecond, int writesBurst,
                  Duration maxWait) implements OperatorConfig.RateLimit {
    }

    final AtomicLong now = new AtomicLong();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    AwsRateBudgets budgets(Limits limits) {
        return new AwsRateBudgets(limits, registry, now::get, now::addAndGet);
    }

    static ExecutionAttributes call(String operation, boolean priority) {
        ExecutionAttributes a = ExecutionAttributes.builder().put(SdkExecutionAttribute.OPERATION_NAME, operation).build();
        if (priority) {
            a.putAttribute(AwsRateBudgets.PRIORITY, true);
        }
        return a;
    }

    double tokens(String region, String category) {
        return registry.get("autoheal.aws.rate.budget.tokens").tag("region", region).tag("category", category).gauge().value();
    }

    @Test
    void everySeriesOfARegionExistsFromItsFirstClientOn() {
        budgets(new Limits(true, 10, 50, 10, 5, 20, Duration.ofSeconds(10))).interceptor(AwsScope.own("eu-west-1"));
        assertThat(tokens("eu-west-1", "read")).isEqualTo(50.0);
        assertThat(tokens("eu-west-1", "write")).isEqualTo(20.0);
        for (String c : new String[]{"read", "write"}) {
            assertThat(registry.get("autoheal.aws.rate.wait").tag("region", "eu-west-1").tag("category", c).timer().count()).isZero();
            assertThat(registry.get("autoheal.aws.rate.refused").tag("region", "eu-west-1").tag("category", c).counter().count()).isZero();
        }
    }

    @Test
    void regionsHaveTheirOwnBudgetsAndClientsOfOneRegionShareOne() {
        AwsRateBudgets budgets = budgets(new Limits(true, 10, 3, 0, 5, 2, Duration.ZERO));
        ExecutionInterceptor ec2 = budgets.interceptor(AwsScope.own("eu-west-1")).orElseThrow();
        ExecutionInterceptor autoScaling = budgets.interceptor(AwsScope.own("eu-west-1")).orElseThrow();
        ExecutionInterceptor otherRegion = budgets.interceptor(AwsScope.own("us-east-1")).orElseThrow();
        ec2.beforeTransmission(null, call("DescribeInstances", false));
        autoScaling.beforeTransmission(null, call("DescribeAutoScalingGroups", false));
        ec2.beforeTransmission(null, call("CreateTags", false));
        assertThat(tokens("eu-west-1", "read")).isEqualTo(1.0);
        assertThat(tokens("eu-west-1", "write")).isEqualTo(1.0);
        assertThat(tokens("us-east-1", "read")).isEqualTo(3.0);
        otherRegion.beforeTransmission(null, call("DescribeAddresses", false));
        assertThat(tokens("us-east-1", "read")).isEqualTo(2.0);
    }

    @Test
    void anAttemptWaitsForItsTokenAndTheWaitIsRecorded() {
        AwsRateBudgets budgets = budgets(new Limits(true, 10, 2, 1, 5, 2, Duration.ofSeconds(1)));
        ExecutionInterceptor i = budgets.interceptor(AwsScope.own("eu-west-1")).orElseThrow();
        i.beforeTransmission(null, call("DescribeInstances", false)); // 1 left: the reserve
        i.beforeTransmission(null, call("DescribeInstances", true)); // a priority read takes it at once
        i.beforeTransmission(null, call("DescribeInstances", false)); // waits for 2 tokens: 200 ms
        assertThat(now.get()).isEqualTo(200 * MS);
        var timer = registry.get("autoheal.aws.rate.wait").tag("region", "eu-west-1").tag("category", "read").timer();
        assertThat(timer.count()).isEqualTo(3);
        assertThat(timer.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(200.0);
    }

    @Test
    void anAttemptWithoutATokenInTimeFailsUnsentLikeAThrottle() {
        AwsRateBudgets budgets = budgets(new Limits(true, 10, 2, 0, 1, 1, Duration.ofMillis(500)));
        ExecutionInterceptor i = budgets.interceptor(AwsScope.own("eu-west-1")).orElseThrow();
        i.beforeTransmission(null, call("TerminateInstanceInAutoScalingGroup", false));
        // the next write token comes in 1 s, beyond the 500 ms max wait: refused at once
        assertThatThrownBy(() -> i.beforeTransmission(null, call("TerminateInstanceInAutoScalingGroup", false)))
                .isInstanceOfSatisfying(SdkClientException.class, e -> {
                    assertThat(e).hasCauseInstanceOf(RateBudgetExhausted.class)
                            .hasMessageContaining("no AWS request budget for a write in eu-west-1 within PT0.5S");
                    assertThat(AwsErrors.outcomeOf(e)).isEqualTo("throttled");
                    assertThat(AwsErrorReasons.reason(e)).isEqualTo(Reason.AwsError);
                    assertThat(AwsErrors.isBadInput(e)).isFalse();
                });
        assertThat(now.get()).as("no sleep before failing").isZero();
        assertThat(registry.get("autoheal.aws.rate.refused").tag("region", "eu-west-1").tag("category", "write").counter().count()).isEqualTo(1);
        assertThat(registry.get("autoheal.aws.rate.refused").tag("region", "eu-west-1").tag("category", "read").counter().count()).isZero();
    }

    @Test
    void disabledMeansNoInterceptorAndNoMeters() {
        assertThat(budgets(new Limits(false, 10, 50, 10, 5, 20, Duration.ofSeconds(10))).interceptor(AwsScope.own("eu-west-1"))).isEmpty();
        assertThat(registry.find("autoheal.aws.rate.budget.tokens").gauges()).isEmpty();
    }

    @Test
    void badSettingsFailNamingTheKeys() {
        assertThatThrownBy(() -> budgets(new Limits(true, 10, 5, 5, 5, 20, Duration.ofSeconds(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoheal.aws.rate-limit").hasMessageContaining("reads-reserve");
        assertThatThrownBy(() -> budgets(new Limits(true, 10, 50, 10, 0, 20, Duration.ofSeconds(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writes-per-second");
    }
}
