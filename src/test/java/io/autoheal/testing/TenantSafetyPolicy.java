package io.autoheal.testing;

/**
 * The shipped tenant-safety ValidatingAdmissionPolicy (deploy/base/admission-policy.yaml) on the sandbox. The file's
 * own binding covers every namespace; {@link #bindTo} adds one limited to a single namespace (by its
 * kubernetes.io/metadata.name label), so a test class can have it whatever else is installed, and remove it after.
 */
public final class TenantSafetyPolicy {
    public static final String FILE = "deploy/base/admission-policy.yaml";
    public static final String POLICY = "autoheal-tenant-safety";

    private TenantSafetyPolicy() {
    }

    /** Applies the shipped policy and binds it to {@code namespace} only; returns the binding's name. */
    public static String bindTo(String namespace) {
        Kubectl.run("apply", "-f", Sandbox.root().resolve(FILE).toString());
        String binding = POLICY + "-" + namespace;
        Kubectl.Result r = Kubectl.exec("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: BINDING}
                spec:
                  policyName: POLICY
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: NAMESPACE}
                """.replace("BINDING", binding).replace("POLICY", POLICY).replace("NAMESPACE", namespace), "apply", "-f", "-");
        if (!r.ok()) {
            throw new AssertionError("cannot bind " + POLICY + ": " + r.output());
        }
        return binding;
    }

    /** Removes the binding of {@link #bindTo}; the policy stays (without a binding it does nothing). */
    public static void unbind(String namespace) {
        Kubectl.exec(null, "delete", "validatingadmissionpolicybinding", POLICY + "-" + namespace, "--ignore-not-found");
    }
}
