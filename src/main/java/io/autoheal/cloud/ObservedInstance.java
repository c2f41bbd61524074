package io.autoheal.cloud;

import java.time.Instant;
import java.util.Map;

/** An EC2 instance as read from AWS (DescribeInstances + DescribeInstanceStatus + DescribeAddresses, batched). */
public record ObservedInstance(
        String instanceId,
        String state,
        String zone,
        String privateIp,
        String publicIp,
        Instant launchTime,
        Map<String, String> tags,
        String statusCheck,
        String eipAllocationId) {

    public boolean skipRemediation() {
        return "true".equalsIgnoreCase(tags.get(Tags.SKIP_REMEDIATION));
    }
}
