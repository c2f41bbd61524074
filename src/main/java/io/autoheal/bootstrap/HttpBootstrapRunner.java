package io.autoheal.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The seed's bootstrapper API over java.net.http (also AWX-style states).
 * Trigger: POST url, application/x-www-form-urlencoded, fields host, role (roles comma-joined), env,
 * idempotency_key ({@code <instance id>:<attempt>}, also sent as the Idempotency-Key header; a trigger sent again
 * for the same attempt carries the same key) and extra_vars (JSON) when there are extra vars; the body names the job ({@link SeedAnswers#jobId}). A trigger whose
 * request never went out (refused, TLS, connect timeout) or that the bootstrapper refused (non-2xx) started no
 * job; one whose body went out but whose answer was lost (a timeout or a reset after the body was sent, a 2xx
 * naming no job) may have: {@link TriggerResult.Kind#SENT_ANSWER_LOST} (whether the whole request went out tells the two apart).
 * Status: GET the status URL with {jobId} URL-encoded; the body maps to a phase ({@link SeedAnswers#status}).
 * A 404 on status means the bootstrapper does not know the job (it expired or was lost): the job FAILED, so a
 * new attempt follows instead of waiting for the timeout. Other non-2xx answers, timeouts and network errors
 * are "could not find out" (the phase stays; the attempt timeout bounds it).
 * Every answer is read through {@link BoundedBody}: at most 64 KiB, within the request timeout.
 * Nothing here logs; messages name host and path only, never the Authorization header or URL user info.
 * Every request first asks the {@link RequestGuard} (tenant safety): a refused host gets no request at all, and an
 * allowed one is connected to at the addresses the guard checked ({@link PinnedHttp}).
 */
public final class HttpBootstrapRunner implements BootstrapRunner {
    static final String URL_FIELD = "spec.bootstrap.http.url";
    static final String STATUS_URL_FIELD = "spec.bootstrap.http.statusUrl";
    /** The trigger's idempotency key, as a form field and a header: the same attempt sent again carries the same key. */
    static final String IDEMPOTENCY_FIELD = "idempotency_key";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private final HttpBootstrapConfig config;
    private final RequestGuard guard;
    private final PinnedHttp http;
    /** A CA bundle we cannot read: every call answers this failure instead of throwing. */
    private final TriggerResult configError;

    public HttpBootstrapRunner(HttpBootstrapConfig config, RequestGuard guard) {
        this.config = config;
        this.guard = guard;
        javax.net.ssl.SSLContext tls = null;
        TriggerResult error = null;
        if (config.caPem().isPresent()) {
            try {
                tls = PemTrust.sslContext(config.caPem().get());
            } catch (IllegalArgumentException e) {
                error = TriggerResult.failed(BootstrapFailure.Tls, e.getMessage());
            }
        }
        this.configError = error;
        this.http = new PinnedHttp(tls, config.connectTimeout(), config.requestTimeout(), BoundedBody.LIMIT);
    }

    @Override
    public TriggerResult trigger(BootstrapRequest req) {
        if (configError != null) {
            return configError;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("host", req.host());
        form.put("role", String.join(",", req.roles()));
        form.put("env", req.env() == null ? "" : req.env());
        form.put(IDEMPOTENCY_FIELD, idempotencyKey(req));
        if (!req.extraVars().isEmpty()) {
            try {
                form.put("extra_vars", SeedAnswers.JSON.writeValueAsString(req.extraVars()));
            } catch (JsonProcessingException e) {
                return TriggerResult.failed(BootstrapFailure.Rejected, "extraVars cannot be written as JSON");
            }
        }
        byte[] body = form.entrySet().stream().map(e -> formEnc(e.getKey()) + "=" + formEnc(e.getValue()))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put(IDEMPOTENCY_HEADER, idempotencyKey(req));
        PinnedHttp.Request request = new PinnedHttp.Request("POST", config.url(), headers, body);
        AtomicBoolean sent = new AtomicBoolean();
        Answer answer = send(request, URL_FIELD, () -> sent.set(true));
        if (answer.failure() != null) {
            return sent.get()
                    ? TriggerResult.answerLost(answer.failure(), answer.message() + " after the request was sent: a job may have started")
                    : TriggerResult.failed(answer.failure(), answer.message());
        }
        if (answer.code() / 100 != 2) {
            return TriggerResult.failed(BootstrapFailure.HttpStatus, "POST " + where(request.uri()) + " answered HTTP " + answer.code());
        }
        return SeedAnswers.jobId(answer.body());
    }

    /** {@code <instance id>:<attempt>}: a bootstrapper that knows the key answers with the job it started for it. */
    static String idempotencyKey(BootstrapRequest req) {
        return req.instanceId() + ":" + req.attempt();
    }

    @Override
    public String endpoint() {
        return config.url().getHost() + ":" + config.url().getPort();
    }

    @Override
    public JobStatus status(String jobId, String host) {
        if (configError != null) {
            return JobStatus.unknown(configError.failure(), configError.message());
        }
        URI uri;
        try {
            uri = URI.create(config.statusUrlTemplate().replace(HttpBootstrapConfig.JOB_ID_PLACEHOLDER, pathEnc(jobId)));
        } catch (IllegalArgumentException e) {
            return JobStatus.unknown(BootstrapFailure.Rejected, "the status URL is not valid with job id " + SeedAnswers.excerpt(jobId));
        }
        Answer answer = send(new PinnedHttp.Request("GET", uri, headers(), null), STATUS_URL_FIELD, () -> { });
        if (answer.failure() != null) {
            return JobStatus.unknown(answer.failure(), answer.message());
        }
        if (answer.code() == 404) {
            return JobStatus.failed("the bootstrapper does not know job " + SeedAnswers.excerpt(jobId) + " (HTTP 404)");
        }
        if (answer.code() / 100 != 2) {
            return JobStatus.unknown(BootstrapFailure.HttpStatus, "GET " + where(uri) + " answered HTTP " + answer.code());
        }
        return SeedAnswers.status(answer.body(), host);
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        config.credentials().authorization().ifPresent(a -> headers.put("Authorization", a));
        return headers;
    }

    /** An HTTP answer (code and body), or why there was none. */
    private record Answer(int code, String body, BootstrapFailure failure, String message) {
    }

    private Answer send(PinnedHttp.Request request, String field, Runnable sent) {
        String where = request.method() + " " + where(request.uri());
        RequestGuard.Checked checked = guard.check(field, request.uri());
        if (checked instanceof RequestGuard.Stop stop) {
            return new Answer(0, null, stop.failure(), stop.message());
        }
        try {
            // connects to an address the guard just checked, never resolving again
            PinnedHttp.Response response = http.exchange(request, ((RequestGuard.Go) checked).addresses(), sent);
            return new Answer(response.code(), response.body(), null, null);
        } catch (BoundedBody.TooLarge e) {
            return new Answer(0, null, BootstrapFailure.AnswerTooLarge, where + ": " + e.getMessage());
        } catch (HttpTimeoutException e) { // includes HttpConnectTimeoutException
            return new Answer(0, null, BootstrapFailure.Timeout, where + " timed out");
        } catch (ConnectException e) {
            return tls(e) ? tlsFailure(where, e) : new Answer(0, null, BootstrapFailure.ConnectionRefused, where + ": connection refused");
        } catch (IOException e) {
            if (cause(e, BoundedBody.TooLarge.class) != null) {
                return new Answer(0, null, BootstrapFailure.AnswerTooLarge, where + ": " + cause(e, BoundedBody.TooLarge.class).getMessage());
            }
            if (cause(e, HttpTimeoutException.class) != null) {
                return new Answer(0, null, BootstrapFailure.Timeout, where + " timed out");
            }
            return tls(e) ? tlsFailure(where, e) : new Answer(0, null, BootstrapFailure.Unreachable, where + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, BootstrapFailure.Unreachable, where + ": interrupted");
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The client sometimes wraps the handshake failure; look down the causes. */
    private static boolean tls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static Answer tlsFailure(String where, IOException e) {
        Throwable t = e;
        while (!(t instanceof SSLException) && t.getCause() != null) {
            t = t.getCause();
        }
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : SeedAnswers.excerpt(t.getMessage());
        return new Answer(0, null, BootstrapFailure.Tls, where + ": TLS failed: " + detail);
    }

    /** host:port/path, never user info or query (either may carry a secret). */
    private static String where(URI uri) {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String formEnc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    /** In a path a space is %20, not + (and / must not split the path). */
    private static String pathEnc(String s) {
        return formEnc(s).replace("+", "%20");
    }
}
