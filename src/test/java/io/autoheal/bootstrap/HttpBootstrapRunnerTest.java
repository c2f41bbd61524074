package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.bootstrap.TestBootstrapper.Job;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP runner against a real loopback server of the seed's contract. */
class HttpBootstrapRunnerTest {
    static final String HOST = "10.0.1.17";
    static final BootstrapRequest REQUEST = new BootstrapRequest("i-0abc", HOST, List.of("voip", "monitoring"), "staging",
            Map.of(), 1);
    TestBootstrapper server;

    @BeforeEach
    void start() throws IOException {
        server = TestBootstrapper.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpBootstrapRunner runner(Credentials credentials) {
        return runner(credentials, Duration.ofSeconds(5));
    }

    HttpBootstrapRunner runner(Credentials credentials, Duration requestTimeout) {
        return new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(server.url()), server.statusUrl(), credentials, Duration.ofSeconds(2),
                requestTimeout, Optional.empty()), BootstrapFixtures.ANY_HOST);
    }

    @Test
    void triggerPostsTheSeedsFormFieldsWithABearerToken() {
        TriggerResult result = runner(new Credentials.Bearer("s3cret-token")).trigger(REQUEST);

        assertThat(result.ok()).isTrue();
        assertThat(server.posts()).singleElement().satisfies(p -> {
            assertThat(p.host()).isEqualTo("10.0.1.17");
            assertThat(p.role()).isEqualTo("voip,monitoring");
            assertThat(p.env()).isEqualTo("staging");
            assertThat(p.extraVars()).as("no extra_vars when there are none").isNull();
            assertThat(p.contentType()).isEqualTo("application/x-www-form-urlencoded");
            assertThat(p.authorization()).isEqualTo("Bearer s3cret-token");
            assertThat(result.jobId()).isEqualTo(p.jobId());
        });
    }

    @Test
    void basicAuthAndExtraVarsAsJson() {
        BootstrapRequest withVars = new BootstrapRequest("i-0abc", "10.0.1.17", List.of("voip"), "prod",
                Map.of("release", "2026.11", "debug", true), 1);
        runner(new Credentials.Basic("ops", "p@ss:word")).trigger(withVars);

        TestBootstrapper.Post p = server.posts().get(0);
        String expected = "Basic " + Base64.getEncoder().encodeToString("ops:p@ss:word".getBytes(StandardCharsets.UTF_8));
        assertThat(p.authorization()).isEqualTo(expected);
        assertThat(p.extraVars()).contains("\"release\":\"2026.11\"").contains("\"debug\":true");
    }

    @Test
    void noCredentialsSendNoAuthorizationHeader() {
        runner(Credentials.none()).trigger(REQUEST);
        assertThat(server.posts().get(0).authorization()).isNull();
    }

    @Test
    void credentialsNeverShowInToString() {
        assertThat(new Credentials.Bearer("s3cret-token").toString()).doesNotContain("s3cret");
        assertThat(new Credentials.Basic("ops", "hunter2").toString()).doesNotContain("hunter2");
        HttpBootstrapConfig config = new HttpBootstrapConfig(URI.create(server.url()), server.statusUrl(), new Credentials.Bearer("s3cret-token"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty());
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "trigger answer {0} -> job {1}")
    @CsvSource(delimiter = '|', value = {
            "  job-7 \\n     | job-7",
            "'{\"id\": \"abc-1\"}' | abc-1",
            "'{\"job_id\": \"e3b0c442\"}' | e3b0c442",
            "'{\"id\": 1234, \"status\": \"pending\"}' | 1234",
            "'\"quoted-id\"' | quoted-id"})
    void jobIdsAsPlainTextOrJson(String body, String jobId) {
        server.onTrigger(Answer.of(200, body.replace("\\n", "\n")));
        assertThat(runner(Credentials.none()).trigger(REQUEST)).isEqualTo(TriggerResult.started(jobId));
    }

    /** A refusal (non-2xx) started no job; a 2xx that names no job may have started one: its answer is lost. */
    @ParameterizedTest(name = "trigger answer {0} {1} -> {2}, {3}")
    @CsvSource(delimiter = '|', value = {
            "500 | boom                         | HttpStatus  | NOT_STARTED",
            "503 | '<html>Service Unavailable'  | HttpStatus  | NOT_STARTED",
            "401 | ''                           | HttpStatus  | NOT_STARTED",
            "404 | 'Not Found'                  | HttpStatus  | NOT_STARTED",
            "200 | ''                           | EmptyBody   | SENT_ANSWER_LOST",
            "200 | '   '                        | EmptyBody   | SENT_ANSWER_LOST",
            "200 | '{\"id\": '                  | Unparseable | SENT_ANSWER_LOST",
            "200 | '{\"name\": \"x\"}'          | Unparseable | SENT_ANSWER_LOST",
            "200 | '<html><body>oops</body>'    | Unparseable | SENT_ANSWER_LOST",
            "201 | '<!DOCTYPE html>\\n<html><head><title>Sign in</title></head></html>' | Unparseable | SENT_ANSWER_LOST",
            "200 | 'line one\\nline two'        | Unparseable | SENT_ANSWER_LOST"})
    void badTriggerAnswersAreFailuresNotExceptions(int code, String body, BootstrapFailure failure, TriggerResult.Kind kind) {
        server.onTrigger(Answer.of(code, body.replace("\\n", "\n")));
        TriggerResult result = runner(Credentials.none()).trigger(REQUEST);
        assertThat(result.ok()).isFalse();
        assertThat(result.kind()).isEqualTo(kind);
        assertThat(result.jobId()).isNull();
        assertThat(result.failure()).isEqualTo(failure);
        assertThat(result.message()).isNotBlank();
    }

    @Test
    void aJobIdLongerThan200CharactersIsRejected() {
        server.onTrigger(Answer.of(200, "x".repeat(201)));
        assertThat(runner(Credentials.none()).trigger(REQUEST).failure()).isEqualTo(BootstrapFailure.Unparseable);
        server.onTrigger(Answer.of(200, "x".repeat(200)));
        assertThat(runner(Credentials.none()).trigger(REQUEST).ok()).isTrue();
    }

    @Test
    void theSeedsJobGoesInQueueThenWaitingThenFinished() {
        server.script("10.0.1.17", Job.succeeds());
        HttpBootstrapRunner runner = runner(new Credentials.Bearer("t0ken"));
        String job = runner.trigger(REQUEST).jobId();

        assertThat(runner.status(job, HOST)).isEqualTo(JobStatus.of(BootstrapPhase.Queued));
        assertThat(runner.status(job, HOST)).isEqualTo(JobStatus.of(BootstrapPhase.Running));
        assertThat(runner.status(job, HOST)).isEqualTo(JobStatus.of(BootstrapPhase.Succeeded));
        assertThat(server.statusRequests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.jobId()).isEqualTo(job);
            assertThat(r.authorization()).isEqualTo("Bearer t0ken");
        });
    }

    @Test
    void theSeedsFailedJob() {
        server.script("10.0.1.17", Job.of(Answer.failed()));
        HttpBootstrapRunner runner = runner(Credentials.none());
        JobStatus status = runner.status(runner.trigger(REQUEST).jobId(), HOST);
        assertThat(status.phase()).isEqualTo(BootstrapPhase.Failed);
        assertThat(status.failure()).isEqualTo(BootstrapFailure.JobFailed);
    }

    @ParameterizedTest(name = "AWX {0} -> {1}")
    @CsvSource({"pending, Queued", "new, Queued", "waiting, Running", "running, Running", "successful, Succeeded",
            "failed, Failed", "error, Failed", "canceled, Failed"})
    void awxStates(String state, BootstrapPhase phase) {
        server.script("10.0.1.17", Job.of(Answer.awx(state)));
        HttpBootstrapRunner runner = runner(Credentials.none());
        assertThat(runner.status(runner.trigger(REQUEST).jobId(), HOST).phase()).isEqualTo(phase);
    }

    @ParameterizedTest(name = "status answer {0} {1} -> phase {2}, failure {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "200 | '{\"status\": \"in-queue\"}'    | Queued    | null",
            "200 | '{\"status\": \"STARTED\"}'     | Running   | null",
            "200 | '{\"status\": \"finished\"}'    | Succeeded | null",
            "200 | '{\"status\": \"cancelled\"}'   | Failed    | JobFailed",
            "200 | '{\"ok\": 3, \"failures\": 0}' | Succeeded | null",
            "200 | '{\"{host}\": {\"ok\": 5, \"changed\": 3, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}}' | Succeeded | null",
            "200 | '{\"{host}\": {\"ok\": 4, \"changed\": 2, \"unreachable\": 0, \"failures\": 1, \"skipped\": 3}}' | Failed | JobFailed",
            "200 | '{\"{host}\": {\"ok\": 0, \"changed\": 0, \"unreachable\": 1, \"failures\": 0, \"skipped\": 0}}' | Failed | JobFailed",
            "200 | '{\"10.9.9.9\": {\"ok\": 1, \"changed\": 0, \"unreachable\": 0, \"failures\": 2, \"skipped\": 0}}' | Failed | JobFailed",
            "200 | '{}'                            | Failed    | JobFailed",
            "200 | 'PLAY RECAP ok=3 failed=0'      | null      | Unparseable",
            "200 | '<html><body>Please sign in</body></html>' | null | Unparseable",
            "200 | '[1, 2]'                        | null      | Unparseable",
            "200 | '{\"error\": \"x\"}'               | null      | Unparseable",
            "200 | '{\"status\": \"paused\"}'      | null      | Unparseable",
            "200 | '{\"status\": 3}'               | null      | Unparseable",
            "200 | '{\"status\": \"runn'           | null      | Unparseable",
            "200 | ''                              | null      | EmptyBody",
            "500 | 'Internal Server Error'         | null      | HttpStatus",
            "503 | ''                              | null      | HttpStatus",
            "404 | 'no such job'                   | Failed    | JobFailed"})
    void statusAnswers(int code, String body, BootstrapPhase phase, BootstrapFailure failure) {
        server.script("10.0.1.17", Job.of(Answer.of(code, body)));
        HttpBootstrapRunner runner = runner(Credentials.none());
        JobStatus status = runner.status(runner.trigger(REQUEST).jobId(), HOST);
        assertThat(status.phase()).isEqualTo(phase);
        assertThat(status.failure()).isEqualTo(failure);
    }

    @Test
    void anUnknownJobIs404AndFails() {
        JobStatus status = runner(Credentials.none()).status("never-triggered", HOST);
        assertThat(status.phase()).isEqualTo(BootstrapPhase.Failed);
        assertThat(status.message()).contains("404");
    }

    @Test
    void theJobIdIsUrlEncodedIntoTheStatusUrl() {
        runner(Credentials.none()).status("a b/c?d", HOST);
        assertThat(server.statusRequests()).singleElement().extracting(TestBootstrapper.StatusRequest::jobId).isEqualTo("a b/c?d");
    }

    @Test
    void aTriggerWhoseBodyWentOutButWhoseAnswerTimedOutMayHaveStartedAJob() {
        // The server reads the whole POST (and so could have queued the job), then stalls past the request timeout.
        server.onTrigger(Answer.of(200, "{id}").after(Duration.ofSeconds(3)));
        HttpBootstrapRunner runner = runner(Credentials.none(), Duration.ofMillis(300));
        long start = System.nanoTime();
        TriggerResult result = runner.trigger(REQUEST);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.posts()).as("the bootstrapper has the request").hasSize(1);
        assertThat(result.kind()).isEqualTo(TriggerResult.Kind.SENT_ANSWER_LOST);
        assertThat(result.failure()).isEqualTo(BootstrapFailure.Timeout);
        assertThat(result.jobId()).isNull();
        assertThat(result.message()).contains("timed out after the request was sent");
    }

    @Test
    void aSlowStatusAnswerIsATimeout() {
        server.script(HOST, Job.of(Answer.waiting().after(Duration.ofSeconds(3))));
        String job = runner(Credentials.none()).trigger(REQUEST).jobId();
        JobStatus status = runner(Credentials.none(), Duration.ofMillis(300)).status(job, HOST);
        assertThat(status.known()).isFalse();
        assertThat(status.failure()).isEqualTo(BootstrapFailure.Timeout);
    }

    @Test
    void aConnectionClosedAfterTheBodyWasReadLosesTheAnswer() throws IOException {
        try (RawServer raw = RawServer.start(RawServer.Then.CLOSE)) {
            TriggerResult result = rawRunner("http", raw.port()).trigger(REQUEST);
            assertThat(raw.body()).as("the request body arrived").contains("host=10.0.1.17");
            assertThat(result.kind()).isEqualTo(TriggerResult.Kind.SENT_ANSWER_LOST);
            assertThat(result.failure()).isEqualTo(BootstrapFailure.Unreachable);
        }
    }

    @Test
    void aRequestStuckBeforeItsBodyWentOutStartedNoJob() throws IOException {
        // TLS to a server that accepts the connection and never answers the handshake: the body never leaves.
        try (RawServer raw = RawServer.start(RawServer.Then.SILENCE)) {
            TriggerResult result = rawRunner("https", raw.port()).trigger(REQUEST);
            assertThat(result.kind()).isEqualTo(TriggerResult.Kind.NOT_STARTED);
            assertThat(result.failure()).isEqualTo(BootstrapFailure.Timeout);
            assertThat(raw.body()).isNull();
        }
    }

    HttpBootstrapRunner rawRunner(String scheme, int port) {
        String base = scheme + "://127.0.0.1:" + port;
        return new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"), base + "/ansible/results/{jobId}",
                Credentials.none(), Duration.ofSeconds(2), Duration.ofMillis(500), Optional.empty()), BootstrapFixtures.ANY_HOST);
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpBootstrapRunner runner = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create("http://127.0.0.1:" + port + "/ansible/role/"),
                "http://127.0.0.1:" + port + "/ansible/results/{jobId}", new Credentials.Bearer("s3cret"), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Optional.empty()), BootstrapFixtures.ANY_HOST);
        TriggerResult trigger = runner.trigger(REQUEST);
        assertThat(trigger.failure()).isEqualTo(BootstrapFailure.ConnectionRefused);
        assertThat(trigger.kind()).as("nothing was sent: no job, no attempt").isEqualTo(TriggerResult.Kind.NOT_STARTED);
        assertThat(trigger.message()).doesNotContain("s3cret");
        assertThat(runner.status("job-1", HOST).failure()).isEqualTo(BootstrapFailure.ConnectionRefused);
    }

    @Test
    void anInterruptedCallIsAFailureAndKeepsTheInterruptFlag() {
        server.onTrigger(Answer.of(200, "{id}").after(Duration.ofSeconds(3)));
        Thread.currentThread().interrupt();
        try {
            TriggerResult result = runner(Credentials.none()).trigger(REQUEST);
            assertThat(result.ok()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    /** Every trigger names its attempt: {@code <instance id>:<attempt>}, as a form field and a header. */
    @Test
    void aTriggerCarriesTheIdempotencyKeyOfItsAttempt() {
        HttpBootstrapRunner runner = runner(Credentials.none());
        runner.trigger(REQUEST);
        runner.trigger(REQUEST); // the same attempt sent again
        runner.trigger(new BootstrapRequest("i-0abc", HOST, List.of("voip"), "staging", Map.of(), 2));
        assertThat(server.posts()).extracting(TestBootstrapper.Post::idempotencyKey).containsExactly("i-0abc:1", "i-0abc:1", "i-0abc:2");
        assertThat(server.posts()).extracting(TestBootstrapper.Post::idempotencyHeader).containsExactly("i-0abc:1", "i-0abc:1", "i-0abc:2");
    }

    /** A bootstrapper that honours the key answers the same job for the same attempt: a lost answer sent again starts nothing new. */
    @Test
    void aLostAnswerSentAgainWithTheSameKeyNamesTheSameJob() {
        server.idempotent().onTrigger(Answer.drop());
        HttpBootstrapRunner runner = runner(Credentials.none());
        TriggerResult lost = runner.trigger(REQUEST);
        assertThat(lost.kind()).isEqualTo(TriggerResult.Kind.SENT_ANSWER_LOST);
        TriggerResult again = runner.trigger(REQUEST);
        assertThat(again.ok()).isTrue();
        assertThat(server.jobsStarted()).isEqualTo(1);
        assertThat(server.posts()).extracting(TestBootstrapper.Post::jobId).containsExactly(again.jobId(), again.jobId());
    }

    /** Up to 64 KiB is an answer; one byte more is not read, whatever it is. */
    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({"65536, true", "65537, false"})
    void answersAreReadUpTo64KiB(int size, boolean read) {
        String recap = "{\"{host}\": {\"ok\": 1, \"changed\": 0, \"unreachable\": 0, \"failures\": 0, \"skipped\": 0}}";
        String body = recap + " ".repeat(size - recap.replace("{host}", HOST).length());
        server.script(HOST, Job.of(Answer.of(200, body)));
        HttpBootstrapRunner runner = runner(Credentials.none());
        JobStatus status = runner.status(runner.trigger(REQUEST).jobId(), HOST);
        if (read) {
            assertThat(status).isEqualTo(JobStatus.of(BootstrapPhase.Succeeded));
        } else {
            assertThat(status.known()).isFalse();
            assertThat(status.failure()).isEqualTo(BootstrapFailure.AnswerTooLarge);
            assertThat(status.message()).contains("64 KiB");
        }
    }

    /** An endless body: reading stops at the limit, the connection is dropped, the call returns at once. */
    @Test
    void anEndlessAnswerIsCutAt64KiB() {
        server.script(HOST, Job.of(Answer.endless()));
        HttpBootstrapRunner runner = runner(Credentials.none(), Duration.ofSeconds(30));
        String job = runner.trigger(REQUEST).jobId();
        long start = System.nanoTime();
        JobStatus status = runner.status(job, HOST);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(status.failure()).isEqualTo(BootstrapFailure.AnswerTooLarge);
        long written = server.endlessBytesWritten();
        sleep(500);
        assertThat(server.endlessBytesWritten()).as("the server stops writing: the connection was dropped")
                .isLessThan(written + 2 * 1024 * 1024);

        server.onTrigger(Answer.endless());
        TriggerResult trigger = runner.trigger(new BootstrapRequest("i-0abc", HOST, List.of("voip"), "staging", Map.of(), 2));
        assertThat(trigger.kind()).as("sent, answer unusable").isEqualTo(TriggerResult.Kind.SENT_ANSWER_LOST);
        assertThat(trigger.failure()).isEqualTo(BootstrapFailure.AnswerTooLarge);
    }

    /** A body that drips (headers, then a byte now and then) ends at the request timeout, not never. */
    @Test
    void aDrippingAnswerEndsAtTheRequestTimeout() throws IOException {
        try (RawServer raw = RawServer.start(RawServer.Then.DRIP)) {
            long start = System.nanoTime();
            JobStatus status = rawRunner("http", raw.port()).status("job-1", HOST);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(status.failure()).isEqualTo(BootstrapFailure.Timeout);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
