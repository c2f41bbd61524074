package io.autoheal.cloud;

import java.util.Map;

/** An Elastic IP as read from AWS, with its current association and our assignment tags. */
public record ObservedAddress(
        String allocationId,
        String publicIp,
        String instanceId,
        String associationId,
        String networkInterfaceId,
        Map<String, String> tags) {

    public boolean associated() {
        return associationId != null;
    }
}
