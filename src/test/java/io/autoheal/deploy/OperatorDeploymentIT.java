package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * The packaged operator (target/quarkus-app) run as the deployed ServiceAccount — the RBAC of deploy/ is all it has —
 * with leader election on: it reconciles end to end, and of two replicas only the Lease holder acts; when it dies
 * the other takes over within the lease duration and does nothing twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorDeploymentIT {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("deploy-ha");
    @RegisterExtension
    static TestNamespace other = new TestNamespace("deploy-unwatched");
    static Path kubeconfig;

    @BeforeAll
    static void install() throws Exception {
        Deployed.install();
        kubeconfig = Deployed.serviceAccountKubeconfig();
    }

    static String cluster(String name, int desired) {
        return ClusterManifest.named(name).capacity(1, desired, 4).subnets(2).toYaml();
    }

    @Test
    @Order(1)
    void reconcilesEndToEndWithOnlyTheServiceAccountsPermissions() throws Exception {
        Deployed.deleteLease();
        String asg = io.autoheal.testing.Groups.name(ns, "sa");
        try (OperatorProcess op = Deployed.startOperator("op-sa", kubeconfig, Deployed.freePort(), ns.name())) {
            ns.apply(cluster("sa", 2));
            other.apply(cluster("elsewhere", 1));
            await().ignoreExceptions().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(ns.kubectl("get", "hc", "sa", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True"));
            assertThat(groups(asg)).hasSize(1);
            assertThat(groups(asg).get(0).desiredCapacity()).isEqualTo(2);
            assertThat(Deployed.leaseHolder()).isEqualTo("op-sa");
            ns.awaitEvent("AsgCreated");
            // AUTOHEAL_WATCH_NAMESPACES: a namespace that is not watched is left alone entirely
            assertThat(other.kubectl("get", "hc", "elsewhere", "-o", "jsonpath={.status}{.metadata.finalizers}")).isEmpty();
            assertThat(groups(io.autoheal.testing.Groups.name(other, "elsewhere"))).isEmpty();

            // Bootstrap credentials: no Secret access until a namespace admin grants it — a condition and an Event say so
            ns.apply(ClusterManifest.named("creds").capacity(0, 0, 1)
                    .bootstrapHttp("http://127.0.0.1:9/trigger", "http://127.0.0.1:9/status/{jobId}")
                    .credentials("bootstrapper-credentials", "not-logged").toYaml());
            String degradedReason = "jsonpath={.status.conditions[?(@.type==\"Degraded\")].reason}";
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(ns.kubectl("get", "hc", "creds", "-o", degradedReason)).isEqualTo("SecretForbidden"));
            assertThat(ns.kubectl("get", "hc", "creds", "-o", "jsonpath={.status.conditions[?(@.type==\"Degraded\")].message}"))
                    .contains("bootstrap-credentials-rolebinding.yaml");
            ns.awaitEvent("SecretForbidden");
            String binding = Files.readString(Sandbox.root().resolve("deploy/examples/bootstrap-credentials-rolebinding.yaml"))
                    .replace("namespace: voip", "namespace: " + ns.name());
            ns.apply(binding);
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(ns.kubectl("get", "hc", "creds", "-o", degradedReason)).isNotEqualTo("SecretForbidden"));
            assertThat(op.log()).doesNotContain("not-logged");

            // clean up while the operator still runs (the finalizer deletes the ASG)
            ns.kubectl("delete", "hc", "--all", "--timeout=90s");
            assertThat(groups(asg)).isEmpty();
            assertThat(op.log()).as("no request refused by RBAC, except the Secret read above")
                    .doesNotContainPattern("(?i)forbidden(?!.*secrets)");
        }
        other.kubectl("delete", "hc", "elsewhere", "--timeout=30s");
    }

    @Test
    @Order(2)
    void onlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItDies() throws Exception {
        Deployed.deleteLease();
        String asg = io.autoheal.testing.Groups.name(ns, "ha");
        int portB = Deployed.freePort();
        try (OperatorProcess a = Deployed.startOperator("op-a", kubeconfig, Deployed.freePort(), ns.name())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> "op-a".equals(Deployed.leaseHolder()));
            try (OperatorProcess b = Deployed.startOperator("op-b", kubeconfig, portB, ns.name())) {
                await().atMost(Duration.ofSeconds(90)).until(() -> b.log().contains("the leader is op-a"));
                // the follower is ready (informers synced) although it does not reconcile: rolling updates can proceed
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> ready(portB));

                ns.apply(cluster("ha", 1));
                await().ignoreExceptions().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                        assertThat(ns.kubectl("get", "hc", "ha", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True"));
                Thread.sleep(3000); // several resync periods (2s) on both processes
                assertThat(Deployed.leaseHolder()).isEqualTo("op-a");
                assertThat(b.log()).doesNotContain("Started event processing").doesNotContain("acquired Lease");
                assertThat(reportingInstances()).containsOnly("op-a");

                long killedAt = System.nanoTime();
                a.kill();
                await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(Deployed.LEASE_DURATION_SECONDS + 20))
                        .until(() -> "op-b".equals(Deployed.leaseHolder()));
                double takeover = (System.nanoTime() - killedAt) / 1e9;
                System.out.printf("failover: op-b holds the Lease %.1f s after op-a was killed (lease duration %d s)%n",
                        takeover, Deployed.LEASE_DURATION_SECONDS);
                assertThat(takeover).isLessThan(Deployed.LEASE_DURATION_SECONDS + 5.0);
                await().atMost(Duration.ofSeconds(30)).until(() -> b.log().contains("Started event processing"));

                // b now reconciles: nothing done twice ...
                Thread.sleep(5000);
                assertThat(groups(asg)).hasSize(1);
                assertThat(groups(asg).get(0).desiredCapacity()).isEqualTo(1);
                assertThat(Moto.ec2().describeLaunchTemplatesPaginator(r -> r.filters(f -> f.name("launch-template-name").values(asg)))
                        .launchTemplates().stream().toList()).hasSize(1);
                String created = ns.kubectl("get", "events.events.k8s.io", "-o",
                        "jsonpath={range .items[?(@.reason==\"AsgCreated\")]}{.regarding.name}/{.reportingInstance}/{.series.count};{end}");
                assertThat(List.of(created.split(";"))).filteredOn(e -> e.startsWith("ha/")).as("one AsgCreated, by op-a, no series")
                        .containsExactly("ha/op-a/");
                // ... and it acts on changes
                ns.kubectl("patch", "hc", "ha", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":2}}}");
                await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(groups(asg).get(0).desiredCapacity()).isEqualTo(2));
                // the Event follows the AWS call: wait for it rather than race it
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reportingInstances()).contains("op-b"));
                assertThat(b.log()).doesNotContainIgnoringCase("forbidden");

                // A leader that freezes (long GC, paused VM) and wakes after another took over must not act next to it.
                b.freeze();
                try (OperatorProcess c = Deployed.startOperator("op-c", kubeconfig, Deployed.freePort(), ns.name())) {
                    await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(Deployed.LEASE_DURATION_SECONDS + 60))
                            .until(() -> "op-c".equals(Deployed.leaseHolder()));
                    b.thaw();
                    assertThat(b.waitForExit(Duration.ofSeconds(30))).as("the stale leader exits").isPresent();
                    assertThat(b.log()).contains("op-b lost Lease");
                    ns.kubectl("patch", "hc", "ha", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":3}}}");
                    await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(groups(asg).get(0).desiredCapacity()).isEqualTo(3));
                    // the Event follows the AWS call: wait for it rather than race it
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reportingInstances()).contains("op-c"));
                    assertThat(groups(asg)).hasSize(1);
                    ns.kubectl("delete", "hc", "ha", "--timeout=90s");
                }
            }
        }
    }

    private static List<String> reportingInstances() {
        return List.of(ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.regarding.name==\"ha\")].reportingInstance}").trim().split("\\s+"))
                .stream().filter(s -> !s.isBlank()).distinct().toList();
    }

    private static boolean ready(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    private static List<AutoScalingGroup> groups(String name) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
    }
}
