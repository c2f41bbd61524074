package io.autoheal.fleet;

import java.util.Map;

/** An Elastic IP as read from AWS, with its current association and our assignment tags. */
public record ObservedAddress(
        String allocationId,
        String publicIp,
        String instanceId,
        String associationId,
        String networkInterfaceId,
        Map<String, String> tags) {

    /** AWS (and moto) answer an empty element for "none"; blank means absent here. */
    public ObservedAddress {
        instanceId = blankToNull(instanceId);
        associationId = blankToNull(associationId);
        networkInterfaceId = blankToNull(networkInterfaceId);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public boolean associated() {
        return associationId != null;
    }
}
