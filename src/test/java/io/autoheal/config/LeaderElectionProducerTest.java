package io.autoheal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Lease lives and who the candidate is, from settings, the pod's environment and its service account. */
class LeaderElectionProducerTest {
    @TempDir
    Path dir;

    record Settings(Optional<Boolean> enabled, Optional<String> leaseNamespace, Optional<String> identity,
                    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) implements LeaderElectionSettings {
        static Settings defaults() {
            return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Duration.ofSeconds(10),
                    Duration.ofSeconds(2));
        }

        Settings enabled(boolean on) {
            return new Settings(Optional.of(on), leaseNamespace, identity, leaseDuration, renewDeadline, retryPeriod);
        }

        Settings identity(String id) {
            return new Settings(enabled, leaseNamespace, Optional.of(id), leaseDuration, renewDeadline, retryPeriod);
        }

        @Override
        public String leaseName() {
            return "autoheal-operator-lease";
        }
    }

    Path missing() {
        return dir.resolve("no-such-file");
    }

    @Test
    void offForALocalRunOnInAPod() {
        assertThat(LeaderElectionProducer.configuration(Settings.defaults(), Map.of(), missing())).isEmpty();
        assertThat(LeaderElectionProducer.configuration(Settings.defaults(), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), missing()))
                .isPresent();
        assertThat(LeaderElectionProducer.configuration(Settings.defaults().enabled(false), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
                missing())).isEmpty();
    }

    @Test
    void leaseNamespaceFromSettingThenPodNamespaceThenServiceAccountThenDefault() throws IOException {
        Path saNamespace = Files.writeString(dir.resolve("namespace"), "ops\n");
        Settings on = Settings.defaults().enabled(true);
        Settings explicit = new Settings(Optional.of(true), Optional.of("pinned"), Optional.empty(), on.leaseDuration(),
                on.renewDeadline(), on.retryPeriod());
        assertThat(lease(explicit, Map.of("POD_NAMESPACE", "pod-ns"), saNamespace).getLeaseNamespace()).contains("pinned");
        assertThat(lease(on, Map.of("POD_NAMESPACE", "pod-ns"), saNamespace).getLeaseNamespace()).contains("pod-ns");
        assertThat(lease(on, Map.of(), saNamespace).getLeaseNamespace()).contains("ops");
        assertThat(lease(on, Map.of(), missing()).getLeaseNamespace()).contains("autoheal-system");
    }

    @Test
    void identityFromSettingThenPodNameThenAUniqueHostnameSuffix() {
        Settings on = Settings.defaults().enabled(true);
        Settings explicit = new Settings(Optional.of(true), Optional.empty(), Optional.of("me"), on.leaseDuration(), on.renewDeadline(),
                on.retryPeriod());
        assertThat(lease(explicit, Map.of("POD_NAME", "pod-1"), missing()).getIdentity()).contains("me");
        assertThat(lease(on, Map.of("POD_NAME", "pod-1"), missing()).getIdentity()).contains("pod-1");
        String a = lease(on, Map.of("HOSTNAME", "laptop"), missing()).getIdentity().orElseThrow();
        String b = lease(on, Map.of("HOSTNAME", "laptop"), missing()).getIdentity().orElseThrow();
        assertThat(a).startsWith("laptop-").isNotEqualTo(b);
    }

    @Test
    void timingsMustLetTheLeaderRenewBeforeTheLeaseExpires() {
        Settings bad = new Settings(Optional.of(true), Optional.empty(), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> LeaderElectionProducer.configuration(bad, Map.of(), missing()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease-duration > renew-deadline > retry-period x 2.2");
        // renew-deadline 10 s > retry-period 5 s, yet fabric8's elector refuses it (10 <= 5 x 2.2) when JOSDK starts
        Settings refusedByTheElector = new Settings(Optional.of(true), Optional.empty(), Optional.empty(), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertThatThrownBy(() -> LeaderElectionProducer.configuration(refusedByTheElector, Map.of(), missing()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry-period x 2.2");
        // what the elector accepts, this accepts: 16 s > 7 s x 2.2
        LeaderElectionConfiguration tight = lease(new Settings(Optional.of(true), Optional.empty(), Optional.empty(), Duration.ofSeconds(40),
                Duration.ofSeconds(16), Duration.ofSeconds(7)), Map.of(), missing());
        new io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder(null, Runnable::run).withConfig(
                new io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder().withName("n")
                        .withLeaseDuration(tight.getLeaseDuration()).withRenewDeadline(tight.getRenewDeadline()).withRetryPeriod(tight.getRetryPeriod())
                        .withLock(new io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock("ns", "n", "me"))
                        .withLeaderCallbacks(new io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks(() -> { }, () -> { }, id -> { }))
                        .build());
        LeaderElectionConfiguration ok = lease(Settings.defaults().enabled(true), Map.of(), missing());
        assertThat(ok.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ok.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ok.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void withLeaderElectionWhatRunsBesideJosdkWaitsForTheLease() {
        LeaderElectionConfiguration c = lease(Settings.defaults().enabled(true), Map.of(), missing());
        Leadership.electionOn(); // what the SDK's lookup of the configuration does (leaderElection())
        assertThat(Leadership.mayAct()).as("a follower").isFalse();
        c.getLeaderCallbacks().orElseThrow().onStartLeading();
        assertThat(Leadership.mayAct()).as("the Lease holder").isTrue();
    }

    @Test
    void onAcquiringTheLeaseTheFenceReadsItAndOpensOnlyForItsOwnFreshRenewal() {
        java.util.concurrent.atomic.AtomicReference<Fence.Renewal> lease = new java.util.concurrent.atomic.AtomicReference<>(
                new Fence.Renewal("op-a", java.time.Instant.now()));
        LeaderElectionConfiguration c = LeaderElectionProducer.configuration(Settings.defaults().enabled(true).identity("op-a"), Map.of(),
                missing(), (namespace, name) -> () -> Optional.ofNullable(lease.get())).orElseThrow();
        Leadership.electionOn("op-a", new Fence(c.getLeaseDuration(), c.getRenewDeadline()));
        assertThat(Leadership.fence(java.time.Instant.now()).allowed()).as("a follower").isFalse();
        c.getLeaderCallbacks().orElseThrow().onStartLeading();
        assertThat(Leadership.fence(java.time.Instant.now()).allowed()).as("read at once when acquired").isTrue();
        assertThat(Leadership.fence(java.time.Instant.now().plusSeconds(11)).allowed()).as("no renewal for 11 s").isFalse();
        lease.set(new Fence.Renewal("op-b", java.time.Instant.now()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> Leadership.fence(java.time.Instant.now()) instanceof Fence.Refused r && r.reason().contains("held by op-b"));
    }

    @org.junit.jupiter.api.AfterEach
    void noLeaderElectionForWhatRunsNext() {
        Leadership.reset(); // static: the next test in this JVM must find the fence open again
    }

    private static LeaderElectionConfiguration lease(Settings s, Map<String, String> env, Path saNamespace) {
        return LeaderElectionProducer.configuration(s, env, saNamespace).orElseThrow();
    }
}
