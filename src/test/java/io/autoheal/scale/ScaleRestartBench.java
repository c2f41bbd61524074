package io.autoheal.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.SandboxTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The restart of {@link ScaleBench}: a second operator application ({@link ScaleProfile.Restarted}) over the fleet and
 * custom resources the first one left, AWS as it was. Restart → steady: from the application's start until it has
 * passed over every cluster, plus one resync; its AWS writes (0 expected: every machine is fine) and API writes.
 * Writes target/bench/scale.md and the scale block of docs/performance.md (for the default 1,000 clusters).
 */
@SandboxTest
@TestProfile(ScaleProfile.Restarted.class)
class ScaleRestartBench {
    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void restartToSteadyState() throws Exception {
        ScaleReport.HandOver before = ScaleReport.taken();
        assertThat(before).as("ScaleBench ran first in this JVM and left its fleet (-Dit.test=ScaleBench,ScaleRestartBench)").isNotNull();
        Instant started = StartupInstant.latest();
        StandInRegion region = StandInRegion.current();
        assertThat(region.loadedAt).as("the new operator's AWS is the region the first one left").isNotNull();
        ScaleRun run = new ScaleRun(client, registry, before.namespace(), before.clusters(), ScaleBench.RESYNC, Duration.ofMinutes(5),
                line -> ScaleReport.say(started, "%s", line));
        ScaleResult.Restart restart = run.restart(started, before.apiAtSave(), Duration.ofMinutes(5));
        String row = ScaleResult.restartRow(restart);
        System.out.print(row);
        try {
            ScaleReport.write(before, row, "API requests from the first operator's exit to the second one's steady state: "
                    + restart.requests() + "; AWS writes: " + restart.awsWrites() + ".\n", before.clusters() == 1000);
        } finally {
            run.deleteNamespace(Duration.ofMinutes(3));
            region.stop();
        }
    }
}
