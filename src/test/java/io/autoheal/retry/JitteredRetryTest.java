package io.autoheal.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JOSDK's reconcile retry, as application.properties configures it, with every delay spread by ±20 %. */
class JitteredRetryTest {

    /** As application.properties: unlimited attempts, 2 s doubling up to 30 s. */
    static GenericRetry configured(GenericRetry retry) {
        return retry.setMaxAttempts(-1).setInitialInterval(2000).setIntervalMultiplier(2).setMaxInterval(30000);
    }

    static List<Long> delays(GenericRetry retry, Jitter jitter, int n) {
        var execution = new JitteredRetry.Execution(retry, jitter);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            delays.add(execution.nextDelay().orElseThrow());
        }
        return delays;
    }

    @ParameterizedTest(name = "random {0}")
    @CsvSource({"0.0, 0.8", "0.5, 1.0", "0.999999, 1.2"})
    void everyDelayIsTheGenericOneSpread(double random, double factor) {
        List<Long> plain = delays(configured(new GenericRetry()), Jitter.none(), 6);
        assertThat(plain).containsExactly(2000L, 2000L, 4000L, 8000L, 16000L, 30000L); // JOSDK: the initial interval twice
        List<Long> spread = delays(configured(new GenericRetry()), new Jitter(() -> random), 6);
        for (int i = 0; i < plain.size(); i++) {
            assertThat((double) spread.get(i)).isCloseTo(plain.get(i) * factor, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void delaysOfOneFailureSpreadAcrossResources() {
        GenericRetry retry = configured(new JitteredRetry());
        List<Long> firsts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(retry.initExecution().nextDelay().orElseThrow());
        }
        assertThat(firsts).allSatisfy(d -> assertThat(d).isBetween(1600L, 2400L));
        assertThat(firsts.stream().distinct().count()).as("not all in step").isGreaterThan(20);
    }

    @Test
    void theAttemptLimitStillEndsTheRetries() {
        GenericRetry retry = new JitteredRetry().setMaxAttempts(2).setInitialInterval(1000);
        var execution = retry.initExecution();
        assertThat(execution.nextDelay()).isPresent();
        assertThat(execution.nextDelay()).isPresent();
        assertThat(execution.nextDelay()).isEqualTo(Optional.empty());
    }
}
