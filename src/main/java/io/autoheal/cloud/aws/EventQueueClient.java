package io.autoheal.cloud.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS client of the event queue. Its own HTTP client: a long poll holds the connection for up to 20 s, longer
 * than the socket timeout of the EC2/Auto Scaling clients allows, and a waiting poll must not take one of theirs.
 */
public final class EventQueueClient {
    /** Socket read and call deadline: a 20 s long poll plus the answer. */
    static final Duration LONG_POLL_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern SQS_HOST = Pattern.compile("^(?:sqs\\.)?([a-z]{2}(?:-[a-z]+)+-\\d+)\\.(?:queue\\.)?amazonaws\\.com(?:\\.cn)?$");

    private EventQueueClient() {
    }

    /**
     * The region of the queue: the one in its URL (sqs.REGION.amazonaws.com, or the legacy REGION.queue.amazonaws.com);
     * a URL without one (a sandbox, a VPC endpoint) is in {@code fallback}, the operator's region.
     */
    public static String region(String queueUrl, String fallback) {
        try {
            String host = URI.create(queueUrl).getHost();
            if (host != null) {
                Matcher m = SQS_HOST.matcher(host);
                if (m.matches()) {
                    return m.group(1);
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URL: the region cannot come from it
        }
        return fallback;
    }

    public static SqsClient build(String region, Optional<URI> endpointOverride, int maxAttempts, List<ExecutionInterceptor> interceptors,
                                  List<MetricPublisher> publishers) {
        var http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(LONG_POLL_DEADLINE);
        var b = SqsClient.builder().region(Region.of(region)).httpClientBuilder(http).overrideConfiguration(o -> {
            interceptors.forEach(o::addExecutionInterceptor);
            publishers.forEach(o::addMetricPublisher);
            o.retryStrategy(r -> r.maxAttempts(maxAttempts)).apiCallTimeout(LONG_POLL_DEADLINE.multipliedBy(Math.max(1, maxAttempts)));
        });
        endpointOverride.ifPresent(b::endpointOverride);
        return b.build();
    }
}
