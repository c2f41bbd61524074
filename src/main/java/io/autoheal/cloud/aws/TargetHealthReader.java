package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.fleet.TargetGroupIds;
import io.autoheal.fleet.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * DescribeTargetHealth of every distinct target group the operator attached to one of its groups (named by the group's
 * {@link Tags#TARGET_GROUPS} tag and attached): one call per target group per inventory refresh, whatever the number of
 * clusters sharing it, on the region's request budget, all of them within {@link #DEADLINE}. A failed read leaves that target group out (unknown), and
 * never fails the refresh: a load balancer's API trouble must not stop healing on everything else.
 */
final class TargetHealthReader {
    private static final Logger LOG = Logger.getLogger(TargetHealthReader.class);
    /** All target-health reads of one refresh together: a slow ELB API must not hold up the region's healing. */
    static final Duration DEADLINE = Duration.ofSeconds(2);
    static final String DEADLINE_CODE = "TargetHealthDeadline";
    private final AwsClients clients;

    TargetHealthReader(AwsClients clients) {
        this.clients = clients;
    }

    ObservedTargetHealth read(AwsScope scope, Instant readAt, Collection<ObservedAsg> groups) {
        TreeSet<String> arns = new TreeSet<>();
        for (ObservedAsg g : groups) {
            String owned = g.tags().get(Tags.TARGET_GROUPS);
            g.targetGroupArns().stream().filter(a -> TargetGroupIds.owned(owned, a)).forEach(arns::add);
        }
        return read(arns, readAt, (arn, timeout) -> describe(scope, arn, timeout), DEADLINE);
    }

    /** One DescribeTargetHealth, bounded by {@code timeout}: instance id -> its target's health. */
    interface Describe {
        Map<String, ObservedTargetHealth.Target> targets(String arn, Duration timeout);
    }

    /**
     * The reads of one refresh share one {@code deadline}: each call gets what is left of it, and the first that times
     * out (or finds nothing left) ends them, the rest left unknown ({@value #DEADLINE_CODE}). A slow ELB API thus
     * delays the region's refresh (and every cluster's healing in it) by at most the deadline.
     */
    static ObservedTargetHealth read(Collection<String> arns, Instant readAt, Describe describe, Duration deadline) {
        return read(arns, readAt, describe, deadline, System::nanoTime);
    }

    /** As above, on the monotonic clock {@code nanoTime} (a test's fake clock: its stub advances it instead of sleeping). */
    static ObservedTargetHealth read(Collection<String> arns, Instant readAt, Describe describe, Duration deadline,
                                     java.util.function.LongSupplier nanoTime) {
        long end = nanoTime.getAsLong() + deadline.toNanos();
        Map<String, Map<String, ObservedTargetHealth.Target>> out = new HashMap<>();
        Map<String, String> unread = new HashMap<>();
        boolean stopped = false;
        for (String arn : arns) {
            long left = end - nanoTime.getAsLong();
            if (stopped || left <= 0) {
                unread.put(arn, DEADLINE_CODE);
                stopped = true;
                continue;
            }
            try {
                out.put(arn, describe.targets(arn, Duration.ofNanos(left)));
            } catch (RuntimeException e) {
                LOG.warnf("DescribeTargetHealth of %s failed (its targets' health is unknown until the next refresh): %s", arn, e.toString());
                unread.put(arn, code(e));
                stopped = e instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
                        || e instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
            }
        }
        if (stopped) {
            LOG.warnf("Target health reads stopped at their %s deadline: %d target group(s) left unknown this refresh", deadline, unread.size());
        }
        return new ObservedTargetHealth(readAt, out, unread);
    }

    private Map<String, ObservedTargetHealth.Target> describe(AwsScope scope, String arn, Duration timeout) {
        Map<String, ObservedTargetHealth.Target> targets = new HashMap<>();
        for (TargetHealthDescription d : clients.elb(scope).describeTargetHealth(b -> b.targetGroupArn(arn)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))).targetHealthDescriptions()) {
            if (d.target() == null || d.targetHealth() == null) {
                continue;
            }
            // Registered on two ports: the unhealthy one speaks for the machine.
            targets.merge(d.target().id(), new ObservedTargetHealth.Target(d.targetHealth().stateAsString(),
                    d.targetHealth().reasonAsString(), d.targetHealth().description()), (a, b) -> "unhealthy".equals(a.state()) ? a : b);
        }
        return targets;
    }

    /** AWS's error code (e.g. AccessDenied), else the kind of client failure (e.g. ApiCallTimeoutException). */
    static String code(RuntimeException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s && s.awsErrorDetails() != null
                && s.awsErrorDetails().errorCode() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
