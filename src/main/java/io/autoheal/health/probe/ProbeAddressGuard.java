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
        InetAddress a = literal(address);
        if (a == null) {
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

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * A strict IP literal, or null: a dotted quad (no short forms like 127.1, no leading zeros) or an IPv6 literal. A
     * string with ':' is parsed by InetAddress as an IPv6 literal only (never looked up); anything else never reaches it,
     * so nothing here ever asks DNS (it runs on the event loop).
     */
    static InetAddress literal(String address) {
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
