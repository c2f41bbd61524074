package io.autoheal.cloud.aws;

import io.autoheal.config.OperatorConfig;
import io.autoheal.fleet.EventQueue;
import io.autoheal.fleet.EventQueues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Opens the event queue with its own SQS client (EventQueueClient), measured like the other AWS clients. */
@ApplicationScoped
public class SqsEventQueues implements EventQueues {
    private final OperatorConfig config;
    private final AwsRequestMetrics requests;
    private final AwsAttemptMetrics attempts;

    public SqsEventQueues(OperatorConfig config, AwsRequestMetrics requests, AwsAttemptMetrics attempts) {
        this.config = config;
        this.requests = requests;
        this.attempts = attempts;
    }

    @Override
    public EventQueue open(String queueUrl) {
        String region = EventQueueClient.region(queueUrl, config.region());
        return new SqsEventQueue(EventQueueClient.build(region, config.aws().endpointOverride(), config.aws().maxAttempts(), List.of(requests),
                List.of(attempts.publisher("Sqs"))), queueUrl);
    }
}
