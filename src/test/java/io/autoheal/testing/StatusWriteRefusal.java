package io.autoheal.testing;


import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted reconcile failure: a ValidatingAdmissionPolicy (in-tree CEL admission) that refuses status writes of
 * one HealingCluster of a namespace, so that the in-process operator's reconciliations really fail.
 */
public final class StatusWriteRefusal {
    private final String namespace;
    private final String policy;

    public StatusWriteRefusal(String namespace) {
        this.namespace = namespace;
        this.policy = "autoheal-test-deny-status-" + namespace;
    }

    /** Refuses status writes of {@code cluster} from now on. */
    public void refuse(String cluster) {
        Kubectl.Result r = Kubectl.exec("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: POLICY}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [autoheal.io]
                        apiVersions: ["*"]
                        operations: [CREATE, UPDATE]
                        resources: [healingclusters/status]
                  validations:
                    - expression: "object.metadata.name != 'CLUSTER'"
                      message: "a test refuses status writes of CLUSTER (scripted failure)"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: POLICY}
                spec:
                  policyName: POLICY
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: NAMESPACE}
                """.replace("POLICY", policy).replace("CLUSTER", cluster).replace("NAMESPACE", namespace), "apply", "-f", "-");
        if (!r.ok()) {
            throw new AssertionError("cannot create the ValidatingAdmissionPolicy: " + r.output());
        }
        awaitRefusing(cluster);
    }

    /**
     * The API server compiles and loads a new policy asynchronously: until a status write of the cluster is actually
     * refused (an empty merge patch, which changes nothing when it goes through), the scripted failure has not begun.
     */
    private void awaitRefusing(String cluster) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Kubectl.Result probe = Kubectl.exec(null, "-n", namespace, "patch", "healingcluster", cluster, "--subresource=status",
                    "--type=merge", "-p", "{\"status\":{}}");
            if (!probe.ok() && probe.output().contains("scripted failure")) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the policy " + policy + " did not start refusing status writes of " + cluster + " within 30 s");
    }

    /** Removes the policy (if any). */
    public void allow() {
        Kubectl.exec(null, "delete", "validatingadmissionpolicybinding", policy, "--ignore-not-found");
        Kubectl.exec(null, "delete", "validatingadmissionpolicy", policy, "--ignore-not-found");
    }

    /** Starts counting the operator's log records (in this JVM) that report a status write refused by this policy. */
    public RefusalLog countRefusals() {
        RefusalLog h = new RefusalLog(policy);
        Logger.getLogger(RefusalLog.LOGGER).addHandler(h);
        return h;
    }

    /** JOSDK's reconciliations_failure_total of the healingcluster controller in an exposition (0 before the first failure). */
    public static double failures(String exposition) {
        Matcher m = Pattern.compile("(?m)^reconciliations_failure_total\\{controller_name=\"healingcluster\"} (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Counts the operator's log records that name the policy; close() stops counting. */
    public static final class RefusalLog extends Handler implements AutoCloseable {
        static final String LOGGER = "io.autoheal.cluster.HealingClusterReconciler";
        private final String policy;
        private final AtomicInteger count = new AtomicInteger();

        private RefusalLog(String policy) {
            this.policy = policy;
        }

        public int count() {
            return count.get();
        }

        @Override
        public void publish(LogRecord r) {
            String text = r.getMessage() + " " + Arrays.toString(r.getParameters());
            if (text.contains(policy)) {
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger(LOGGER).removeHandler(this);
        }
    }
}
