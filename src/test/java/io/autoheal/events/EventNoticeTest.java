package io.autoheal.events;

import static io.autoheal.events.FleetEventParserTest.INSTANCE_ARN;
import static io.autoheal.events.FleetEventParserTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cluster.healing.Verdict;
import org.junit.jupiter.api.Test;

/** Which AWS announcements ask healing to act ahead of AWS, and as what (the parser's real-shaped bodies). */
class EventNoticeTest {
    static FleetEvent ec2(String detailType, String detail) {
        return FleetEventParser.parse(event("aws.ec2", detailType, INSTANCE_ARN, detail));
    }

    @Test
    void spotWarningsAndRebalanceAdviceBecomeNoticesAStateChangeDoesNot() {
        assertThat(InventoryEventSink.notice(ec2("EC2 Spot Instance Interruption Warning",
                "{\"instance-id\": \"i-1\", \"instance-action\": \"terminate\"}"))).contains(Verdict.Reason.SpotInterruption);
        assertThat(InventoryEventSink.notice(ec2("EC2 Instance Rebalance Recommendation", "{\"instance-id\": \"i-1\"}")))
                .contains(Verdict.Reason.RebalanceRecommended);
        assertThat(InventoryEventSink.notice(ec2("EC2 Instance State-change Notification",
                "{\"instance-id\": \"i-1\", \"state\": \"stopped\"}"))).isEmpty();
        assertThat(InventoryEventSink.notice(new FleetEvent.Malformed("not JSON"))).isEmpty();
    }
}
