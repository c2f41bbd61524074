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
 * API server and by the stand-in), and acts on a stopped machine's event, not on the resync. The operator watches the
 * fleet's namespace alone ({@link ScaleFleetResource}). {@code make bench} runs the same with 1,000 clusters
 * ({@link ScaleBench}), where the time goal (event → action < 2 s) is judged.
 */
@SandboxTest
@TestProfile(ScaleProfile.ShortResync.class)
@QuarkusTestResource(value = ScaleFleetResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "clusters", value = "20"))
class ScaleHarnessTest {
    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    io.autoheal.kube.EventRecorder recorder;

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
            // At rest begins when the cold start's Events are sent: they go in the background, and on a loaded machine
            // the senders are still posting them after every cluster is Ready (41 POST events in the window at load 20).
            long sending = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> recorder.pending() == 0);
            System.out.printf("[scale] the cold start's Events sent %d ms after every cluster was Ready%n", (System.nanoTime() - sending) / 1_000_000);
            ScaleResult.AtRest rest = run.atRest(2);
            assertThat(rest.apiRequests()).as("the window's scrapes count requests (the sandbox's lease renewals, at least): "
                    + "zero writes below is a measurement, not an empty parse").isGreaterThan(0);
            assertThat(rest.reconciles()).as("passes ran in the window").isGreaterThan(0);
            assertThat(rest.apiWrites()).as("API writes at rest: " + rest.requests()).isZero();
            assertThat(rest.totalAwsWrites()).as("AWS writes at rest: " + rest.awsWrites()).isZero();
            assertThat(StandInRegion.current().firstObserved().keySet()).as("the operator passed over the fleet's clusters alone (it watches "
                    + fleet.namespace() + " only)").hasSize(20).allMatch(asg -> asg.contains("_" + fleet.namespace() + "_"));
            // Each stop right after a pass over its cluster: that cluster's next resync is at least 4 s away (5 s spread
            // ±20 %), so an action within 3 s of that pass came from the event, which reached the event sink first.
            ScaleResult.EventToAction events = run.eventToAction(2, true);
            assertThat(events.worst()).as("every stop acted on").isNotNull();
            assertThat(events.eventPlacedFirst()).as("the stop's event reached the operator's event sink before the action").containsOnly(true);
            assertThat(events.worstSincePassBefore()).as("acted on the event, not the resync: within 3 s of the pass before the stop")
                    .isNotNull().isLessThan(Duration.ofSeconds(3));
            System.out.print(ScaleResult.verdicts(cold, rest, events, null));
        } finally {
            run.deleteNamespace(Duration.ofSeconds(60));
            StandInRegion.current().stop();
        }
    }
}
