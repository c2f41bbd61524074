package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SecondApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

/**
 * Two installations in one AWS account (one moto), as staging and production: two packaged operators, each against its
 * own Kubernetes API server (the sandbox's, and a second kube-apiserver with its own etcd keyspace), installation ids
 * "staging" and "production", each with a HealingCluster of the SAME namespace/name. Each creates its own group and
 * template (names and installation tags differ), and when a machine of each is stopped, each operator replaces only its
 * own machine, which gets its predecessor's address from its own installation's pool (also of the same namespace/name);
 * neither retags, versions or resizes the other's group or template, nor counts, claims or moves the other's address.
 *
 * <p>Event queue off for both: one SQS queue is one operator's (each deletes what it reads), so two installations never
 * share one; healing here is found by the 2 s resync.
 */
class TwoInstallationsIT {
    static final Duration WAIT = Duration.ofSeconds(180);

    /** One installation: its id, its kubectl and the group it must own. */
    record Side(String installation, Function<String[], String> kubectl, String ns) {
        String group() {
            return ClusterNames.owned(installation, ns, "twin");
        }

        String kubectl(String... args) {
            return kubectl.apply(args);
        }

        String status(String field) {
            return kubectl("get", "hc", "twin", "-n", ns, "-o", "jsonpath={.status." + field + "}");
        }

        Map<String, String> env(Map<String, String> more) {
            Map<String, String> env = new java.util.HashMap<>(Map.of("AUTOHEAL_INSTALLATION_ID", installation, "HOSTNAME", installation,
                    "AUTOHEAL_WATCH_NAMESPACES", ns, "AUTOHEAL_EVENTS_QUEUE_URL", ""));
            env.putAll(more);
            return env;
        }
    }

