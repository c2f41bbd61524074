package io.autoheal.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged operator as a separate process against the sandbox, so a test can kill -9 it and start another. */
public final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private OperatorProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static OperatorProcess start(String name, Map<String, String> extraEnv) throws IOException {
        return start(name, extraEnv, java.util.List.of());
    }

    /** @param jvmOptions e.g. the Deployment's -Xmx, before -jar */
    public static OperatorProcess start(String name, Map<String, String> extraEnv, java.util.List<String> jvmOptions) throws IOException {
        Path jar = Path.of(System.getProperty("autoheal.operatorJar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " not found: these tests run after 'mvn package' (failsafe)");
        }
        Path log = Files.createTempFile("operator-" + name + "-", ".log");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        Map<String, String> sandbox = Sandbox.env();
        env.put("KUBECONFIG", sandbox.get("KUBECONFIG"));
        env.put("AWS_ENDPOINT_URL", sandbox.get("AWS_ENDPOINT_URL"));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        env.put("AUTOHEAL_RESYNC_INTERVAL", "2s");
        env.put("AUTOHEAL_BOOTSTRAP_POLL_INTERVAL", "1s");
        env.put("AUTOHEAL_BOOTSTRAP_RETRY_BACKOFF", "1s");
        env.put("AUTOHEAL_BOOTSTRAP_ALLOW_INTERNAL_HOSTS", SandboxResource.ALLOWED_LOOPBACK); // test bootstrappers on loopback
        env.putAll(extraEnv);
        // after the test's own keys, so no test can widen them: never an address moto hands out, for any traffic or probe
        env.put("AUTOHEAL_OUTBOUND_ALLOWED_CIDRS", SandboxResource.OUTBOUND_CIDRS);
        env.put("AUTOHEAL_HEALTH_PROBE_ALLOWED_CIDRS", SandboxResource.PROBE_CIDRS);
        return new OperatorProcess(pb.start(), log, Integer.parseInt(env.get("QUARKUS_HTTP_PORT")));
    }

    /** The operator's HTTP port (/q/metrics, /q/health): the free port picked here, or QUARKUS_HTTP_PORT if given. */
    public int port() {
        return port;
    }

    /** Waits for the process to end by itself; empty if it is still running after the timeout. */
    public java.util.OptionalInt waitForExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    /** Like a node dying: no shutdown hooks, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Like a long GC pause or a frozen VM: the process stops (SIGSTOP) without knowing it. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Wakes a frozen process (SIGCONT). */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** The JVM's process id (the java command runs the jar itself, no wrapper). */
    public long pid() {
        return process.pid();
    }

    /** The process's resident memory (VmRSS of /proc/PID/status) in bytes: what a container's memory limit counts. */
    public long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    public boolean alive() {
        return process.isAlive();
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
