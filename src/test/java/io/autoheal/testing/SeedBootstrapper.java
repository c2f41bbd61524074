package io.autoheal.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The seed's bootstrapper contract on loopback: POST /ansible/role/ (form host, role, env) answers a job id;
 * GET /ansible/results/{id} answers {"status":"in-queue"} once, then the job's scripted outcome: "finished"
 * (a result body, as the seed returns when done) or {"status":"failed"}. Records every POST.
 */
public final class SeedBootstrapper implements AutoCloseable {
    /** What a job ends as. */
    public enum Outcome { SUCCEED, FAIL }

    /** One POST as received. */
    public record Post(String host, String role, String env, String extraVars, String authorization) {
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<String>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Function<Post, Outcome> script = p -> Outcome.SUCCEED;

    public SeedBootstrapper() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ansible/role/", this::trigger);
        server.createContext("/ansible/results/", this::result);
        server.start();
    }

    /** Decides each job's outcome from its POST (e.g. fail the first two for a host). */
    public void script(Function<Post, Outcome> script) {
        this.script = script;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ansible/role/";
    }

    public String statusUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ansible/results/{jobId}";
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    public long postsFor(String host) {
        return posts.stream().filter(p -> host.equals(p.host())).count();
    }

    private void trigger(HttpExchange ex) throws IOException {
        Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Post post = new Post(form.get("host"), form.get("role"), form.get("env"), form.get("extra_vars"),
                ex.getRequestHeaders().getFirst("Authorization"));
        posts.add(post);
        String id = "job-" + ids.incrementAndGet();
        Deque<String> sequence = new ArrayDeque<>();
        sequence.add("{\"status\": \"in-queue\"}");
        sequence.add(script.apply(post) == Outcome.SUCCEED
                ? "{\"127.0.0.1\": {\"unreachable\": 0, \"skipped\": 0, \"ok\": 2, \"changed\": 1, \"failures\": 0}}"
                : "{\"status\": \"failed\"}");
        answers.put(id, sequence);
        send(ex, 200, id);
    }

    private void result(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/ansible/results/".length());
        Deque<String> sequence = answers.get(id);
        if (sequence == null) {
            send(ex, 404, "no such job");
            return;
        }
        String answer = sequence.size() > 1 ? sequence.poll() : sequence.peek();
        send(ex, 200, answer);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
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
    }
}
