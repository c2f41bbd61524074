package io.autoheal.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The seed's bootstrapper on loopback, for tests: POST /ansible/role/ (form host, role, env, extra_vars) answers
 * a job id as plain text; GET /ansible/results/{id} answers the job's scripted status answers one per request
 * (the last one repeats). By default a job is in-queue, then waiting, then finished (the seed answers the
 * job's result: Ansible's per-host play recap). Like the seed's Flask routes, which return strings, every answer
 * is sent as {@code text/html; charset=utf-8}, JSON included. Scripts choose per host what each successive job does, and what the next triggers answer
 * (errors, garbage, JSON ids). Records every POST with its Authorization header, and every status request.
 *
 * <pre>
 * try (TestBootstrapper b = TestBootstrapper.start()) {
 *     b.script("10.0.0.5", Job.fails(), Job.fails(), Job.succeeds());
 *     ... b.url(), b.statusUrl() ...
 *     assertThat(b.postsFor("10.0.0.5")).isEqualTo(3);
 * }
 * </pre>
 * Hosts unknown in advance: {@code b.scriptEveryHost(Job.fails(), Job.succeeds())} (each host's first job fails),
 * or {@code b.script(post -> Job.fails())} (every job fails).
 */
public final class TestBootstrapper implements AutoCloseable {
    public static final String TRIGGER_PATH = "/ansible/role/";
    public static final String RESULTS_PATH = "/ansible/results/";
    private static final String ENDLESS = "\u0000endless";
    private static final String DROP = "\u0000drop";

    /**
     * One HTTP answer: status code, body ({id} is replaced by the job id, {host} by the host its trigger posted),
     * and an optional delay before it.
     */
    public record Answer(int code, String body, Duration delay) {
        public static Answer of(int code, String body) {
            return new Answer(code, body, Duration.ZERO);
        }

        /** The seed's answers. */
        public static Answer inQueue() {
            return of(200, "{\"status\": \"in-queue\"}");
        }

        public static Answer waiting() {
            return of(200, "{\"status\": \"waiting\"}");
        }

        public static Answer failed() {
            return of(200, "{\"status\": \"failed\"}");
        }

        /** What the seed answers when the job is finished: its result, Ansible's play recap of the host. */
        public static Answer finished() {
            return of(200, "{\"{host}\": {\"unreachable\": 0, \"skipped\": 0, \"ok\": 2, \"changed\": 1, \"failures\": 0}}");
        }

        /** The seed's answer for a finished job whose playbook failed a task on the host. */
        public static Answer playbookFailed() {
            return of(200, "{\"{host}\": {\"unreachable\": 0, \"skipped\": 3, \"ok\": 4, \"changed\": 2, \"failures\": 1}}");
        }

        /** An AWX-style job detail: pending, waiting, running, successful, failed, error, canceled. */
        public static Answer awx(String status) {
            return of(200, "{\"id\": 42, \"type\": \"job\", \"status\": \"" + status + "\", \"failed\": " + status.equals("failed") + "}");
        }

        /** 200, then a body that never ends (chunked, 8 KiB at a time) until the client drops the connection. */
        public static Answer endless() {
            return of(200, ENDLESS);
        }

        /** Reads the request, then closes the connection without a word: the answer is lost. */
        public static Answer drop() {
            return of(200, DROP);
        }

        public Answer after(Duration delay) {
            return new Answer(code, body, delay);
        }
    }

    /** What one job answers on successive status requests (the last answer repeats). */
    public record Job(List<Answer> answers) {
        public static Job of(Answer... answers) {
            return new Job(List.of(answers));
        }

        public static Job succeeds() {
            return of(Answer.inQueue(), Answer.waiting(), Answer.finished());
        }

        public static Job fails() {
            return of(Answer.inQueue(), Answer.waiting(), Answer.failed());
        }

        /** The job runs to its end, but the playbook failed on the host (the seed answers a recap with failures). */
        public static Job playbookFails() {
            return of(Answer.inQueue(), Answer.waiting(), Answer.playbookFailed());
        }
    }

    /** One POST as received. */
    public record Post(String host, String role, String env, String extraVars, String authorization, String contentType, String jobId,
                       String idempotencyKey, String idempotencyHeader) {
    }

    /** One status request as received. */
    public record StatusRequest(String jobId, String authorization) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String scheme;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final List<StatusRequest> statusRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> jobHosts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final Map<String, List<Job>> hostScripts = new ConcurrentHashMap<>();
    private volatile List<Job> everyHostScript = List.of();
    private final Map<String, AtomicInteger> hostPosts = new ConcurrentHashMap<>();
    private final List<Answer> triggerAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Function<Post, Job> defaultScript = p -> Job.succeeds();
    private volatile boolean idempotent;
    /** When set, every job answers "waiting" until this long after its trigger, then finished (a bootstrap of a known length). */
    private volatile Duration jobLength;
    private final Map<String, java.time.Instant> triggeredAt = new ConcurrentHashMap<>();
    private final Map<String, String> jobsByKey = new ConcurrentHashMap<>();
    /** Bytes of endless bodies written so far. */
    private final AtomicLong endlessBytes = new AtomicLong();

    private TestBootstrapper(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.setExecutor(executor); // many at once: a slow answer must not hold the others
        server.createContext(TRIGGER_PATH, this::trigger);
        server.createContext(RESULTS_PATH, this::result);
        server.start();
    }

    /** Plain HTTP on 127.0.0.1, a free port. */
    public static TestBootstrapper start() throws IOException {
        return new TestBootstrapper(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    /** HTTPS on 127.0.0.1 with the server certificate of {@code tls}. */
    public static TestBootstrapper startHttps(SSLContext tls) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new TestBootstrapper(https, "https");
    }

    /** The n-th job triggered for {@code host} behaves like {@code jobs[n]}; the last one repeats. */
    public TestBootstrapper script(String host, Job... jobs) {
        hostScripts.put(host, List.of(jobs));
        return this;
    }

    /**
     * Like {@link #script(String, Job...)} for every host without its own script, each host counted apart: for
     * machines whose addresses a test does not know in advance.
     */
    public TestBootstrapper scriptEveryHost(Job... jobs) {
        this.everyHostScript = List.of(jobs);
        return this;
    }

    /** How jobs of hosts without a script (and with no {@link #scriptEveryHost}) behave, chosen from their POST. */
    public TestBootstrapper script(Function<Post, Job> script) {
        this.defaultScript = script;
        return this;
    }

    /** The next triggers answer these, in order, instead of a plain-text job id ({id} in a body is the new id). */
    public TestBootstrapper onTrigger(Answer... answers) {
        triggerAnswers.addAll(Arrays.asList(answers));
        return this;
    }

    /** Every job runs this long (wall clock, from its trigger), answering "waiting", then finishes: a slow playbook. */
    public TestBootstrapper takes(Duration length) {
        this.jobLength = length;
        return this;
    }

    /** A trigger whose idempotency key was seen before answers that key's job again instead of starting another. */
    public TestBootstrapper idempotent() {
        this.idempotent = true;
        return this;
    }

    /** Jobs started (triggers answered with a new job), as opposed to POSTs received. */
    public int jobsStarted() {
        return ids.get();
    }

    public long endlessBytesWritten() {
        return endlessBytes.get();
    }

    public URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public String url() {
        return uri() + TRIGGER_PATH;
    }

    public String statusUrl() {
        return uri() + RESULTS_PATH + "{jobId}";
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    public long postsFor(String host) {
        return posts.stream().filter(p -> host.equals(p.host())).count();
    }

    /** From now on the job (already triggered) answers like {@code job}, from its first answer: a test ends a long job. */
    public void answer(String jobId, Job job) {
        jobs.put(jobId, job);
        polls.remove(jobId);
    }

    public List<StatusRequest> statusRequests() {
        return List.copyOf(statusRequests);
    }

    private void trigger(HttpExchange ex) throws IOException {
        Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String key = form.get("idempotency_key");
        String known = idempotent && key != null ? jobsByKey.get(key) : null;
        String id = known != null ? known : "job-" + ids.incrementAndGet();
        Post post = new Post(form.get("host"), form.get("role"), form.get("env"), form.get("extra_vars"),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), id, key,
                ex.getRequestHeaders().getFirst("Idempotency-Key"));
        posts.add(post);
        Answer answer = triggerAnswers.isEmpty() ? Answer.of(200, id) : triggerAnswers.remove(0);
        if (known == null) {
            jobs.put(id, jobFor(post));
            if (key != null) {
                jobsByKey.put(key, id);
            }
        }
        if (post.host() != null) {
            jobHosts.put(id, post.host());
        }
        triggeredAt.putIfAbsent(id, java.time.Instant.now());
        send(ex, answer, id, post.host());
    }

    private Job jobFor(Post post) {
        List<Job> script = post.host() == null ? null : hostScripts.getOrDefault(post.host(), everyHostScript);
        if (script == null || script.isEmpty()) {
            return defaultScript.apply(post);
        }
        int n = hostPosts.computeIfAbsent(post.host(), h -> new AtomicInteger()).getAndIncrement();
        return script.get(Math.min(n, script.size() - 1));
    }

    private void result(HttpExchange ex) throws IOException {
        String id = URLDecoder.decode(ex.getRequestURI().getRawPath().substring(RESULTS_PATH.length()), StandardCharsets.UTF_8);
        statusRequests.add(new StatusRequest(id, ex.getRequestHeaders().getFirst("Authorization")));
        Job job = jobs.get(id);
        if (job == null) {
            send(ex, Answer.of(404, "no such job"), id, null); // what a Flask route answers for an unknown key
            return;
        }
        int n = polls.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
        Duration length = jobLength;
        if (length != null) {
            boolean running = java.time.Instant.now().isBefore(triggeredAt.get(id).plus(length));
            send(ex, running ? Answer.waiting() : Answer.finished(), id, jobHosts.get(id));
            return;
        }
        send(ex, job.answers().get(Math.min(n, job.answers().size() - 1)), id, jobHosts.get(id));
    }

    private void send(HttpExchange ex, Answer answer, String id, String host) throws IOException {
        try {
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
            if (DROP.equals(answer.body())) {
                return; // closed below without a status line: the answer is lost
            }
            if (ENDLESS.equals(answer.body())) {
                ex.sendResponseHeaders(200, 0); // chunked
                byte[] chunk = "{\"status\": \"waiting\", \"pad\": \"".concat("x".repeat(8 * 1024)).getBytes(StandardCharsets.UTF_8);
                while (true) {
                    ex.getResponseBody().write(chunk); // until the client drops the connection: an IOException ends it
                    endlessBytes.addAndGet(chunk.length);
                }
            }
            byte[] bytes = answer.body().replace("{id}", id).replace("{host}", host == null ? "" : host).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8"); // what Flask sends for a str
            ex.sendResponseHeaders(answer.code(), bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
