package io.autoheal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces the operator is configured for: the watched ones (autoheal.watch-namespaces) and its own (where
 * its Lease and its notification Secret live). Secrets named in the operator's configuration are read only from
 * these; a cluster's bootstrap credentials come from the cluster's own namespace, which is watched by definition.
 *
 * @param own the operator's namespace: autoheal.leader-election.lease-namespace, env POD_NAMESPACE, or the pod's
 *            service account namespace; empty for a local run
 */
public record ConfiguredNamespaces(List<String> watched, Optional<String> own) {
    public static final String ALL = "JOSDK_ALL_NAMESPACES";
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of(LeaderElectionProducer.SERVICE_ACCOUNT_NAMESPACE);

    public static ConfiguredNamespaces of(OperatorConfig config, LeaderElectionSettings leaderElection) {
        return of(config.watchNamespaces(), leaderElection.leaseNamespace(), System.getenv(), SERVICE_ACCOUNT_NAMESPACE);
    }

    static ConfiguredNamespaces of(List<String> watched, Optional<String> leaseNamespace, Map<String, String> env, Path saNamespaceFile) {
        Optional<String> own = leaseNamespace.filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(env.get("POD_NAMESPACE")).filter(n -> !n.isBlank()))
                .or(() -> read(saNamespaceFile));
        return new ConfiguredNamespaces(watched.stream().map(String::trim).filter(n -> !n.isEmpty()).toList(), own);
    }

    public boolean includes(String namespace) {
        return watched.contains(ALL) || watched.contains(namespace) || own.filter(namespace::equals).isPresent();
    }

    /** Why autoheal.notifications.webhook-secret cannot be used, or empty when it is unset or fine. */
    public Optional<String> webhookSecretProblem(Optional<String> ref) {
        Optional<String> set = ref.map(String::trim).filter(r -> !r.isEmpty());
        if (set.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = set.get().split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.of("autoheal.notifications.webhook-secret must be namespace/name, got " + set.get());
        }
        if (!includes(parts[0])) {
            return Optional.of("autoheal.notifications.webhook-secret names a Secret in namespace " + parts[0]
                    + ", which the operator is not configured for (watched: " + String.join(",", watched)
                    + own.map(o -> "; own: " + o).orElse("") + "): put it in the operator's namespace");
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).trim()).filter(v -> !v.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
