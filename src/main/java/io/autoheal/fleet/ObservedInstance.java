package io.autoheal.fleet;

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
        ObservedAddress eip) {

    /** Allocation id of the Elastic IP on the machine (the one on its primary public IP first), null if none. */
    public String eipAllocationId() {
        return eip == null ? null : eip.allocationId();
    }

    public boolean skipRemediation() {
        return "true".equalsIgnoreCase(tags.get(Tags.SKIP_REMEDIATION));
    }
}
