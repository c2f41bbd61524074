package io.autoheal.bootstrap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the bodies of 2xx answers of the seed's bootstrapper and of AWX-like APIs. The body decides, never the
 * Content-Type: the seed's Flask routes return strings, which Flask sends as {@code text/html} even when they are
 * JSON.
 *
 * <p>Trigger: the job id as plain text (trimmed; one token of at most 200 characters of letters, digits and
 * {@code . _ : @ + = / -}), as a JSON string, or as a JSON object's {@code id}, {@code job_id} or {@code job}
 * (string or number). Anything else (empty, an HTML page, JSON without an id) names no job; since the request
 * was answered 2xx, a job may have started: {@link TriggerResult.Kind#SENT_ANSWER_LOST}.
 *
 * <p>Status (the seed answers {@code json.dumps} of {@code {"status": ...}} or, once finished, of the job's
 * return value: Ansible's per-host recap):
 * <ul>
 * <li>a JSON object whose {@code status} is a known word maps to a phase (see {@link #phaseOf});
 * <li>a JSON object whose {@code status} is an unknown word or not a string: UNPARSEABLE (we cannot tell);
 * <li>a JSON string that is a known status word: that phase;
 * <li>a play recap ({@link PlaybookSummary}): FAILED when the machine's host (or, when it is not a key, any host)
 *     has failures or is unreachable, or when the recap has no host; else SUCCEEDED;
 * <li>any other JSON (an array, a string, {@code {"error": "..."}}): UNPARSEABLE, neither success nor failure (an
 *     error answered with 200 must not count as a finished job);
 * <li>a body that is not JSON (an HTML login or error page of a proxy, plain text, a truncated answer):
 *     UNPARSEABLE, never success;
 * <li>an empty body: EMPTY_BODY.
 * </ul>
 * An unreadable status keeps the job's phase; the attempt timeout bounds it.
 */
final class SeedAnswers {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A whole body is one JSON value: "3 and more text" is not JSON. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final int MAX_JOB_ID = 200;
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:@+=/-]{1," + MAX_JOB_ID + "}");
    private static final String[] ID_FIELDS = {"id", "job_id", "job"};

    private SeedAnswers() {
    }

    static TriggerResult jobId(String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.isEmpty()) {
            return TriggerResult.answerLost(BootstrapFailure.EmptyBody, "the bootstrapper answered the trigger with an empty body");
        }
        Optional<String> id = trimmed.startsWith("{") || trimmed.startsWith("\"") ? fromJson(trimmed) : Optional.of(trimmed);
        String what = html(trimmed) ? "an HTML page" : "not a job id";
        return id.filter(s -> JOB_ID.matcher(s).matches()).map(TriggerResult::started)
                .orElseGet(() -> TriggerResult.answerLost(BootstrapFailure.Unparseable, "the trigger answer is " + what + ": " + excerpt(trimmed)));
    }

    /** @param host the machine's address as the trigger sent it: whose line of a play recap counts */
    static JobStatus status(String body, String host) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.isEmpty()) {
            return JobStatus.unknown(BootstrapFailure.EmptyBody, "the bootstrapper answered the status with an empty body");
        }
        if (html(trimmed)) {
            return JobStatus.unknown(BootstrapFailure.Unparseable, "the status answer is an HTML page (a proxy's?): " + excerpt(trimmed));
        }
        JsonNode json;
        try {
            json = STRICT.readTree(trimmed);
        } catch (IOException e) {
            return JobStatus.unknown(BootstrapFailure.Unparseable, "the status answer is not JSON: " + excerpt(trimmed));
        }
        if (json != null && json.isObject() && json.has("status")) {
            return statusWord(json.get("status"));
        }
        if (json != null && json.isTextual() && phaseOf(json.asText().trim().toLowerCase(Locale.ROOT)) != null) {
            return statusWord(json); // a bare status word: "done"
        }
        return PlaybookSummary.of(json).map(s -> s.verdict(host)).orElseGet(() -> JobStatus.unknown(BootstrapFailure.Unparseable,
                "the status answer is unreadable: neither a play recap nor a status word: " + excerpt(trimmed)));
    }

    private static JobStatus statusWord(JsonNode status) {
        String word = status.isTextual() ? status.asText().trim().toLowerCase(Locale.ROOT) : "";
        BootstrapPhase phase = phaseOf(word);
        if (phase == null) {
            return JobStatus.unknown(BootstrapFailure.Unparseable, "unknown job status " + excerpt(status.toString()));
        }
        return phase == BootstrapPhase.Failed ? JobStatus.failed("the bootstrapper reports the job " + word) : JobStatus.of(phase);
    }

    /** Markup: a proxy's login or error page, whatever its Content-Type says. */
    static boolean html(String trimmed) {
        return trimmed.startsWith("<");
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

    /** Longest excerpt of an answer in a status message or Event, in code points. */
    static final int MAX_EXCERPT = 60;
    private static final Pattern MARKUP = Pattern.compile("<[^>]*>?");
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{C}\\s]+");

    /**
     * A short, single-line, printable excerpt of text a bootstrapper sent, for status messages and Events: markup
     * (tags, and a tag cut off at the end) removed, control and format characters (newlines, escape sequences,
     * bidi overrides) turned into one space, at most {@link #MAX_EXCERPT} code points. A status shows what an
     * answer looked like, never the answer: whatever a bootstrapper returns is not copied into the cluster.
     */
    static String excerpt(String s) {
        String text = UNPRINTABLE.matcher(MARKUP.matcher(s == null ? "" : s).replaceAll(" ")).replaceAll(" ").trim();
        if (text.isEmpty()) {
            return "(no text)";
        }
        if (text.codePointCount(0, text.length()) <= MAX_EXCERPT) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_EXCERPT - 3)) + "...";
    }
}
