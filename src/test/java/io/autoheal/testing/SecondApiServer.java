package io.autoheal.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A second, independent kube-apiserver of the sandbox: the same binary and etcd, its own keyspace (--etcd-prefix), so
 * it holds its own CRDs, namespaces and resources — another Kubernetes cluster, as a second installation of the
 * operator (e.g. staging next to production) sees it. Objects of the same namespace/name can exist on both.
 */
public final class SecondApiServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path kubeconfig;

    private SecondApiServer(Process process, Path dir, Path kubeconfig) {
        this.process = process;
        this.dir = dir;
        this.kubeconfig = kubeconfig;
    }

    public static SecondApiServer start(String name) throws IOException, InterruptedException {
        Path pki = Sandbox.root().resolve(".sandbox/pki");
        Path dir = Files.createTempDirectory("autoheal-apiserver-" + name + "-");
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(Sandbox.get("SANDBOX_BIN"), "kube-apiserver").toString(),
                "--etcd-servers", Sandbox.get("SANDBOX_ETCD"), "--etcd-prefix", "/registry-" + name + "-" + port,
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", String.valueOf(port),
                "--cert-dir", dir.resolve("serving").toString(), "--token-auth-file", pki.resolve("tokens.csv").toString(),
                "--authorization-mode", "RBAC", "--service-cluster-ip-range", "10.0.1.0/24",
                "--service-account-issuer", "https://kubernetes.default.svc", "--service-account-key-file", pki.resolve("sa.pub").toString(),
                "--service-account-signing-key-file", pki.resolve("sa.key").toString(), "--enable-priority-and-fairness=false")
                .redirectErrorStream(true).redirectOutput(dir.resolve("kube-apiserver.log").toFile());
        Process process = pb.start();
        String server = "https://127.0.0.1:" + port;
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: second
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: admin
                  user: {token: "%s"}
                contexts:
                - name: second
                  context: {cluster: second, user: admin}
                current-context: second
                """.formatted(server, Sandbox.get("SANDBOX_TOKEN")));
        SecondApiServer s = new SecondApiServer(process, dir, kubeconfig);
        s.awaitReady(server);
        return s;
    }

    private void awaitReady(String server) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(Insecure.context()).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube-apiserver exited: " + Files.readString(dir.resolve("kube-apiserver.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server + "/readyz"))
                        .header("Authorization", "Bearer " + Sandbox.get("SANDBOX_TOKEN")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("kube-apiserver did not become ready in 180 s");
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** kubectl against this API server (fails the test on error). */
    public String kubectl(String... args) {
        return Kubectl.run(withKubeconfig(args));
    }

    public Kubectl.Result exec(String stdin, String... args) {
        return Kubectl.exec(stdin, withKubeconfig(args));
    }

    private String[] withKubeconfig(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--kubeconfig";
        all[1] = kubeconfig.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The API server's serving certificate is self-signed in a temp dir: readiness is polled without verifying it. */
    private static final class Insecure {
        static javax.net.ssl.SSLContext context() {
            try {
                javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
                c.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    }

                    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    }

                    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                        return new java.security.cert.X509Certificate[0];
                    }
                }}, new java.security.SecureRandom());
                return c;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
