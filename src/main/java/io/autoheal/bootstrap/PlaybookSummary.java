package io.autoheal.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's per-host play recap, as the seed's bootstrapper answers a finished job: the playbook's return value,
 * {@code {"<host>": {"ok": N, "changed": N, "unreachable": N, "failures": N, "skipped": N}}} (Ansible 2 adds
 * {@code rescued} and {@code ignored}). Also read: one host's counts without the host key, and the same map under
 * {@code "stats"} (Ansible's json stdout callback).
 *
 * <p>Verdict: the machine's host when it is a key of the recap, otherwise every host of it, must have no
 * {@code failures} and no {@code unreachable}. A recap without any host (an empty object) means the play matched
 * no host (e.g. the machine is not in the bootstrapper's inventory): nothing ran on the machine, so it failed.
 */
record PlaybookSummary(Map<String, Counts> hosts) {
    /** Bad hosts named in a message; the status message stays short. */
    static final int MAX_LISTED = 3;

    /** One host's counts that decide the verdict. */
    record Counts(long failures, long unreachable) {
        boolean bad() {
            return failures > 0 || unreachable > 0;
        }

        @Override
        public String toString() {
            return "failures=" + failures + ", unreachable=" + unreachable;
        }
    }

    /** A body that is an empty object, a recap, or a recap under "stats"; empty for any other JSON. */
    static Optional<PlaybookSummary> of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        if (json.isEmpty()) {
            return Optional.of(new PlaybookSummary(Map.of()));
        }
        if (isCounts(json)) {
            return Optional.of(new PlaybookSummary(Map.of("", counts(json))));
        }
        JsonNode stats = json.get("stats");
        JsonNode map = stats != null && stats.isObject() && !stats.isEmpty() && !isCounts(stats) ? stats : json;
        Map<String, Counts> hosts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!isCounts(e.getValue())) {
                return Optional.empty(); // not a recap: some other return value of the job
            }
            hosts.put(e.getKey(), counts(e.getValue()));
        }
        return Optional.of(new PlaybookSummary(hosts));
    }

    /** The job's status as far as this recap tells it about {@code host} (the private IP the trigger sent). */
    JobStatus verdict(String host) {
        if (hosts.isEmpty()) {
            return JobStatus.failed("the playbook ran on no host (is the machine in the bootstrapper's inventory?)");
        }
        Counts own = host == null ? null : hosts.get(host);
        if (own != null) {
            return own.bad() ? JobStatus.failed("the playbook failed on " + host + ": " + own) : JobStatus.of(BootstrapPhase.Succeeded);
        }
        List<String> bad = new ArrayList<>();
        hosts.forEach((h, c) -> {
            if (c.bad()) {
                bad.add((h.isEmpty() ? "" : SeedAnswers.excerpt(h) + ": ") + c);
            }
        });
        if (bad.isEmpty()) {
            return JobStatus.of(BootstrapPhase.Succeeded);
        }
        String listed = String.join("; ", bad.subList(0, Math.min(bad.size(), MAX_LISTED)))
                + (bad.size() > MAX_LISTED ? "; and " + (bad.size() - MAX_LISTED) + " more" : "");
        return JobStatus.failed("the playbook failed (" + bad.size() + " of " + hosts.size() + " hosts): " + listed);
    }

    /** An object of counts: it has failures or unreachable, and every field is a count. */
    private static boolean isCounts(JsonNode n) {
        if (n == null || !n.isObject() || !(n.has("failures") || n.has("unreachable"))) {
            return false;
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            if (count(it.next()) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Counts counts(JsonNode n) {
        return new Counts(Math.max(0, count(n.get("failures"))), Math.max(0, count(n.get("unreachable"))));
    }

    /** A non-negative whole number (also as a string of digits); -1 for anything else, 0 when absent. */
    private static long count(JsonNode v) {
        if (v == null) {
            return 0;
        }
        if (v.isIntegralNumber() && v.asLong() >= 0) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
            return Long.parseLong(v.asText());
        }
        return -1;
    }
}
