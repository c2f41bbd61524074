package io.autoheal.cloud.aws;

import io.autoheal.fleet.EventQueue;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The event queue port over SQS; closing it closes its client. */
public final class SqsEventQueue implements EventQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public String url() {
        return queueUrl;
    }

    @Override
    public List<Message> receive(int maxMessages, int waitSeconds) {
        return AwsFailures.call(() -> sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(maxMessages)
                .waitTimeSeconds(waitSeconds).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .attributeNamesWithStrings("ApproximateReceiveCount")) // the older name too: endpoints that know only it
                .messages().stream().map(m -> new Message(m.messageId(), m.receiptHandle(), m.body(), receiveCount(m))).toList());
    }

    @Override
    public List<String> delete(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (Message m : messages) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size())).receiptHandle(m.receiptHandle()).build());
        }
        DeleteMessageBatchResponse r = AwsFailures.call(() -> sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)));
        return r.hasFailed() ? r.failed().stream().map(f -> String.valueOf(f.message())).toList() : List.of();
    }

    private static int receiveCount(software.amazon.awssdk.services.sqs.model.Message m) {
        String n = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        if (n == null) {
            n = m.attributesAsStrings().get("ApproximateReceiveCount");
        }
        try {
            return n == null ? 1 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    @Override
    public java.util.Map<String, String> tags() {
        return AwsFailures.call(() -> sqs.listQueueTags(b -> b.queueUrl(queueUrl)).tags());
    }

    @Override
    public long waiting() {
        String n = AwsFailures.call(() -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        return n == null ? 0 : Long.parseLong(n);
    }

    @Override
    public void close() {
        sqs.close();
    }
}
