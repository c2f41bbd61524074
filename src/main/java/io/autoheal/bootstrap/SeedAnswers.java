package io.autoheal.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the bodies of 2xx answers of the seed's bootstrapper and of AWX-like APIs.
 *
 * <p>Trigger: the job id as plain text (trimmed; one token of at most 200 characters of letters, digits and
 * {@code . _ : @ + = / -}), as a JSON string, or as a JSON object's {@code id}, {@code job_id} or {@code job}
 * (string or number). Anything else is not a job id.
 *
 * <p>Status (the rule for ambiguous bodies follows the seed, which answers the job's result once it is finished):
 * <ul>
 * <li>a JSON object whose {@code status} is a known word maps to a phase (see {@link #phaseOf});
 * <li>a JSON object whose {@code status} is an unknown word or not a string: UNPARSEABLE (we cannot tell);
 * <li>any other non-empty body (JSON without {@code status}, a JSON array, plain text): SUCCEEDED, the seed's
 *     finished result;
 * <li>except a body that does not parse as JSON but mentions "status" (a truncated status): UNPARSEABLE;
 * <li>an empty body: EMPTY_BODY.
 * </ul>
 */
final class SeedAnswers {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_JOB_ID = 200;
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:@+=/-]{1," + MAX_JOB_ID + "}");
    private static final String[] ID_FIELDS = {"id", "job_id", "job"};

    private SeedAnswers() {
    }

    static TriggerResult jobId(String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.isEmpty()) {
            return TriggerResult.failed(BootstrapFailure.EmptyBody, "the bootstrapper answered the trigger with an empty body");
        }
        Optional<String> id = trimmed.startsWith("{") || trimmed.startsWith("\"") ? fromJson(trimmed) : Optional.of(trimmed);
        return id.filter(s -> JOB_ID.matcher(s).matches()).map(TriggerResult::started)
                .orElseGet(() -> TriggerResult.failed(BootstrapFailure.Unparseable, "the trigger answer is not a job id: " + excerpt(trimmed)));
    }

    static JobStatus status(String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.isEmpty()) {
            return JobStatus.unknown(BootstrapFailure.EmptyBody, "the bootstrapper answered the status with an empty body");
        }
        JsonNode json;
        try {
            json = JSON.readTree(trimmed);
        } catch (IOException e) {
            return trimmed.toLowerCase(Locale.ROOT).contains("\"status\"")
                    ? JobStatus.unknown(BootstrapFailure.Unparseable, "unreadable status answer: " + excerpt(trimmed))
                    : JobStatus.of(BootstrapPhase.Succeeded);
        }
        if (json == null || !json.isObject() || !json.has("status")) {
            return JobStatus.of(BootstrapPhase.Succeeded);
        }
        JsonNode status = json.get("status");
        String word = status.isTextual() ? status.asText().trim().toLowerCase(Locale.ROOT) : "";
        BootstrapPhase phase = phaseOf(word);
        if (phase == null) {
            return JobStatus.unknown(BootstrapFailure.Unparseable, "unknown job status " + excerpt(status.toString()));
        }
        return phase == BootstrapPhase.Failed ? JobStatus.failed("the bootstrapper reports the job " + word) : JobStatus.of(phase);
    }

    /** The seed's words (in-queue, waiting, failed) and AWX's (pending, waiting, running, successful, failed, error, canceled). */
    static BootstrapPhase phaseOf(String word) {
        return switch (word) {
            case "in-queue", "queued", "pending", "new" -> BootstrapPhase.Queued;
            case "waiting", "started", "running" -> BootstrapPhase.Running;
            case "failed", "error", "canceled", "cancelled" -> BootstrapPhase.Failed;
            case "successful", "finished", "success", "succeeded", "done" -> BootstrapPhase.Succeeded;
            default -> null;
        };
    }

    private static Optional<String> fromJson(String text) {
        try {
            JsonNode json = JSON.readTree(text);
            if (json.isTextual()) {
                return Optional.of(json.asText().trim());
            }
            for (String field : ID_FIELDS) {
                JsonNode v = json.get(field);
                if (v != null && (v.isTextual() || v.isIntegralNumber())) {
                    return Optional.of(v.asText().trim());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A short, single-line, printable excerpt for status messages. */
    static String excerpt(String s) {
        String one = s.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
