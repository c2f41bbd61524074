package io.autoheal.health.probe;

import io.autoheal.bootstrap.OutboundCidrs;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where a probe may go: both autoheal.health.probe-allowed-cidrs and autoheal.outbound.allowed-cidrs must allow the
 * address. Only literal addresses are judged (what EC2 reports); anything else is refused, never resolved.
 */
public final class ProbeAddressGuard {
    private final OutboundCidrs probes;
    private final OutboundCidrs outbound;

    public ProbeAddressGuard(List<String> probeAllowed, List<String> outboundAllowed) {
        this.probes = OutboundCidrs.parse(probeAllowed);
        this.outbound = OutboundCidrs.parse(outboundAllowed);
    }

    /** Empty when a probe may be sent to {@code address}; else why not. */
    public Optional<String> refusal(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("the machine has no such address");
        }
        if (!address.matches("[0-9a-fA-F:.]+") || !(address.contains(".") || address.contains(":"))) {
            return Optional.of(address + " is not an IP address");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.of(address + " is not an IP address");
        }
        if (!probes.allows(a)) {
            return Optional.of(address + " is outside autoheal.health.probe-allowed-cidrs (" + probes + ")");
        }
        if (!outbound.allows(a)) {
            return Optional.of(address + " is outside autoheal.outbound.allowed-cidrs (" + outbound + ")");
        }
        return Optional.empty();
    }
}
