package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AWS refusing to launch (moto's launch fault, sandbox/moto/autoheal_moto_launches.py, with AWS's own messages): the
 * pass that asked for the machine shows LaunchFailing with AWS's message, one Warning Event per cause, the failure
 * counted once per failed launch; it clears when launches succeed again.
 */
@SandboxTest
class LaunchFailingTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("launch-failing").freshAws().clearFaults().deleteAfterEach("healingclusters");

    @TestHTTPResource("/q/metrics")
    URL metrics;

    String get(String name, String jsonpath) {
        return ns.kubectl("get", "hc", name, "-o", "jsonpath={" + jsonpath + "}");
    }

    String condition(String name, String field) {
        return get(name, ".status.conditions[?(@.type==\"LaunchFailing\")]." + field);
    }

    /** A field of the LaunchFailing Events in the namespace (space-separated, one per Event). */
    String launchEvents(String field) {
        return ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.reason==\"LaunchFailing\")]." + field + "}");
    }

    /** The sum of a metric's series whose labels contain every given text, from the operator's /q/metrics. */
    double metric(String name, String... labels) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics.toURI()).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + "{")).filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    double failures(String reason) throws Exception {
        return metric("autoheal_launch_failures_total", "namespace=\"" + ns.name() + "\"", "reason=\"" + reason + "\"");
    }

    double passes() throws Exception {
        return metric("autoheal_reconciliations_total", "controller=\"healingcluster\"");
    }

    @Test
    void aRefusedLaunchIsExplainedWithAwsMessageInThePassThatAskedForItAndClearsWhenLaunchesSucceed() throws Exception {
        String group = io.autoheal.testing.Groups.name(ns, "calls");
        ns.apply(ClusterManifest.named("calls").capacity(1, 1, 3).toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(get("calls", ".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("True");
            assertThat(condition("calls", "status")).isEqualTo("False");
        });
        assertThat(failures("insufficient_instance_capacity")).isZero();

        Moto.failLaunches(group, "insufficient-capacity");
        ns.kubectl("patch", "hc", "calls", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":2}}}");
        String generation = get("calls", ".metadata.generation");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(get("calls", ".status.observedGeneration")).isEqualTo(generation));
        // the first status written for the new size already says why: the same pass asked for the machine and read the refusal
        assertThat(condition("calls", "status")).isEqualTo("True");
        assertThat(condition("calls", "reason")).isEqualTo("InsufficientInstanceCapacity");
        assertThat(condition("calls", "message")).startsWith("We currently do not have sufficient ")
                .contains("capacity in the Availability Zone you requested").endsWith("Launching EC2 instance failed.");
        assertThat(failures("insufficient_instance_capacity")).isEqualTo(1);
        assertThat(launchEvents("type")).isEqualTo("Warning");
        assertThat(launchEvents("note")).contains(group).contains("We currently do not have sufficient");

        // two more refused launches of the same cause (3 desired, 1 in the group): each counted once, no second Event;
        // later passes count nothing
        ns.kubectl("patch", "hc", "calls", "--type=merge", "-p", "{\"spec\":{\"capacity\":{\"desired\":3}}}");
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(failures("insufficient_instance_capacity")).isEqualTo(3));
        double seen = passes();
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> assertThat(passes()).isGreaterThanOrEqualTo(seen + 2));
        assertThat(failures("insufficient_instance_capacity")).as("once per failed launch, not per pass").isEqualTo(3);
        assertThat(launchEvents("metadata.name").split(" ")).as("one Event per distinct cause").hasSize(1);
        assertThat(launchEvents("series.count")).as("never repeated").isEmpty();
        assertThat(condition("calls", "status")).isEqualTo("True");

        Moto.allowLaunches(group);
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("calls", "status")).isEqualTo("False");
            assertThat(condition("calls", "reason")).isEqualTo("LaunchesSucceeding");
            assertThat(get("calls", ".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("True");
        });
        assertThat(failures("insufficient_instance_capacity")).isEqualTo(3);
    }
}
