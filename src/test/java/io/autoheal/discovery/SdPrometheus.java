package io.autoheal.discovery;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Debian's Prometheus on a free loopback port, discovering its targets from one http_sd_configs URL (refreshed every second). */
final class SdPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final URI url;
    final Path workDir;

    private SdPrometheus(Process process, URI url, Path workDir) {
        this.process = process;
        this.url = url;
        this.workDir = workDir;
    }

    /** @param token the bearer token /sd/targets requires (autoheal.discovery.sd-token) */
    static SdPrometheus start(String sdUrl, String token) throws Exception {
        Path workDir = Files.createTempDirectory("autoheal-sd-prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 5s}
                scrape_configs:
                  - job_name: machines
                    http_sd_configs:
                      - url: 'SD_URL'
                        refresh_interval: 1s
                        authorization: {type: Bearer, credentials: 'SD_TOKEN'}
                """.replace("SD_URL", sdUrl).replace("SD_TOKEN", token));
        Process process = new ProcessBuilder(Tool.path("prometheus"), "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        SdPrometheus p = new SdPrometheus(process, URI.create("http://127.0.0.1:" + port), workDir);
        try {
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
                }
                return p.get("/-/ready").statusCode() == 200;
            });
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /** Prometheus' active targets (data.activeTargets of /api/v1/targets). */
    JsonNode activeTargets() throws Exception {
        HttpResponse<String> r = get("/api/v1/targets?state=active");
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus /api/v1/targets answered " + r.statusCode() + ": " + r.body());
        }
        return body.path("data").path("activeTargets");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
