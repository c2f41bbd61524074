package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Status and trigger bodies as the seed's bootstrapper writes them: {@code json.dumps} of {@code {"status": ...}}
 * or of the finished job's return value, the playbook's per-host recap (Ansible 1's {@code stats.summarize}: ok,
 * changed, unreachable, failures, skipped; Ansible 2 adds rescued, ignored), and what a proxy in front of it
 * answers instead. The machine's host is 10.0.1.17.
 */
class SeedAnswersTest {
    static final String HOST = "10.0.1.17";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // the seed's own status words
            "'{\"status\": \"in-queue\"}' | Queued | null",
            "'{\"status\": \"waiting\"}'  | Running | null",
            "'{\"status\": \"failed\"}'   | Failed | JobFailed",
            // the finished job: Ansible 1's recap of the machine
            "'{\"10.0.1.17\": {\"unreachable\": 0, \"skipped\": 0, \"ok\": 7, \"changed\": 4, \"failures\": 0}}' | Succeeded | null",
            "'{\"10.0.1.17\": {\"unreachable\": 0, \"skipped\": 2, \"ok\": 5, \"changed\": 3, \"failures\": 1}}' | Failed | JobFailed",
            "'{\"10.0.1.17\": {\"unreachable\": 1, \"skipped\": 0, \"ok\": 0, \"changed\": 0, \"failures\": 0}}' | Failed | JobFailed",
            // Ansible 2's recap (rescued, ignored): a rescued or ignored failure is not a failure
            "'{\"10.0.1.17\": {\"ok\": 9, \"changed\": 2, \"unreachable\": 0, \"failures\": 0, \"skipped\": 1, \"rescued\": 1, \"ignored\": 2}}' | Succeeded | null",
            "'{\"10.0.1.17\": {\"ok\": 3, \"changed\": 0, \"unreachable\": 0, \"failures\": 2, \"skipped\": 0, \"rescued\": 0, \"ignored\": 0}}' | Failed | JobFailed",
            // the machine is a key: only its line counts
            "'{\"10.0.1.17\": {\"ok\": 7, \"changed\": 4, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}, \"10.0.1.99\": {\"ok\": 1, \"changed\": 0, \"unreachable\": 1, \"failures\": 0, \"skipped\": 0}}' | Succeeded | null",
            // the machine is not a key (an inventory name instead of the IP): any bad host fails the job
            "'{\"web-17.internal\": {\"ok\": 7, \"changed\": 4, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}}' | Succeeded | null",
            "'{\"web-17.internal\": {\"ok\": 7, \"changed\": 4, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}, \"db-1\": {\"ok\": 1, \"changed\": 0, \"unreachable\": 0, \"failures\": 1, \"skipped\": 0}}' | Failed | JobFailed",
            // counts written as strings still count
            "'{\"10.0.1.17\": {\"ok\": \"3\", \"changed\": \"0\", \"unreachable\": \"0\", \"failures\": \"1\", \"skipped\": \"0\"}}' | Failed | JobFailed",
            // one host's counts without the host, and the json stdout callback's {plays, stats}
            "'{\"ok\": 3, \"changed\": 1, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}' | Succeeded | null",
            "'{\"ok\": 3, \"changed\": 1, \"unreachable\": 0, \"failures\": 4, \"skipped\": 0}' | Failed | JobFailed",
            "'{\"plays\": [{\"play\": {\"name\": \"voip\"}, \"tasks\": []}], \"stats\": {\"10.0.1.17\": {\"ok\": 2, \"changed\": 0, \"unreachable\": 0, \"failures\": 1, \"skipped\": 0}}}' | Failed | JobFailed",
            "'{\"plays\": [], \"stats\": {\"10.0.1.17\": {\"ok\": 2, \"changed\": 0, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}}}' | Succeeded | null",
            // the play matched no host (the machine is not in the bootstrapper's inventory): nothing ran on it
            "'{}' | Failed | JobFailed",
            // a bare status word as a JSON string
            "'\"done\"'                              | Succeeded | null",
            "'\"running\"'                           | Running | null",
            // JSON that is neither a recap nor a status word: unreadable, neither success nor failure
            "' null '                               | null | Unparseable",
            "'\"whatever\"'                          | null | Unparseable",
            "'[1, 2]'                                | null | Unparseable",
            "'{\"result\": \"configured\", \"roles\": [\"voip\"]}' | null | Unparseable",
            "'{\"error\": \"x\"}'                     | null | Unparseable",
            "'{\"jobId\": \"j-1\"}'                   | null | Unparseable",
            // not JSON: a proxy's page, plain text, a truncated answer — never success
            "'<html><head><title>Sign in</title></head><body><form action=\"/login\"></form></body></html>' | null | Unparseable",
            "'<!DOCTYPE html>\\n<html lang=\"en\"><body><h1>502 Bad Gateway</h1></body></html>' | null | Unparseable",
            "'<?xml version=\"1.0\"?><error>denied</error>' | null | Unparseable",
            "'PLAY RECAP *** 10.0.1.17 : ok=3 changed=1 unreachable=0 failed=0' | null | Unparseable",
            "'{\"10.0.1.17\": {\"ok\": 3, \"failu'   | null | Unparseable",
            "'{\"status\": \"runn'                   | null | Unparseable",
            "'3 jobs finished'                       | null | Unparseable",
            "'{\"status\": \"waiting\"} trailing'    | null | Unparseable",
            // a status word we do not know
            "'{\"status\": \"paused\"}'              | null | Unparseable",
            "''                                      | null | EmptyBody"})
    void statusBodies(String body, BootstrapPhase phase, BootstrapFailure failure) {
        JobStatus status = SeedAnswers.status(body.replace("\\n", "\n"), HOST);
        assertThat(status.phase()).isEqualTo(phase);
        assertThat(status.failure()).isEqualTo(failure);
        if (phase == BootstrapPhase.Failed || phase == null) {
            assertThat(status.message()).isNotBlank().doesNotContain("\n");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"10.0.1.17\": {\"unreachable\": 0, \"skipped\": 2, \"ok\": 5, \"changed\": 3, \"failures\": 1}}' | the playbook failed on 10.0.1.17: failures=1, unreachable=0",
            "'{\"db-1\": {\"ok\": 1, \"changed\": 0, \"unreachable\": 1, \"failures\": 0, \"skipped\": 0}}' | the playbook failed (1 of 1 hosts): db-1: failures=0, unreachable=1",
            "'{\"a\": {\"failures\": 1}, \"b\": {\"failures\": 2}, \"c\": {\"unreachable\": 1}, \"d\": {\"failures\": 1}, \"e\": {\"failures\": 0}}' | the playbook failed (4 of 5 hosts): a: failures=1, unreachable=0; b: failures=2, unreachable=0; c: failures=0, unreachable=1; and 1 more",
            "'{}' | the playbook ran on no host"})
    void aFailedRecapSaysWhere(String body, String message) {
        assertThat(SeedAnswers.status(body, HOST).message()).startsWith(message);
    }

    @ParameterizedTest(name = "trigger answer {0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // rq's job id, as the seed's Flask route returns it (a str, sent as text/html)
            "'6f1c2a9e-3b4d-4e8f-9a7b-1c2d3e4f5a6b' | STARTED | null",
            "'6f1c2a9e-3b4d-4e8f-9a7b-1c2d3e4f5a6b\\n' | STARTED | null",
            "'{\"id\": 42, \"status\": \"pending\"}' | STARTED | null",
            // a 2xx that names no job: the request was answered, so a job may exist
            "''                                   | SENT_ANSWER_LOST | EmptyBody",
            "'<html><body>Please sign in</body></html>' | SENT_ANSWER_LOST | Unparseable",
            "'{\"detail\": \"accepted\"}'         | SENT_ANSWER_LOST | Unparseable"})
    void triggerBodies(String body, TriggerResult.Kind kind, BootstrapFailure failure) {
        TriggerResult result = SeedAnswers.jobId(body.replace("\\n", "\n"));
        assertThat(result.kind()).isEqualTo(kind);
        assertThat(result.failure()).isEqualTo(failure);
        assertThat(result.ok()).isEqualTo(kind == TriggerResult.Kind.STARTED);
    }

    /** What a status message or Event may carry of an answer: a short line of its text, no markup, nothing unprintable. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'<html><head><title>Sign in</title></head><body><form action=\"/login\"><input name=\"password\"></form></body></html>' | Sign in",
            "'<script>alert(1)</script>oops' | alert(1) oops",
            "'line one\nline two\r\n\tthree' | line one line two three",
            "'\u001b[31mred\u001b[0m' | [31mred [0m",
            "'abc\u202edcba' | abc dcba",
            "'<div>unterminated <a href=\"http://x' | unterminated",
            "'<br/><hr>' | (no text)"})
    void excerptsAreShortPrintableText(String raw, String excerpt) {
        assertThat(SeedAnswers.excerpt(raw)).isEqualTo(excerpt); // the escapes above are Java's: real control characters
    }

    @Test
    void excerptsAreCappedInCodePoints() {
        String long_ = "\uD83D\uDE00".repeat(100); // 100 emoji, each two chars
        String excerpt = SeedAnswers.excerpt(long_);
        assertThat(excerpt.codePointCount(0, excerpt.length())).isEqualTo(SeedAnswers.MAX_EXCERPT);
        assertThat(excerpt).endsWith("...").doesNotContain("\uFFFD");
        assertThat(Character.isHighSurrogate(excerpt.charAt(excerpt.length() - 4))).isFalse();
        assertThat(SeedAnswers.status("<html>" + "x".repeat(5000) + "</html>", HOST).message()).hasSizeLessThan(120);
    }
}
