package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.bootstrap.TestBootstrapper.Answer;
import io.autoheal.bootstrap.TestBootstrapper.Job;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Groups;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.OperatorProcess;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.TestNamespace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blast radius of one, with the packaged operator in its own JVM with the Deployment's memory (deploy/base's JAVA_OPTS,
 * ExitOnOutOfMemoryError included, and -XX:MaxRAM set to the container's memory limit, so the heap is what it is in the
 * pod): one cluster's bootstrapper answers every request with a body that never ends, another cluster's discovery
 * template never ends. Before the limits, this input grew the operator by gigabytes within a minute and
 * ExitOnOutOfMemoryError turned that into a crash loop. Now the same JVM stays up, its resident memory stays under the
 * container's limit, both clusters say what limit they hit, and a third cluster heals a stopped machine meanwhile.
 */
class OutsideInputHeapIT {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String RUNAWAY = "{#for i in 100000}{#for j in 100000}x{/for}{/for}";
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("heap");

    @BeforeAll
    static void crds() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try (OperatorProcess cleaner = OperatorProcess.start("heap-cleanup", Map.of("AUTOHEAL_WATCH_NAMESPACES", ns.name()))) {
            ns.kubectl("delete", "healingclusters", "--all", "--timeout=120s");
        }
    }

    /** The Deployment's container: its JAVA_OPTS, and its memory limit as the JVM's physical memory. */
    record Deployment(List<String> javaOpts, String memoryLimit) {
        static Deployment read() throws IOException {
            JsonNode container = new YAMLMapper().readTree(Sandbox.root().resolve("deploy/base/deployment.yaml").toFile())
                    .at("/spec/template/spec/containers/0");
            String opts = null;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("JAVA_OPTS")) {
                    opts = env.path("value").asText();
                }
            }
            assertThat(opts).as("deploy/base/deployment.yaml sets JAVA_OPTS").isNotBlank();
            String limit = container.at("/resources/limits/memory").asText();
            assertThat(limit).as("the container's memory limit, in Mi").matches("[0-9]+Mi");
            return new Deployment(Arrays.asList(opts.trim().split("\\s+")), limit);
        }

        long limitBytes() {
            return Long.parseLong(memoryLimit.replace("Mi", "")) << 20;
        }

        List<String> jvmOptions() {
            List<String> all = new ArrayList<>(javaOpts);
            all.add("-XX:MaxRAM=" + (limitBytes() >> 20) + "m"); // what the container's cgroup limit tells the JVM
            return all;
        }
    }

    String jsonpath(String cluster, String path) {
        return ns.kubectl("get", "hc", cluster, "-o", "jsonpath={" + path + "}");
    }

    @Test
    void anEndlessAnswerAndAnEndlessTemplateCostOnlyTheirClusters() throws Exception {
        Moto.reset();
        Moto.clearFaults();
        Deployment deployment = Deployment.read();
        assertThat(deployment.javaOpts()).contains("-XX:+ExitOnOutOfMemoryError"); // a heap exhaustion would end the process
        try (TestBootstrapper endless = TestBootstrapper.start();
             OperatorProcess operator = OperatorProcess.start("heap", Map.of("AUTOHEAL_WATCH_NAMESPACES", ns.name(),
                     "AUTOHEAL_EVENTS_QUEUE_URL", ""), deployment.jvmOptions())) {
            // every trigger and every status request answers 200 and then a body without end
            endless.onTrigger(Collections.nCopies(3, Answer.endless()).toArray(Answer[]::new));
            endless.script(post -> Job.of(Answer.endless()));
            List<Long> rss = Collections.synchronizedList(new ArrayList<>());
            AtomicLong peak = new AtomicLong();
            Runnable sample = () -> {
                try {
                    long now = operator.residentBytes();
                    rss.add(now);
                    peak.accumulateAndGet(now, Math::max);
                } catch (IOException e) {
                    throw new IllegalStateException("operator process gone", e);
                }
            };
            long pid = operator.pid();

            ns.apply(ClusterManifest.named("healthy").capacity(1, 1, 2).toYaml());
            ns.apply(ClusterManifest.named("boot").capacity(1, 1, 1).bootstrapHttp(endless.url(), endless.statusUrl()).toYaml());
            ns.apply("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: runaway-template}
                    data:
                      t: '%s'
                    """.formatted(RUNAWAY));
            ns.apply(ClusterManifest.named("runaway").capacity(1, 1, 1).discovery(80).toYaml().replace(
                    "  discovery: {ports: [{name: http, port: 80}]}",
                    "  discovery: {ports: [{name: http, port: 80}], membersConfigMap: true, template: {configMapName: runaway-template, key: t}}"));

            await().ignoreExceptions().failFast("the operator process ended (ExitOnOutOfMemoryError?)", () -> !operator.alive())
                    .atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                sample.run();
                assertThat(jsonpath("healthy", ".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("True");
            });
            String victim = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(Groups.name(ns, "healthy")))
                    .autoScalingGroups().get(0).instances().get(0).instanceId();
            Moto.ec2().stopInstances(b -> b.instanceIds(victim));

            await().ignoreExceptions().failFast("the operator process ended (ExitOnOutOfMemoryError?)", () -> !operator.alive())
                    .atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                sample.run();
                // the bootstrapper's answers stop at 64 KiB: the machine's row and a condition say so
                assertThat(jsonpath("boot", ".status.instances[0].bootstrap.lastFailure")).isEqualTo("AnswerTooLarge");
                assertThat(jsonpath("boot", ".status.instances[0].bootstrap.message")).contains("64 KiB");
                assertThat(jsonpath("boot", ".status.conditions[?(@.type==\"Bootstrapped\")].reason")).isEqualTo("BootstrapAnswerTooLarge");
                assertThat(jsonpath("boot", ".status.conditions[?(@.type==\"Bootstrapped\")].message")).contains("64 KiB");
                // the template stops at its step or time limit; the condition names it
                assertThat(jsonpath("runaway", ".status.conditions[?(@.type==\"DiscoveryPublished\")].reason")).isEqualTo("TemplateRenderFailed");
                assertThat(jsonpath("runaway", ".status.conditions[?(@.type==\"DiscoveryPublished\")].message")).containsPattern(
                        "exceeds the (limit of 100000 steps|time limit of 2000 ms)");
                // and the third cluster replaced its stopped machine
                assertThat(jsonpath("healthy", ".status.recentRemediations[*].instanceId")).contains(victim);
                List<String> members = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(Groups.name(ns, "healthy")))
                        .autoScalingGroups().get(0).instances().stream().map(i -> i.instanceId()).toList();
                assertThat(members).hasSize(1).doesNotContain(victim);
            });
            // a few more passes against the same input, still sampled
            for (int i = 0; i < 10; i++) {
                sample.run();
                Thread.sleep(1000);
            }

            assertThat(operator.alive()).as("the operator still runs").isTrue();
            assertThat(operator.pid()).as("the same process, never restarted").isEqualTo(pid);
            assertThat(operator.log()).doesNotContain("OutOfMemoryError");
            assertThat(endless.endlessBytesWritten()).as("the bootstrapper did stream").isGreaterThan(64 * 1024);
            assertThat(peak.get()).as("peak resident memory (samples %s MiB) under the container's limit of %s", rss.stream().map(b -> b >> 20).toList(),
                    deployment.memoryLimit()).isLessThan(deployment.limitBytes());
            System.out.printf("OutsideInputHeapIT: peak RSS %d MiB over %d samples (limit %s); bootstrapper streamed %d KiB%n", peak.get() >> 20,
                    rss.size(), deployment.memoryLimit(), endless.endlessBytesWritten() >> 10);
        }
    }
}
