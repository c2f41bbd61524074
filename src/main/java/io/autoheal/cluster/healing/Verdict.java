package io.autoheal.cluster.healing;

import java.time.Instant;

/** The decision about one machine. {@code since} is carried to the next pass (impaired/unhealthy since). */
public record Verdict(String instanceId, State state, Reason reason, Instant since) {

    public enum State { HEALTHY, STARTING, UNHEALTHY, LEAVING }

    /** Why a machine is unhealthy (or, for LEAVING, why it left). Names are shown in status and Events. */
    public enum Reason {
        Stopped, AsgUnhealthy, BootstrapFailed, StatusCheckImpaired, StartupTimeout, TerminatedExternally,
        /** Not unhealthy: launched from an older launch template version (a controlled roll). */
        Outdated;
    }
}
