package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing, with the packaged operator and leader election on against the sandbox: the leader's Lease renewals start to
 * fail (a ValidatingAdmissionPolicy refuses its updates of the Lease, as an API server it cannot reach would). fabric8's
 * elector keeps trying until its renew deadline and gives up only at its next retry after that, so for up to one retry
 * period past the deadline the old leader still runs and reconciles — the window in which another replica may take
 * the Lease. A machine stopped in that window is seen and its replacement decided, but the fence refuses the writes:
 * moto fails and counts every write call it receives, and none arrives. The replica exits; started again (as
 * Kubernetes restarts it), it holds the Lease again and the writes resume: the machine is replaced.
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
        allowRenewals();
        Moto.clearFaults();
        try (OperatorProcess cleaner = OperatorProcess.start("fence-cleanup", Map.of("AUTOHEAL_WATCH_NAMESPACES", ns.name()))) {
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
    }

    static final java.time.Duration RENEW_DEADLINE = java.time.Duration.ofSeconds(16);
    static final String POLICY = "autoheal-test-deny-lease-renewal";

    static Map<String, String> leaderEnv() {
        return Map.of(
                "AUTOHEAL_WATCH_NAMESPACES", ns.name(),
                "AUTOHEAL_EVENTS_QUEUE_URL", "",
                "AUTOHEAL_LEADER_ELECTION_ENABLED", "true",
                "AUTOHEAL_LEADER_ELECTION_IDENTITY", "op-old",
                "AUTOHEAL_LEADER_ELECTION_LEASE_NAME", LEASE,
                "AUTOHEAL_LEADER_ELECTION_LEASE_NAMESPACE", ns.name(),
                "AUTOHEAL_LEADER_ELECTION_LEASE_DURATION", "40s",
                "AUTOHEAL_LEADER_ELECTION_RENEW_DEADLINE", RENEW_DEADLINE.toSeconds() + "s",
                // the elector retries every 7 s and gives up at its first retry after the deadline (at 21 s): 5 s in
                // which the fence alone holds (fabric8 needs renew deadline > 2.2 x retry period)
                "AUTOHEAL_LEADER_ELECTION_RETRY_PERIOD", "7s");
    }

    /** From now on the API server refuses every update of the Lease (the leader's renewals fail; reads still work). */
    static void refuseRenewals() throws InterruptedException {
        Kubectl.Result r = Kubectl.exec("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: POLICY}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [coordination.k8s.io]
                        apiVersions: ["*"]
                        operations: [UPDATE]
                        resources: [leases]
                  validations:
                    - expression: "object.metadata.name != 'LEASE'"
                      message: "a test refuses renewals of LEASE (scripted failure)"
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
                """.replace("POLICY", POLICY).replace("LEASE", LEASE).replace("NAMESPACE", ns.name()), "apply", "-f", "-");
        assertThat(r.ok()).as("policy created: %s", r.output()).isTrue();
        // the API server loads a new policy asynchronously: probe until an update of the Lease is refused
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Kubectl.Result probe = Kubectl.exec(null, "-n", ns.name(), "annotate", "lease", LEASE, "autoheal-test/probe=" + System.nanoTime(), "--overwrite");
            return !probe.ok() && probe.output().contains("scripted failure");
        });
    }

    static void allowRenewals() {
        Kubectl.exec(null, "delete", "validatingadmissionpolicybinding", POLICY, "--ignore-not-found");
        Kubectl.exec(null, "delete", "validatingadmissionpolicy", POLICY, "--ignore-not-found");
    }

    static String state(String instanceId) {
        return Moto.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
    }

    @Test
    void aLeaderPastItsRenewDeadlineMakesNoAwsWriteAndWritesResumeOnceItHoldsTheLeaseAgain() throws Exception {
        Moto.reset();
        Moto.clearFaults();
        String victim;
        try (OperatorProcess leader = OperatorProcess.start("fenced", leaderEnv())) {
            ns.apply(ClusterManifest.named("held").capacity(1, 1, 2).toYaml());
            await().ignoreExceptions().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(ns.kubectl("get", "hc", "held", "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True"));
            victim = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, "held")))
                    .autoScalingGroups().get(0).instances().get(0).instanceId();

            refuseRenewals();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(leader.log())
                    .as("the elector's renewal was refused").contains("Exception occurred while acquiring lock"));
            // its last renewal is the one in the Lease now: the fence closes RENEW_DEADLINE after it
            Instant renewed = Instant.parse(ns.kubectl("get", "lease", LEASE, "-o", "jsonpath={.spec.renewTime}"));
            WRITES.forEach(w -> Moto.injectFault(w, "FencingBreached", 400, -1)); // a write that arrives is counted, and does nothing
            long wait = Duration.between(Instant.now(), renewed.plus(RENEW_DEADLINE).plusMillis(300)).toMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            assertThat(leader.alive()).as("the old leader still runs, past its renew deadline").isTrue();
            Moto.ec2().stopInstances(b -> b.instanceIds(victim));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(leader.log())
                    .as("the old leader decided to replace the machine and its fence refused").contains("not sent: the Lease was last renewed"));
            assertThat(leader.waitForExit(Duration.ofSeconds(30))).as("it gives up the Lease and exits").hasValue(1);
            assertThat(leader.log()).contains("lost Lease");
            assertThat(WRITES.stream().mapToInt(Moto::faultHits).sum()).as("AWS writes that reached moto").isZero();
            assertThat(state(victim)).as("not terminated by the fenced leader").isEqualTo("stopped");
        }

        allowRenewals();
        Moto.clearFaults();
        try (OperatorProcess again = OperatorProcess.start("fenced-again", leaderEnv())) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
                assertThat(again.log()).contains("acquired Lease");
                assertThat(state(victim)).as("replaced once it holds the Lease again").isIn("shutting-down", "terminated");
                assertThat(ns.kubectl("get", "hc", "held", "-o", "jsonpath={.status.recentRemediations[*].instanceId}")).contains(victim);
            });
        }
    }
}
