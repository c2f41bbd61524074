package io.autoheal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election between operator replicas (a coordination.k8s.io Lease). Env vars: AUTOHEAL_LEADER_ELECTION_*.
 * Only the Lease holder reconciles; the others keep their caches warm and take over when the Lease expires.
 */
@ConfigMapping(prefix = "autoheal.leader-election")
public interface LeaderElectionSettings {

    /**
     * On or off. Unset means: on when running in a pod (KUBERNETES_SERVICE_HOST is set), off for local runs, so a
     * developer's operator never waits for a Lease in a namespace that does not exist. deploy/ sets it to true.
     */
    Optional<Boolean> enabled();

    /** Name of the Lease; the Role in deploy/ grants get/update on this name only. */
    @WithDefault("autoheal-operator-lease")
    String leaseName();

    /**
     * Namespace of the Lease. Unset means: env POD_NAMESPACE (downward API), else the pod's service account
     * namespace file, else autoheal-system.
     */
    Optional<String> leaseNamespace();

    /** Identity written to the Lease. Unset means: env POD_NAME, else HOSTNAME plus a random suffix (unique per process). */
    Optional<String> identity();

    /** How long a Lease stays valid without renewal: the longest time without a reconciling leader after a crash. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** The leader gives up (and the process exits, so Kubernetes restarts it) if it cannot renew within this time. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire, and the leader renews. */
    @WithDefault("2s")
    Duration retryPeriod();
}
