package io.autoheal.bootstrap;

import static io.autoheal.bootstrap.BootstrapFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.kube.Reason;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** What the Bootstrapped condition names while machines are not bootstrapped (issue 23: which limit was hit). */
class BootstrapProblemsTest {

    static BootstrapRecord record(BootstrapPhase phase, BootstrapFailure failure, String message) {
        return new BootstrapRecord(null, phase, 1, T0, T0, null, failure, message, null);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "SecretMissing, BootstrapSecretMissing",
            "SecretForbidden, BootstrapSecretForbidden",
            "UrlRefused, BootstrapUrlRefused",
            "AnswerTooLarge, BootstrapAnswerTooLarge",
            "Unparseable, BootstrapAnswerUnreadable",
            "EmptyBody, BootstrapAnswerUnreadable",
            "Timeout, BootstrapAnswerTimedOut",
            "HttpStatus, BootstrapPending",
            "ConnectionRefused, BootstrapPending",
            "Unreachable, BootstrapPending",
            "Tls, BootstrapPending",
            "JobFailed, BootstrapPending",
            "JobTimedOut, BootstrapPending",
            "Rejected, BootstrapPending",
    })
    void eachFailureHasItsReason(BootstrapFailure failure, Reason reason) {
        var problem = BootstrapProblems.of(Map.of("i-1", record(BootstrapPhase.Pending, failure, "why")));
        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(reason);
            assertThat(p.message()).isEqualTo("i-1: " + failure + ": why");
        });
    }

    @ParameterizedTest
    @EnumSource(BootstrapFailure.class)
    void everyFailureMapsToAReason(BootstrapFailure failure) {
        assertThat(BootstrapProblems.reason(failure)).isNotNull();
    }

    @Test
    void theMostTellingFailureWinsWhateverTheOrderOfMachines() {
        Map<String, BootstrapRecord> records = new LinkedHashMap<>();
        records.put("i-1", record(BootstrapPhase.Pending, BootstrapFailure.Timeout, "POST boot:5000/t timed out"));
        records.put("i-2", record(BootstrapPhase.Running, BootstrapFailure.HttpStatus, "answered HTTP 502"));
        records.put("i-3", record(BootstrapPhase.Pending, BootstrapFailure.AnswerTooLarge, "the answer is longer than 64 KiB"));
        records.put("i-4", record(BootstrapPhase.Succeeded, BootstrapFailure.SecretMissing, "an old failure of a done machine"));
        assertThat(BootstrapProblems.of(records)).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo(Reason.BootstrapAnswerTooLarge);
            assertThat(p.message()).isEqualTo("i-3: AnswerTooLarge: the answer is longer than 64 KiB");
        });
        records.remove("i-3");
        assertThat(BootstrapProblems.of(records).orElseThrow().reason()).isEqualTo(Reason.BootstrapAnswerTimedOut);
    }

    @Test
    void tiesGoToTheLowestInstanceIdSoTheConditionDoesNotFlap() {
        Map<String, BootstrapRecord> records = new LinkedHashMap<>();
        records.put("i-9", record(BootstrapPhase.Pending, BootstrapFailure.Unparseable, "nine"));
        records.put("i-2", record(BootstrapPhase.Pending, BootstrapFailure.Unparseable, "two"));
        assertThat(BootstrapProblems.of(records).orElseThrow().message()).startsWith("i-2:");
    }

    @Test
    void nothingFailedNamesNothing() {
        assertThat(BootstrapProblems.of(Map.of("i-1", record(BootstrapPhase.Running, null, null)))).isEmpty();
        assertThat(BootstrapProblems.of(Map.of("i-1", record(BootstrapPhase.Succeeded, BootstrapFailure.Timeout, "old")))).isEmpty();
        assertThat(BootstrapProblems.of(Map.of())).isEmpty();
    }

    @Test
    void theOrderCoversOnlyRealFailures() {
        assertThat(BootstrapProblems.ORDER).isSubsetOf(Arrays.asList(BootstrapFailure.values()));
    }
}
