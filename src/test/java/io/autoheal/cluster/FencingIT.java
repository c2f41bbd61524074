package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing, with the packaged operator and leader election on against the sandbox: another holder takes the Lease (as a
 * new leader does after this one was paused or cut off), and while the old leader still believes it leads — its renew
 * deadline is long on purpose, so the window is wide — a machine fails. The old leader decides to replace it, but no
 * write reaches AWS: moto fails and counts every write call it receives, and none arrives.
 */
class FencingIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("fence");
    static final String LEASE = "autoheal-fence-lease";
    /** Every write the cluster pass can make (groups, lifecycle hooks, templates, tags, addresses). */
    static final List<String> WRITES = List.of("TerminateInstanceInAutoScalingGroup", "SetDesiredCapacity", "UpdateAutoScalingGroup",
            "CreateAutoScalingGroup", "CompleteLifecycleAction", "RecordLifecycleActionHeartbeat", "PutLifecycleHook", "CreateOrUpdateTags",
            "CreateLaunchTemplateVersion", "CreateLaunchTemplate", "CreateTags", "DeleteTags", "AssociateAddress", "DisassociateAddress");

    @org.junit.jupiter.api.BeforeAll
    static void crds() {
        io.autoheal.testing.Kubectl.run("apply", "--server-side", "--force-conflicts", "-f",
                io.autoheal.testing.Sandbox.root().resolve("crds").toString());
        io.autoheal.testing.Kubectl.awaitCrdsEstablished();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Moto.clearFaults();
        try (OperatorProcess cleaner = OperatorProcess.start("fence-cleanup", Map.of("AUTOHEAL_WATCH_NAMESPACES", ns.name()))) {
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
    }

    // Not yet a test of the fence: fabric8 7.5's elector exits as soon as it reads another holder (one retry period), so
    // this scenario never leaves the window the fence closes (run 2026-12-07: "op-old lost Lease ..., exiting" 0.3 s after
    // the steal). To do: freeze the leader (OperatorProcess.freeze) past its renew deadline, steal the Lease and stop a
    // machine while it is frozen, thaw it and count the writes that reach moto.
    @org.junit.jupiter.api.Disabled("scenario does not open the fencing window yet, see comment")
    @Test
    void aLeaderWhoseLeaseWasTakenMakesNoAwsWrite() throws Exception {
        Moto.reset();
        Moto.clearFaults();
        try (OperatorProcess leader = OperatorProcess.start("fenced", Map.of(
                "AUTOHEAL_WATCH_NAMESPACES", ns.name(),
                "AUTOHEAL_EVENTS_QUEUE_URL", "",
                "AUTOHEAL_LEADER_ELECTION_ENABLED", "true",
                "AUTOHEAL_LEADER_ELECTION_IDENTITY", "op-old",
                "AUTOHEAL_LEADER_ELECTION_LEASE_NAME", LEASE,
                "AUTOHEAL_LEADER_ELECTION_LEASE_NAMESPACE", ns.name(),
                "AUTOHEAL_LEADER_ELECTION_LEASE_DURATION", "110s",
                "AUTOHEAL_LEADER_ELECTION_RENEW_DEADLINE", "100s",
                "AUTOHEAL_LEADER_ELECTION_RETRY_PERIOD", "2s"))) {
            ns.apply(ClusterManifest.named("held").capacity(1, 1, 2).toYaml());
            await().ignoreExceptions().atMost(Duration.ofSeconds(360)).untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "held", "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True"));
            String victim = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "held")))
                    .autoScalingGroups().get(0).instances().get(0).instanceId();

            // Another replica holds the Lease now; the old leader's elector cannot renew, but gives up only after 100 s.
            String renewTime = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
            ns.kubectl("patch", "lease", LEASE, "--type=merge", "-p", """
                    {"spec": {"holderIdentity": "op-new", "renewTime": "%s", "leaseDurationSeconds": 600}}""".formatted(renewTime));
            WRITES.forEach(w -> Moto.injectFault(w, "FencingBreached", 400, -1)); // a write that arrives is counted, and does nothing
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(leader.log())
                    .as("the old leader read its Lease (every second)").contains("the Lease is now held by op-new"));

            Moto.ec2().stopInstances(b -> b.instanceIds(victim));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(leader.log())
                    .as("the old leader decided to act and its fence refused").contains("not sent: the Lease is held by op-new"));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "held", "-o",
                    "jsonpath={.status.conditions[*].reason}")).contains("Fenced"));
            Thread.sleep(6000); // several more of its passes (2 s resync)

            assertThat(leader.alive()).as("the old leader still runs: the window the fence closes").isTrue();
            assertThat(WRITES.stream().mapToInt(Moto::faultHits).sum()).as("AWS writes that reached moto").isZero();
            assertThat(Moto.ec2().describeInstances(b -> b.instanceIds(victim)).reservations().get(0).instances().get(0).state().nameAsString())
                    .as("not terminated by the old leader").isEqualTo("stopped");
        }
    }
}
