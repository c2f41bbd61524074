package io.autoheal.cloud.aws;

import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedTargetHealth;
import io.autoheal.fleet.TargetGroupIds;
import io.autoheal.fleet.Tags;
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
 * clusters sharing it, on the region's request budget. A failed read leaves that target group out (unknown), and
 * never fails the refresh: a load balancer's API trouble must not stop healing on everything else.
 */
final class TargetHealthReader {
    private static final Logger LOG = Logger.getLogger(TargetHealthReader.class);
    private final AwsClients clients;

    TargetHealthReader(AwsClients clients) {
        this.clients = clients;
    }

    ObservedTargetHealth read(String region, Instant readAt, Collection<ObservedAsg> groups) {
        TreeSet<String> arns = new TreeSet<>();
        for (ObservedAsg g : groups) {
            String owned = g.tags().get(Tags.TARGET_GROUPS);
            g.targetGroupArns().stream().filter(a -> TargetGroupIds.owned(owned, a)).forEach(arns::add);
        }
        Map<String, Map<String, ObservedTargetHealth.Target>> out = new HashMap<>();
        Map<String, String> unread = new HashMap<>();
        for (String arn : arns) {
            try {
                Map<String, ObservedTargetHealth.Target> targets = new HashMap<>();
                for (TargetHealthDescription d : clients.elb(region).describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions()) {
                    if (d.target() == null || d.targetHealth() == null) {
                        continue;
                    }
                    // Registered on two ports: the unhealthy one speaks for the machine.
                    targets.merge(d.target().id(), new ObservedTargetHealth.Target(d.targetHealth().stateAsString(),
                            d.targetHealth().reasonAsString(), d.targetHealth().description()), (a, b) -> "unhealthy".equals(a.state()) ? a : b);
                }
                out.put(arn, targets);
            } catch (RuntimeException e) {
                LOG.warnf("DescribeTargetHealth of %s failed (its targets' health is unknown until the next refresh): %s", arn, e.toString());
                unread.put(arn, code(e));
            }
        }
        return new ObservedTargetHealth(readAt, out, unread);
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
