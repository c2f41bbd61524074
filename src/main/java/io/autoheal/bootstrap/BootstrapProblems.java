package io.autoheal.bootstrap;

import io.autoheal.kube.Reason;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: what the Bootstrapped condition names while machines are not bootstrapped. The specific failures of an outside
 * input (issue 23) each have their own reason, so the user sees which limit was hit without reading every row: a
 * credentials Secret missing or forbidden (named, never its content), an answer over 64 KiB, an answer that did not end
 * within the request timeout, an answer that is neither a job id, a recap nor a status word. Other failures (HTTP
 * status, refused connection, failed job) leave the reason BootstrapPending; the message still names them.
 */
public final class BootstrapProblems {
    /** Most telling first: a person must act on the first ones; the rest may pass by themselves. */
    static final List<BootstrapFailure> ORDER = List.of(BootstrapFailure.SecretMissing, BootstrapFailure.SecretForbidden,
            BootstrapFailure.UrlRefused, BootstrapFailure.AnswerTooLarge, BootstrapFailure.Unparseable, BootstrapFailure.EmptyBody,
            BootstrapFailure.Timeout);

    /** The reason and message of the condition. */
    public record Problem(Reason reason, String message) {
    }

    private BootstrapProblems() {
    }

    public static Reason reason(BootstrapFailure failure) {
        return switch (failure) {
            case SecretMissing -> Reason.BootstrapSecretMissing;
            case SecretForbidden -> Reason.BootstrapSecretForbidden;
            case UrlRefused -> Reason.BootstrapUrlRefused;
            case AnswerTooLarge -> Reason.BootstrapAnswerTooLarge;
            case Unparseable, EmptyBody -> Reason.BootstrapAnswerUnreadable;
            case Timeout -> Reason.BootstrapAnswerTimedOut;
            default -> Reason.BootstrapPending;
        };
    }

    /**
     * The failure of a machine not (yet) bootstrapped that tells most, by instance id; empty when none failed.
     * Ties go to the lowest instance id, so the condition does not flap between machines.
     */
    public static Optional<Problem> of(Map<String, BootstrapRecord> records) {
        return records.entrySet().stream()
                .filter(e -> e.getValue().phase() != BootstrapPhase.Succeeded && e.getValue().lastFailure() != null)
                .min(Comparator.<Map.Entry<String, BootstrapRecord>>comparingInt(e -> rank(e.getValue().lastFailure()))
                        .thenComparing(Map.Entry::getKey))
                .map(e -> new Problem(reason(e.getValue().lastFailure()), e.getKey() + ": " + e.getValue().lastFailure()
                        + (e.getValue().message() == null || e.getValue().message().isBlank() ? "" : ": " + e.getValue().message())));
    }

    private static int rank(BootstrapFailure failure) {
        int i = ORDER.indexOf(failure);
        return i < 0 ? ORDER.size() : i;
    }
}
