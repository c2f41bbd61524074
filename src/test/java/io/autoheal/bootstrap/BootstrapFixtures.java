package io.autoheal.bootstrap;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Shared values of the planner and state-machine tests. */
final class BootstrapFixtures {
    static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
    /** 30m timeout, 3 attempts, back-off 30s doubling to 5m, no launch gate, heartbeat 10m, poll 10s. */
    static final BootstrapPolicy POLICY = policy(3, false);
    /** Runner tests talk to servers on loopback; the host policy has its own tests (BootstrapHostPolicyTest). */
    static final RequestGuard ANY_HOST = (field, uri) -> new RequestGuard.Go(BootstrapUrlGuard.resolve(uri.getHost()));
    static final BootstrapTarget READY = new BootstrapTarget("i-1", "10.0.0.5", true, true, false);

    private BootstrapFixtures() {
    }

    static BootstrapPolicy policy(int maxAttempts, boolean gateLaunch) {
        return new BootstrapPolicy(Duration.ofMinutes(30), maxAttempts, Duration.ofSeconds(30), Duration.ofMinutes(5), gateLaunch,
                Duration.ofMinutes(10), Duration.ofSeconds(10));
    }

    static BootstrapTarget target(boolean running, boolean addressReady, boolean awaitingLaunchHook) {
        return new BootstrapTarget("i-1", "10.0.0.5", running, addressReady, awaitingLaunchHook);
    }

    static BootstrapRecord triggered(String jobId, Instant at) {
        return BootstrapStateMachine.onTriggered(BootstrapRecord.fresh(at), jobId, at);
    }
}
