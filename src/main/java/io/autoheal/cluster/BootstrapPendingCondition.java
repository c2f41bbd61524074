package io.autoheal.cluster;

import io.autoheal.bootstrap.BootstrapFailure;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.BootstrapRecord;
import io.autoheal.kube.Reason;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Bootstrapped condition while machines are not all bootstrapped: a machine whose calls keep failing says why in
 * the condition itself (its last failure, e.g. an answer cut at 64 KiB), not only in its status row, so the one
 * cluster whose bootstrapper misbehaves shows it where a person looks first. Pure.
 */
final class BootstrapPendingCondition {
    record Summary(Reason reason, String message) {
    }

    private BootstrapPendingCondition() {
    }

    static Summary of(Map<String, BootstrapRecord> records, int bootstrapped, int desired) {
        String counted = bootstrapped + "/" + desired + " machines bootstrapped";
        return new TreeMap<>(records).entrySet().stream()
                .filter(e -> e.getValue().phase() != BootstrapPhase.Succeeded && e.getValue().lastFailure() != null)
                .findFirst()
                .map(e -> new Summary(reason(e.getValue().lastFailure()), counted + "; " + e.getKey() + ": " + e.getValue().lastFailure()
                        + (e.getValue().message() == null ? "" : ": " + e.getValue().message())))
                .orElse(new Summary(Reason.BootstrapPending, counted));
    }

    private static Reason reason(BootstrapFailure failure) {
        return switch (failure) {
            case AnswerTooLarge -> Reason.BootstrapAnswerTooLarge;
            case Unparseable -> Reason.BootstrapAnswerUnreadable;
            default -> Reason.BootstrapPending;
        };
    }
}
