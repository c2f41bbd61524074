package io.autoheal.retry;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.GenericRetryExecution;
import java.time.Duration;
import java.util.Optional;

/**
 * JOSDK's exponential retry of a failed reconcile, configured as before by quarkus.operator-sdk.controllers.*.retry.*,
 * each delay spread by {@link Jitter} (±20 %): resources that failed together (an API server blip) do not retry in the
 * same millisecond, attempt after attempt. The reconcilers install it at registration (ConfigurableReconciler): the
 * Quarkus extension ignores {@code @ControllerConfiguration(retry = ...)} and always builds a plain GenericRetry.
 */
public class JitteredRetry extends GenericRetry {

    /** The retry of this controller, with the settings application.properties gives it (GenericRetry's defaults otherwise). */
    public static JitteredRetry configured(String controller) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String prefix = "quarkus.operator-sdk.controllers." + controller + ".retry.";
        JitteredRetry retry = new JitteredRetry();
        config.getOptionalValue(prefix + "max-attempts", Integer.class).ifPresent(retry::setMaxAttempts);
        config.getOptionalValue(prefix + "interval.initial", Long.class).ifPresent(retry::setInitialInterval);
        config.getOptionalValue(prefix + "interval.multiplier", Double.class).ifPresent(retry::setIntervalMultiplier);
        config.getOptionalValue(prefix + "interval.max", Long.class).ifPresent(retry::setMaxInterval);
        return retry;
    }

    @Override
    public GenericRetryExecution initExecution() {
        return new Execution(this, Jitter.SHARED);
    }

    /** One resource's retries: the generic delays, spread. */
    static final class Execution extends GenericRetryExecution {
        private final Jitter jitter;

        Execution(GenericRetry retry, Jitter jitter) {
            super(retry);
            this.jitter = jitter;
        }

        @Override
        public Optional<Long> nextDelay() {
            return super.nextDelay().map(ms -> jitter.spread(Duration.ofMillis(ms)).toMillis());
        }
    }
}
