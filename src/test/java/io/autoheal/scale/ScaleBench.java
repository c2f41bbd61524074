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
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 27, part 3, in {@code make bench}: a thousand clusters through the real operator. The operator of this JVM
 * ({@link ScaleProfile}: the product's defaults, resync 30 s, AWS in memory behind the ports) against the sandbox's
 * kube-apiserver: 1,000 HealingClusters × 10 machines and 100 ElasticIpPools created at once; cold start to every
 * cluster Ready, reconciles, heap and RSS, API requests and writes over 2 resyncs at rest, then event → action for 10
 * stopped machines. It leaves the fleet to {@link ScaleRestartBench} (the restart; Quarkus orders test classes by
 * profile, so that one runs after this one), which writes the report. Its name matches neither surefire's nor
 * failsafe's includes: only {@code -Dit.test=...ScaleBench} runs it. -Dbench.scale.clusters for another size.
 */
@SandboxTest
@TestProfile(ScaleProfile.class)
@QuarkusTestResource(value = ScaleFleetResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "clusters", value = "1000"))
class ScaleBench {
    static final Duration RESYNC = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void aThousandClustersThroughTheRealOperator() throws Exception {
        ScaleFleetResource.Fleet fleet = ScaleFleetResource.fleet();
        int clusters = fleet.clusters();
        Instant begun = StartupInstant.latest();
        String loadAtStart = ScaleReport.load();
        ScaleReport.say(begun, "%d clusters x %d machines, %d pools existed before the operator started; load %s", clusters,
                ScaleRun.MACHINES, (clusters + ScaleRun.CLUSTERS_PER_POOL - 1) / ScaleRun.CLUSTERS_PER_POOL, loadAtStart);
        ScaleRun run = new ScaleRun(client, registry, fleet.namespace(), clusters, RESYNC, Duration.ofMinutes(10),
                line -> ScaleReport.say(begun, "%s", line));
        ScaleResult.ColdStart cold = run.coldStart(begun, fleet.creating());
        assertThat(cold.allReady()).as("every cluster Ready within 10 minutes (else nothing more can be measured)").isTrue();
        String loadAfterCold = ScaleReport.load();
        ScaleResult.AtRest rest = run.atRest(2);
        ScaleResult.EventToAction events = run.eventToAction(10, false);
        assertThat(run.awaitAllReady(Duration.ofMinutes(3))).as("the stopped machines' clusters Ready again").isTrue();
        String apiAtSave = io.autoheal.testing.ApiServerMetrics.scrape();
        StandInRegion.current().saveForRestart();
        String rows = ScaleResult.verdicts(cold, rest, events, null);
        System.out.print(rows);
        ScaleReport.handOver(run.namespace(), clusters, apiAtSave,
                ScaleReport.header(begun, loadAtStart, loadAfterCold, ScaleReport.load()), rows,
                "API requests at rest, by verb and resource (" + rest.rounds() + " resyncs of 30 s, after one to settle; "
                        + "requests of the sandbox's own kube-apiserver and kube-controller-manager included, writes of "
                        + "the operator's resources counted for the verdict):\n\n" + ScaleResult.requestTable(rest)
                        + "\nAWS writes while the fleet became Ready: " + cold.awsWrites() + "; at rest: " + rest.awsWrites() + ".\n");
    }
}
