package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Whether a pass that acted may leave its next step to the events its action causes. */
class ClusterWakeupsTest {
    @Test
    void eventDrivenOnlyWhileTheSourceRunsAndTheConsumerReceives() {
        ClusterWakeups wakeups = new ClusterWakeups();
        AtomicBoolean receiving = new AtomicBoolean(true);
        assertThat(wakeups.eventDriven()).as("no consumer (no queue configured)").isFalse();
        wakeups.fedBy(receiving::get);
        assertThat(wakeups.eventDriven()).as("operator not started: nothing would be woken").isFalse();
        wakeups.source().start();
        assertThat(wakeups.eventDriven()).isTrue();
        receiving.set(false);
        assertThat(wakeups.eventDriven()).as("SQS outage: back to the look 3 s after an action").isFalse();
        receiving.set(true);
        assertThat(wakeups.eventDriven()).isTrue();
        wakeups.source().stop();
        assertThat(wakeups.eventDriven()).isFalse();
    }
}
