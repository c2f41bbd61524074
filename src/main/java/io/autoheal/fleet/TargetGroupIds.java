package io.autoheal.fleet;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@link Tags#TARGET_GROUPS} tag: a target group's ARN ends in a 16-hex id unique in its account and region, so
 * five of them fit a tag value (at most 256 characters) where five ARNs would not.
 */
public final class TargetGroupIds {
    private TargetGroupIds() {
    }

    /** arn:aws:elasticloadbalancing:region:account:targetgroup/name/0123456789abcdef -> 0123456789abcdef */
    public static String id(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The ids in a tag value (absent or empty: none). */
    public static Set<String> parse(String tagValue) {
        if (tagValue == null || tagValue.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(tagValue.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The tag value of these ARNs: their ids, sorted, comma-separated (empty for none). */
    public static String format(Collection<String> arns) {
        return arns.stream().map(TargetGroupIds::id).collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(","));
    }

    /** Whether the tag value names this ARN's target group. */
    public static boolean owned(String tagValue, String arn) {
        return parse(tagValue).contains(id(arn));
    }
}
