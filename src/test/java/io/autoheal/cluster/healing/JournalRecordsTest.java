package io.autoheal.cluster.healing;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.RemediationRecord;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the journal stores after an append: table tests of the pure merge (stored hour + new, a machine once). */
class JournalRecordsTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static RemediationRecord r(String id, String reason, Instant at) {
        return new RemediationRecord(id, reason, at.toString());
    }

    static Stream<Arguments> appends() {
        return Stream.of(
                Arguments.of("empty journal", null, List.of(r("i-1", "Stopped", NOW)), List.of("i-1/Stopped")),
                Arguments.of("another writer's record is kept", List.of(r("i-0", "Impaired", NOW.minusSeconds(5))),
                        List.of(r("i-1", "Stopped", NOW)), List.of("i-0/Impaired", "i-1/Stopped")),
                Arguments.of("records older than an hour are pruned", List.of(r("i-old", "Stopped", NOW.minusSeconds(3601)),
                        r("i-0", "Stopped", NOW.minusSeconds(3599))), List.of(r("i-1", "Stopped", NOW)), List.of("i-0/Stopped", "i-1/Stopped")),
                Arguments.of("exactly an hour old counts no more", List.of(r("i-old", "Stopped", NOW.minusSeconds(3600))),
                        List.of(r("i-1", "Stopped", NOW)), List.of("i-1/Stopped")),
                Arguments.of("a machine already recorded is not recorded twice", List.of(r("i-1", "Impaired", NOW.minusSeconds(60))),
                        List.of(r("i-1", "Stopped", NOW), r("i-2", "Stopped", NOW)), List.of("i-1/Impaired", "i-2/Stopped")),
                Arguments.of("an undatable stored record counts for nothing", List.of(new RemediationRecord("i-x", "Stopped", "yesterday"),
                        new RemediationRecord("i-y", "Stopped", null)), List.of(r("i-1", "Stopped", NOW)), List.of("i-1/Stopped")),
                Arguments.of("nothing added keeps the stored hour", List.of(r("i-0", "Stopped", NOW)), List.of(), List.of("i-0/Stopped")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appends")
    void append(String name, List<RemediationRecord> stored, List<RemediationRecord> added, List<String> expected) {
        assertThat(JournalRecords.append(stored, added, NOW)).extracting(x -> x.instanceId + "/" + x.reason).containsExactlyElementsOf(expected);
    }
}
