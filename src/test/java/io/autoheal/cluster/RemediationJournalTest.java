package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.cluster.healing.LeavingIntent;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.SandboxClient;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The journal against the sandbox's real API server (no operator runs here): two writers that each hold a stale copy
 * of the cluster append a record each — both records are stored, and the hourly cap counts both.
 */
@org.junit.jupiter.api.Tag(io.autoheal.testing.SandboxTest.TAG)
class RemediationJournalTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("journal");

    @org.junit.jupiter.api.BeforeAll
    static void crds() {
        io.autoheal.testing.Kubectl.run("apply", "--server-side", "--force-conflicts", "-f",
                io.autoheal.testing.Sandbox.root().resolve("crds").toString());
        io.autoheal.testing.Kubectl.awaitCrdsEstablished();
    }

    final KubernetesClient client = SandboxClient.get();
    final RemediationJournal journal = new RemediationJournal(client);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** A copy as a pass holds it: with a status (empty for a new cluster). */
    HealingCluster read(String name) {
        HealingCluster hc = client.resources(HealingCluster.class).inNamespace(ns.name()).withName(name).get();
        if (hc.getStatus() == null) {
            hc.setStatus(new HealingClusterStatus());
        }
        return hc;
    }

    /**
     * Labelled for a shard no operator serves: an in-process operator left running by an earlier @QuarkusTest class of
     * the same JVM reconciles every unlabelled cluster, and its status writes would move the resourceVersion under the test.
     */
    void created(String name) {
        ns.apply(ClusterManifest.named(name).label(io.autoheal.config.ShardConfigSourceFactory.LABEL, "journal-test-no-operator").toYaml());
    }

    @Test
    void twoAppendsFromStaleCopiesKeepBothRecordsAndTheCapCountsThem() {
        created("stale");
        HealingCluster first = read("stale");   // two copies of the same resourceVersion, as two passes (or a pass and a
        HealingCluster second = read("stale");  // stale informer cache) would hold them
        assertThat(first.getMetadata().getResourceVersion()).isEqualTo(second.getMetadata().getResourceVersion());

        List<RemediationRecord> afterFirst = journal.append(first, List.of(new RemediationRecord("i-aaa", "Stopped", now.toString())), now);
        List<RemediationRecord> afterSecond = journal.append(second, List.of(new RemediationRecord("i-bbb", "Impaired", now.toString())), now);

        assertThat(afterFirst).extracting(r -> r.instanceId).containsExactly("i-aaa");
        assertThat(afterSecond).as("re-read on conflict, not rebuilt from the stale copy").extracting(r -> r.instanceId)
                .containsExactly("i-aaa", "i-bbb");
        List<RemediationRecord> stored = read("stale").getStatus().recentRemediations;
        assertThat(stored).extracting(r -> r.instanceId).containsExactly("i-aaa", "i-bbb");
        assertThat(second.getStatus().recentRemediations).as("the pass's copy holds what is stored").extracting(r -> r.instanceId)
                .containsExactly("i-aaa", "i-bbb");
        assertThat(second.getMetadata().getResourceVersion()).as("the pass's own status write will not conflict")
                .isEqualTo(read("stale").getMetadata().getResourceVersion());
        // spec.health.maxRemediationsPerHour 2: both count, so no room is left this hour (a lost record would leave one)
        List<Instant> times = stored.stream().map(r -> Instant.parse(r.time)).toList();
        assertThat(LeavingIntent.quotaRoom(times, 2, now)).isFalse();
        assertThat(LeavingIntent.quotaRoom(times.subList(0, 1), 2, now)).isTrue();
    }

    @Test
    void aStaleCopyNeverPutsBackARecordThatAgedOutNorDuplicatesAMachine() {
        created("aged");
        HealingCluster stale = read("aged");
        String old = now.minus(2, ChronoUnit.HOURS).toString();
        journal.append(read("aged"), List.of(new RemediationRecord("i-old", "Stopped", old), new RemediationRecord("i-ccc", "Stopped",
                now.toString())), now.minus(3, ChronoUnit.HOURS));
        List<RemediationRecord> after = journal.append(stale, List.of(new RemediationRecord("i-ccc", "Impaired", now.toString()),
                new RemediationRecord("i-ddd", "Stopped", now.toString())), now);
        assertThat(after).extracting(r -> r.instanceId + "/" + r.reason).containsExactly("i-ccc/Stopped", "i-ddd/Stopped");
        assertThat(read("aged").getStatus().recentRemediations).extracting(r -> r.instanceId).containsExactly("i-ccc", "i-ddd");
    }

    @Test
    void aCopyWithoutResourceVersionIsReadFirst() {
        created("norv");
        journal.append(read("norv"), List.of(new RemediationRecord("i-eee", "Stopped", now.toString())), now);
        HealingCluster bare = read("norv");
        bare.getMetadata().setResourceVersion(null);
        bare.getStatus().recentRemediations = new java.util.ArrayList<>();
        assertThat(journal.append(bare, List.of(new RemediationRecord("i-fff", "Stopped", now.toString())), now))
                .extracting(r -> r.instanceId).containsExactly("i-eee", "i-fff");
    }
}
