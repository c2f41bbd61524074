package io.autoheal.deploy;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** deploy/overlays/sandbox applied to the sandbox, and the operator run as its ServiceAccount (not as admin). */
final class Deployed {
    static final String NAMESPACE = "autoheal-system";
    static final String SERVICE_ACCOUNT = "autoheal-operator";
    static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
    static final String LEASE = "autoheal-operator-lease";
    static final String OVERLAY = "deploy/overlays/sandbox";

    private Deployed() {
    }

    /** CRDs (the separate install step) and the overlay, as an installer would. */
    static void install() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
        Kubectl.run("apply", "-k", Sandbox.root().resolve(OVERLAY).toString());
    }

    /** A kubeconfig in a temp dir that authenticates with a fresh token of the deployed ServiceAccount. */
    static Path serviceAccountKubeconfig() throws IOException {
        return serviceAccountKubeconfig(NAMESPACE);
    }

    /** The same for the operator's ServiceAccount installed in another namespace (an overlay moved there by a test). */
    static Path serviceAccountKubeconfig(String namespace) throws IOException {
        String token = Kubectl.run("create", "token", SERVICE_ACCOUNT, "-n", namespace, "--duration=1h").trim();
        Path dir = Files.createTempDirectory("autoheal-sa-");
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: %s
                  user: {token: "%s"}
                contexts:
                - name: operator
                  context: {cluster: sandbox, user: %s, namespace: %s}
                current-context: operator
                """.formatted(Sandbox.get("SANDBOX_KUBE_APISERVER"), SERVICE_ACCOUNT, token, SERVICE_ACCOUNT, namespace));
        return file;
    }

    /** The packaged operator as the ServiceAccount, with leader election on and short lease timings. */
    static OperatorProcess startOperator(String identity, Path kubeconfig, int httpPort, String watchedNamespace) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("HOSTNAME", identity); // EventRecorder's reportingInstance: tells which process wrote an Event
        // Only the test's namespace: what the deployment's AUTOHEAL_WATCH_NAMESPACES does, and other suites' resources stay out.
        env.put("AUTOHEAL_WATCH_NAMESPACES", watchedNamespace);
        env.put("AUTOHEAL_LEADER_ELECTION_ENABLED", "true");
        env.put("AUTOHEAL_LEADER_ELECTION_IDENTITY", identity);
        env.put("AUTOHEAL_LEADER_ELECTION_LEASE_NAMESPACE", NAMESPACE);
        env.put("AUTOHEAL_LEADER_ELECTION_LEASE_DURATION", LEASE_DURATION_SECONDS + "s");
        env.put("AUTOHEAL_LEADER_ELECTION_RENEW_DEADLINE", "4s");
        env.put("AUTOHEAL_LEADER_ELECTION_RETRY_PERIOD", "1s");
        return OperatorProcess.start(identity, env);
    }

    static final int LEASE_DURATION_SECONDS = 6;

    /** holderIdentity of the Lease, or "" when there is none. */
    static String leaseHolder() {
        Kubectl.Result r = Kubectl.exec(null, "get", "lease", LEASE, "-n", NAMESPACE, "-o", "jsonpath={.spec.holderIdentity}");
        return r.ok() ? r.output().trim() : "";
    }

    /** Forget an earlier test's leader (a killed or stopped leader does not release its Lease). */
    static void deleteLease() {
        Kubectl.exec(null, "delete", "lease", LEASE, "-n", NAMESPACE, "--ignore-not-found");
    }

    /** "yes" or "no" from kubectl auth can-i, impersonating the operator's ServiceAccount. */
    static boolean operatorCan(String... args) {
        return can(USER, args);
    }

    /** "yes" or "no" from kubectl auth can-i, impersonating {@code user}. */
    static boolean can(String user, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "auth";
        all[1] = "can-i";
        System.arraycopy(args, 0, all, 2, args.length);
        all[all.length - 1] = "--as=" + user;
        Kubectl.Result r = Kubectl.exec(null, all);
        // the answer is the last line; kubectl may warn before it (e.g. "not namespace scoped")
        String out = r.output().trim().lines().reduce((first, second) -> second).orElse("");
        if (!out.startsWith("yes") && !out.startsWith("no")) {
            throw new AssertionError("kubectl auth can-i " + String.join(" ", args) + ": " + out);
        }
        return out.startsWith("yes");
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
