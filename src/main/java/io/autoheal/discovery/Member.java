package io.autoheal.discovery;

/**
 * One machine as discovery publishes it. {@code address} is the one the spec chose (private or public), null when the
 * machine has none yet. The three flags follow the EndpointSlice conventions: ready = in service and staying;
 * serving = able to serve, whether or not it is on its way out; terminating = on its way out (terminating, detaching,
 * or replaced ahead of an AWS notice).
 */
public record Member(String instanceId, String privateIp, String publicIp, String address, String zone, String launchTemplateVersion,
                     boolean ready, boolean serving, boolean terminating) {
}
