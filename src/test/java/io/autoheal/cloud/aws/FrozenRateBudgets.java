package io.autoheal.cloud.aws;

import io.autoheal.config.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link AwsRateBudgets} as the operator builds them, on a clock that never moves (no token refills) and a sleeper that
 * refuses to wait: for tests outside this package that read the budgets' gauges and need exact token counts.
 */
public final class FrozenRateBudgets {
    private FrozenRateBudgets() {
    }

    public static AwsRateBudgets of(OperatorConfig config, MeterRegistry registry) {
        return new AwsRateBudgets(config.aws().rateLimit(), registry, () -> 0L, nanos -> {
            throw new AssertionError("the frozen budgets were asked to wait " + nanos + " ns");
        });
    }
}
