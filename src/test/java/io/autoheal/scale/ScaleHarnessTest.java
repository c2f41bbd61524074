package io.autoheal.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.SandboxTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The scale harness itself, small (20 clusters × 10 machines, 2 pools, resync 5 s), so that CI proves it works: the
 * real operator against the real API server with AWS in memory becomes Ready, writes nothing at rest (counted by the
 * API server and by the stand-in), and acts on a stopped machine's event within the goal. {@code make bench} runs the
 * same with 1,000 clusters ({@link ScaleBench}).
 */
@SandboxTest
@TestProfile(ScaleProfile.ShortResync.class)
@QuarkusTestResource(value = ScaleFleetResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "clusters", value = "20"))
class ScaleHarnessTest {
    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void twentyClustersBecomeReadyWriteNothingAtRestAndAStoppedMachineIsReplacedOnItsEvent() throws Exception {
        ScaleFleetResource.Fleet fleet = ScaleFleetResource.fleet();
        ScaleRun run = new ScaleRun(client, registry, fleet.namespace(), fleet.clusters(), Duration.ofSeconds(5), Duration.ofSeconds(60),
                line -> System.out.println("[scale] " + line));
        try {
            ScaleResult.ColdStart cold = run.coldStart(StartupInstant.latest(), fleet.creating());
            assertThat(cold.ready()).as("clusters Ready").isEqualTo(20);
            assertThat(fleet.clusters()).isEqualTo(20);
            assertThat(cold.awsWrites()).as("the fleet was built through the ports").isGreaterThan(0);
            ScaleResult.AtRest rest = run.atRest(2);
            assertThat(rest.apiRequests()).as("the window sees the operator's requests (informers' watches, at least)").isGreaterThanOrEqualTo(0);
            assertThat(rest.reconciles()).as("passes ran in the window").isGreaterThan(0);
            assertThat(rest.apiWrites()).as("API writes at rest: " + rest.requests()).isZero();
            assertThat(rest.totalAwsWrites()).as("AWS writes at rest: " + rest.awsWrites()).isZero();
            ScaleResult.EventToAction events = run.eventToAction(2);
            assertThat(events.worst()).as("every stop acted on").isNotNull();
            assertThat(events.worst()).as("acted on the event, not the resync (5 s)").isLessThan(Duration.ofSeconds(3));
            System.out.print(ScaleResult.verdicts(cold, rest, events, null));
        } finally {
            run.deleteNamespace(Duration.ofSeconds(60));
            StandInRegion.current().stop();
        }
    }
}
