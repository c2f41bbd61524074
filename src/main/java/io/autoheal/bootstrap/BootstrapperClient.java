package io.autoheal.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.bootstrap.BootstrapRecord.Failure;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The seed's bootstrapper HTTP API (Flask + rq + Ansible), also AWX-style states. POST form fields host, role,
 * env (+ extra_vars as JSON) to url; the answer is the job id (plain text, or JSON with id/job_id). GET statusUrl
 * with {jobId}: {"status": "in-queue"|"waiting"|"failed"} or, when finished, the job's result. Bad answers
 * become values with a reason, never exceptions. Credentials are sent, never logged.
 */
public class BootstrapperClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JOB_ID = 200;
    private final URI url;
    private final String statusUrl;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final HttpClient http;

    public BootstrapperClient(URI url, String statusUrl, Optional<String> authorization, Optional<String> caPem,
                              Duration connectTimeout, Duration requestTimeout) {
        this.url = url;
        this.statusUrl = statusUrl;
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        caPem.ifPresent(pem -> b.sslContext(sslContext(pem)));
        this.http = b.build();
    }

    /** "Bearer token" or "Basic base64(user:password)". */
    public static Optional<String> authorization(Map<String, String> secretData) {
        if (secretData.containsKey("token")) {
            return Optional.of("Bearer " + secretData.get("token").trim());
        }
        if (secretData.containsKey("username") && secretData.containsKey("password")) {
            String pair = secretData.get("username") + ":" + secretData.get("password");
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    public TriggerResult trigger(String host, List<String> roles, String env, Map<String, Object> extraVars) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("host", host);
        form.put("role", String.join(",", roles));
        form.put("env", env);
        if (extraVars != null && !extraVars.isEmpty()) {
            try {
                form.put("extra_vars", JSON.writeValueAsString(extraVars));
            } catch (IOException e) {
                return TriggerResult.failed(Failure.Rejected, "extraVars cannot be written as JSON");
            }
        }
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(a -> request.header("Authorization", a));
        Answer answer = send(request.build());
        if (answer.failure != null) {
            return TriggerResult.failed(answer.failure, answer.message);
        }
        return jobId(answer.body).map(TriggerResult::started)
                .orElseGet(() -> TriggerResult.failed(answer.body.isBlank() ? Failure.EmptyBody : Failure.Unparseable,
                        "the bootstrapper's answer is not a job id: " + excerpt(answer.body)));
    }

    public JobStatus status(String jobId) {
        URI uri = URI.create(statusUrl.replace("{jobId}", enc(jobId)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        authorization.ifPresent(a -> request.header("Authorization", a));
        Answer answer = send(request.build());
        if (answer.failure != null) {
            return JobStatus.unknown(answer.failure, answer.message);
        }
        return parseStatus(answer.body);
    }

    /** Maps the seed's and AWX's answers to phases; see the class comment. */
    static JobStatus parseStatus(String body) {
        String trimmed = body.trim();
        if (trimmed.isEmpty()) {
            return JobStatus.unknown(Failure.EmptyBody, "empty status answer");
        }
        JsonNode json;
        try {
            json = JSON.readTree(trimmed);
        } catch (IOException e) {
            // The seed returns the job's result when it is finished, which need not be JSON.
            return JobStatus.of(Phase.Succeeded);
        }
        if (json == null || !json.isObject() || !json.hasNonNull("status")) {
            return JobStatus.of(Phase.Succeeded);
        }
        String s = json.get("status").asText().trim().toLowerCase();
        return switch (s) {
            case "in-queue", "queued", "pending", "new" -> JobStatus.of(Phase.Queued);
            case "waiting", "started", "running" -> JobStatus.of(Phase.Running);
            case "failed", "error", "canceled", "cancelled" -> new JobStatus(Phase.Failed, Failure.JobFailed, "the bootstrapper reports " + s);
            case "successful", "finished", "success", "done", "ok" -> JobStatus.of(Phase.Succeeded);
            default -> JobStatus.unknown(Failure.Unparseable, "unknown job status '" + excerpt(s) + "'");
        };
    }

    static Optional<String> jobId(String body) {
        String trimmed = body.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = JSON.readTree(trimmed);
                for (String field : new String[]{"id", "job_id", "jobId"}) {
                    JsonNode v = json.get(field);
                    if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
                        return Optional.of(v.asText().trim()).filter(BootstrapperClient::plausibleId);
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (trimmed.startsWith("\"") && trimmed.endsWith("\"") && trimmed.length() > 2) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        return Optional.of(trimmed).filter(BootstrapperClient::plausibleId);
    }

    private static boolean plausibleId(String id) {
        return id.length() <= MAX_JOB_ID && id.matches("[A-Za-z0-9._:-]+");
    }

    private record Answer(String body, Failure failure, String message) {
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                return new Answer(null, Failure.HttpStatus, request.method() + " " + request.uri().getPath() + " answered HTTP "
                        + response.statusCode());
            }
            return new Answer(response.body() == null ? "" : response.body(), null, null);
        } catch (HttpTimeoutException e) {
            return new Answer(null, Failure.Timeout, request.method() + " " + request.uri().getPath() + " timed out");
        } catch (ConnectException e) {
            return new Answer(null, Failure.ConnectionRefused, "cannot connect to " + request.uri().getHost() + ":" + request.uri().getPort());
        } catch (SSLException e) {
            return new Answer(null, Failure.Tls, "TLS with " + request.uri().getHost() + " failed: " + e.getMessage());
        } catch (IOException e) {
            return new Answer(null, Failure.Unreachable, request.uri().getHost() + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, Failure.Unreachable, "interrupted");
        }
    }

    private static SSLContext sslContext(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the CA bundle (ca.crt) is not valid PEM: " + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String excerpt(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
