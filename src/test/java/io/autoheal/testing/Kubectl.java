package io.autoheal.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the sandbox's real kubectl (built from k8s.io/kubectl) against the sandbox API server. */
public final class Kubectl {
    private Kubectl() {
    }

    /** Exit code and combined output of one kubectl call. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs kubectl and fails the test if it does not succeed. */
    public static String run(String... args) {
        Result r = exec(null, args);
        if (!r.ok()) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }

    /**
     * Waits until our CRDs are established. kubectl wait fails at once, instead of waiting, while a CRD created a moment
     * ago has no conditions yet (".status.conditions accessor error"; seen on a freshly started sandbox): retried.
     */
    public static void awaitCrdsEstablished() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(500))
                .untilAsserted(() -> run("wait", "--for", "condition=established", "--timeout=30s",
                        "crd/healingclusters.autoheal.io", "crd/elasticippools.autoheal.io", "crd/tenantpolicies.autoheal.io"));
    }

    /** Runs kubectl with the given text on stdin (e.g. "apply -f -"). */
    public static Result exec(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(Sandbox.get("SANDBOX_BIN"), "kubectl").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", Sandbox.get("KUBECONFIG"));
        try {
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
