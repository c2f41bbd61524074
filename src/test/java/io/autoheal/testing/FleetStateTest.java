package io.autoheal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The scale harness's restart hands AWS to a second operator through {@link FleetState}: what comes back is what went. */
@Tag("fast")
class FleetStateTest {
    @Test
    void aRegionReadBackIsTheRegionThatWasSaved() {
        FastOperator op = new FastOperator();
        HealingCluster hc = ClusterManifest.named("saved").capacity(3, 3, 4).subnets(2).toResource("ns");
        op.clusters.add(hc);
        op.run(4, Duration.ofSeconds(10));
        String asg = hc.getStatus().asgName;
        String someone = op.fleet.addAddress(Map.of("team", "voip"));
        op.fleet.associate(io.autoheal.fleet.AwsScope.own("us-east-1"), someone, op.fleet.serving(asg).get(0), "ns/saved");
        op.fleet.stop(op.fleet.serving(asg).get(1));
        String saved = FleetState.save(op.fleet, op.templates);

        InMemoryFleet fleet = new InMemoryFleet(op.clock);
        InMemoryTemplates templates = new InMemoryTemplates();
        FleetState.load(saved, fleet, templates);

        assertThat(FleetState.save(fleet, templates)).isEqualTo(saved);
        assertThat(fleet.group(asg)).isEqualTo(op.fleet.group(asg));
        assertThat(fleet.observeCluster(io.autoheal.fleet.AwsScope.own("us-east-1"), asg, false)).isEqualTo(op.fleet.observeCluster(io.autoheal.fleet.AwsScope.own("us-east-1"), asg, false));
        assertThat(fleet.holderOf(someone)).isEqualTo(op.fleet.serving(asg).get(0));
        assertThat(saved).contains("\"stopped\"", someone, "lt-");
        fleet.step(); // the next machine gets a new id, never one of the saved
        assertThat(fleet.serving(asg)).hasSize(3);
    }
}