    @Test
    void eachInstallationCreatesAndHealsOnlyItsOwnGroup() throws Exception {
        Moto.reset();
        String ns = "t-twins-" + UUID.randomUUID().toString().substring(0, 8);
        String cluster = Manifest.join(PoolManifest.named("ips").allocate(1),
                ClusterManifest.named("twin").capacity(1, 1, 2).maxUnhealthy("100%").poolRef("ips"));
        try (SecondApiServer second = SecondApiServer.start("production")) {
            Side staging = new Side("staging", Kubectl::run, ns);
            Side production = new Side("production", second::kubectl, ns);
            for (Side s : List.of(staging, production)) {
                s.kubectl("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> s.kubectl("wait",
                        "--for", "condition=established", "--timeout=30s", "crd/healingclusters.autoheal.io", "crd/elasticippools.autoheal.io", "crd/tenantpolicies.autoheal.io"));
                s.kubectl("create", "namespace", ns);
            }
            assertThat(Kubectl.exec(cluster, "apply", "-n", ns, "-f", "-").ok()).isTrue();
            assertThat(second.exec(cluster, "apply", "-n", ns, "-f", "-").ok()).isTrue();

            try (OperatorProcess a = OperatorProcess.start("staging", staging.env(Map.of()));
                 OperatorProcess b = OperatorProcess.start("production", production.env(Map.of("KUBECONFIG", second.kubeconfig().toString())))) {
                try {
                    Map<Side, String> machines = new java.util.LinkedHashMap<>();
                    Map<Side, Address> addresses = new java.util.LinkedHashMap<>();
                    for (Side s : List.of(staging, production)) {
                        // each cluster's status names its own installation's group, whose one machine holds the address
                        // its own pool allocated (of the same namespace/name as the other's) and claimed
                        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                            assertThat(s.status("asgName")).isEqualTo(s.group());
                            assertThat(inServiceIds(s.group())).hasSize(1);
                            assertThat(heldBy(inServiceIds(s.group()).iterator().next())).isNotNull();
                        });
                        machines.put(s, inServiceIds(s.group()).iterator().next());
                        addresses.put(s, heldBy(machines.get(s)));
                        assertThat(addressTag(addresses.get(s), Tags.INSTALLATION)).isEqualTo(s.installation());
                        assertThat(addressTag(addresses.get(s), Tags.CLAIMED_BY)).isEqualTo(s.installation() + "/" + ns + "/ips");
                        assertThat(tag(group(s.group()), Tags.CLUSTER)).isEqualTo(ns + "/twin");
                        assertThat(group(s.group()).launchTemplate().launchTemplateId()).isEqualTo(template(s.group()).launchTemplateId());
                    }
                    assertThat(staging.group()).isNotEqualTo(production.group());

                    Moto.ec2().stopInstances(r -> r.instanceIds(machines.values()));
                    // each replacement holds its own predecessor's address, still claimed by its own installation's pool
                    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> machines.forEach((s, stopped) -> {
                        assertThat(inServiceIds(s.group())).as(s.installation()).hasSize(1).doesNotContain(stopped);
                        Address held = heldBy(inServiceIds(s.group()).iterator().next());
                        assertThat(held.allocationId()).isEqualTo(addresses.get(s).allocationId());
                        assertThat(addressTag(held, Tags.CLAIMED_BY)).isEqualTo(s.installation() + "/" + ns + "/ips");
                    }));
                    assertThat(Moto.ec2().describeAddresses().addresses()).as("each pool allocated its one address, no more").hasSize(2);
                    for (Side s : List.of(staging, production)) {
                        String other = machines.get(s == staging ? production : staging);
                        assertThat(s.kubectl("get", "events", "-n", ns, "--field-selector", "reason=Remediated"))
                                .as(s.installation() + " replaced its own machine only").contains(machines.get(s)).doesNotContain(other);
                        // neither touched the other's group or template: tags, size and template version are each one's own
                        AutoScalingGroup group = group(s.group());
                        assertThat(tag(group, Tags.INSTALLATION)).isEqualTo(s.installation());
                        assertThat(group.desiredCapacity()).isEqualTo(1);
                        LaunchTemplate template = template(s.group());
                        assertThat(template.latestVersionNumber()).as("no version added by the other").isEqualTo(1L);
                        assertThat(template.tags()).anySatisfy(t -> assertThat(t.key() + "=" + t.value())
                                .isEqualTo(Tags.INSTALLATION + "=" + s.installation()));
                    }
                } finally {
                    // force: quick, and the operators are still there to take their finalizers off
                    for (Side s : List.of(staging, production)) {
                        s.kubectl("annotate", "hc", "twin", "-n", ns, DeletionPlanner.FORCE_ANNOTATION + "=true");
                        s.kubectl("delete", "hc", "twin", "-n", ns, "--timeout=60s");
                        s.kubectl("delete", "elasticippool", "ips", "-n", ns, "--timeout=60s");
                    }
                }
                assertThat(group(staging.group())).isNull();
                assertThat(group(production.group())).isNull();
            } finally {
                Kubectl.exec(null, "delete", "namespace", ns, "--wait=false");
            }
        }
    }

    static Set<String> inServiceIds(String group) {
        AutoScalingGroup g = group(group);
        return g == null ? Set.of() : g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(i -> i.instanceId()).collect(Collectors.toSet());
    }

    static AutoScalingGroup group(String name) {
        List<AutoScalingGroup> groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
        return groups.isEmpty() ? null : groups.get(0);
    }

    static String tag(AutoScalingGroup g, String key) {
        return g.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
    }

    /** The address on an instance, or null. */
    static Address heldBy(String instanceId) {
        return Moto.ec2().describeAddresses().addresses().stream().filter(a -> instanceId.equals(a.instanceId())).findFirst().orElse(null);
    }

    static String addressTag(Address a, String key) {
        return a.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
    }

    static LaunchTemplate template(String name) {
        return Moto.ec2().describeLaunchTemplates(b -> b.launchTemplateNames(name)).launchTemplates().get(0);
    }
}
