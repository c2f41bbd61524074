package io.autoheal.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.logging.Log;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives the Quarkus Operator SDK a {@link LeaderElectionConfiguration} when leader election is on. The SDK looks the
 * bean up only in the profiles of {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod), and a
 * null bean means "no leader election". Works with our manual {@code operator.start()} (OperatorStarter): JOSDK's
 * Operator.start() starts the informers on every replica and event processing only on the Lease holder.
 */
public class LeaderElectionProducer {
    /** fabric8's LeaderElector.JITTER_FACTOR: its builder requires renew-deadline > retry-period x (1 + this). */
    static final double RETRY_JITTER = 1.2;
    static final String SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
    static final String DEFAULT_NAMESPACE = "autoheal-system";

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(LeaderElectionSettings settings, Instance<KubernetesClient> client) {
        Optional<LeaderElectionConfiguration> configuration = configuration(settings, System.getenv(), Path.of(SERVICE_ACCOUNT_NAMESPACE),
                (namespace, name) -> LeaseRenewals.reader(client::get, namespace, name));
        // what runs beside JOSDK waits for the Lease too, and every write checks the fence
        configuration.ifPresent(c -> Leadership.electionOn(c.getIdentity().orElseThrow(), new Fence(c.getLeaseDuration(), c.getRenewDeadline())));
        return configuration.orElse(null);
    }

    static Optional<LeaderElectionConfiguration> configuration(LeaderElectionSettings s, Map<String, String> env, Path saNamespaceFile) {
        return configuration(s, env, saNamespaceFile, (namespace, name) -> LeaseRenewals.Reader.NONE);
    }

    /** @param leaseReader how the fence reads the Lease (namespace, name) once this replica leads */
    static Optional<LeaderElectionConfiguration> configuration(LeaderElectionSettings s, Map<String, String> env, Path saNamespaceFile,
                                                               java.util.function.BiFunction<String, String, LeaseRenewals.Reader> leaseReader) {
        boolean enabled = s.enabled().orElse(env.containsKey("KUBERNETES_SERVICE_HOST"));
        if (!enabled) {
            Log.info("leader election is off (set AUTOHEAL_LEADER_ELECTION_ENABLED=true to run several replicas)");
            return Optional.empty();
        }
        String namespace = s.leaseNamespace().filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(env.get("POD_NAMESPACE")).filter(n -> !n.isBlank()))
                .or(() -> readTrimmed(saNamespaceFile))
                .orElse(DEFAULT_NAMESPACE);
        String identity = s.identity().filter(i -> !i.isBlank())
                .or(() -> Optional.ofNullable(env.get("POD_NAME")).filter(i -> !i.isBlank()))
                .orElseGet(() -> env.getOrDefault("HOSTNAME", "autoheal-operator") + "-" + UUID.randomUUID().toString().substring(0, 8));
        // fabric8's elector refuses (at JOSDK's start, with a stack trace) a renew deadline not above retry-period x 2.2 (a
        // retry plus its jitter of 1.2): checked here, so the operator says it in one line naming the keys
        if (!(s.leaseDuration().compareTo(s.renewDeadline()) > 0
                && s.renewDeadline().toMillis() > s.retryPeriod().toMillis() * (1 + RETRY_JITTER))) {
            throw new IllegalArgumentException("autoheal.leader-election: need lease-duration > renew-deadline > retry-period x 2.2, got "
                    + s.leaseDuration() + ", " + s.renewDeadline() + ", " + s.retryPeriod());
        }
        Log.infof("leader election is on: Lease %s/%s, identity %s, lease duration %s", namespace, s.leaseName(), identity, s.leaseDuration());
        LeaseRenewals renewals = new LeaseRenewals(leaseReader.apply(namespace, s.leaseName()), s.retryPeriod());
        return Optional.of(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(s.leaseName())
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withLeaseDuration(s.leaseDuration())
                .withRenewDeadline(s.renewDeadline())
                .withRetryPeriod(s.retryPeriod())
                // JOSDK 5.3's build() leaves exitOnStopLeading false (true is reserved to buildForTest), and a replica that
                // lost the Lease must not go on acting next to the new leader: it exits (code 1) and restarts as a follower.
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            Log.infof("leader election: %s acquired Lease %s/%s, reconciling starts", identity, namespace, s.leaseName());
                            renewals.start(); // before JOSDK starts reconciling (its own callback runs after this one)
                            Leadership.acquired();
                        },
                        () -> {
                            Log.warnf("leader election: %s lost Lease %s/%s, exiting", identity, namespace, s.leaseName());
                            Quarkus.asyncExit(1);
                        },
                        leader -> Log.infof("leader election: the leader is %s", leader)))
                .build());
    }

    private static Optional<String> readTrimmed(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).trim()).filter(v -> !v.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
