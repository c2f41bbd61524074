package io.autoheal.bootstrap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the operator may send a request to a bootstrapper host (pure: the addresses are resolved by the caller).
 * A custom resource names the URL, so without this anyone who may create a HealingCluster could make the operator
 * POST and GET from inside the cluster: to the instance metadata service, to the API server, to a sidecar on
 * loopback. In order:
 * <ol>
 * <li>when {@code allowed-hosts} is set (locked-down installations), only its hosts (exact, or {@code *.suffix} for
 *     any subdomain);
 * <li>when {@code autoheal.outbound.allowed-cidrs} is set, every address the host resolves to must lie inside it,
 *     whatever else allows the host (the sandbox and the tests: 127.0.0.0/8);
 * <li>a host named in {@code allow-internal-hosts} is allowed whatever it resolves to (the sandbox's loopback
 *     bootstrapper; an in-cluster one on purpose);
 * <li>a host that resolves to nothing is {@link Outcome#UNRESOLVED} (the caller decides: no request);
 * <li>a host of which any address is loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}: Linux connects those
 *     to the host itself), link-local ({@code 169.254.0.0/16}, {@code fe80::/10}: instance metadata at
 *     169.254.169.254), the EC2 link-local services' IPv6 range {@code fd00:ec2::/32} (instance metadata at ::254, the EKS
 *     Pod Identity agent at ::23), or an address of the API server is refused. Any
 *     address, not the first: the HTTP client may use any of them.
 * </ol>
 * Private ranges (10/8, 172.16/12, 192.168/16) stay allowed: bootstrappers usually live there.
 */
public final class BootstrapHostPolicy {
    /**
     * EC2's services on IPv6 (Nitro instances) live in fd00:ec2::/32, a unique-local range, not link-local: instance
     * metadata at fd00:ec2::254, the EKS Pod Identity agent at fd00:ec2::23, DNS at fd00:ec2::253.
     */
    static final byte[] EC2_SERVICES_V6_PREFIX = {(byte) 0xfd, 0x00, 0x0e, (byte) 0xc2};

    /**
     * The operator's allow-lists (autoheal.bootstrap.allowed-hosts, autoheal.bootstrap.allow-internal-hosts) and the
     * outbound address limit (autoheal.outbound.allowed-cidrs).
     */
    public record AllowLists(Optional<Set<String>> allowedHosts, Set<String> internalHosts, OutboundCidrs cidrs) {
        public AllowLists {
            allowedHosts = allowedHosts.map(BootstrapHostPolicy::normalizeAll).filter(s -> !s.isEmpty());
            internalHosts = normalizeAll(internalHosts);
        }

        public AllowLists(Optional<Set<String>> allowedHosts, Set<String> internalHosts) {
            this(allowedHosts, internalHosts, OutboundCidrs.UNLIMITED);
        }

        public static AllowLists of(Optional<? extends Collection<String>> allowedHosts, Optional<? extends Collection<String>> internalHosts) {
            return new AllowLists(allowedHosts.map(Set::copyOf), internalHosts.map(Set::copyOf).orElse(Set.of()));
        }

        public AllowLists within(OutboundCidrs limit) {
            return new AllowLists(allowedHosts, internalHosts, limit);
        }
    }

    public enum Outcome { ALLOWED, REFUSED, UNRESOLVED }

    /** @param why for REFUSED and UNRESOLVED: what is wrong with the host, for a condition message */
    public record Verdict(Outcome outcome, String why) {
        static final Verdict ALLOWED = new Verdict(Outcome.ALLOWED, "");

        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    private BootstrapHostPolicy() {
    }

    /**
     * @param host      the URL's host as written (brackets of an IPv6 literal and a trailing dot are ignored)
     * @param addresses what the host resolves to now (empty: it does not resolve)
     * @param apiServer the API server's addresses
     */
    public static Verdict decide(String host, List<InetAddress> addresses, Set<InetAddress> apiServer, AllowLists allow) {
        String h = normalize(host);
        if (h.isEmpty()) {
            return new Verdict(Outcome.REFUSED, "the URL has no host");
        }
        if (allow.allowedHosts().isPresent() && allow.allowedHosts().get().stream().noneMatch(p -> matches(p, h))) {
            return new Verdict(Outcome.REFUSED, "host " + h + " is not in autoheal.bootstrap.allowed-hosts");
        }
        boolean internalAllowed = allow.internalHosts().contains(h);
        if (internalAllowed && allow.cidrs().unlimited()) {
            return Verdict.ALLOWED;
        }
        if (addresses.isEmpty()) {
            return new Verdict(Outcome.UNRESOLVED, "host " + h + " does not resolve");
        }
        // The most specific reason first: an internal address (metadata service, loopback, the API server) is refused
        // whatever the outbound limit says; then the limit itself.
        if (!internalAllowed) {
            for (InetAddress a : addresses) {
                Optional<String> internal = internal(a, apiServer);
                if (internal.isPresent()) {
                    return new Verdict(Outcome.REFUSED, "host " + h + " resolves to " + a.getHostAddress() + ", " + internal.get()
                            + "; only hosts named in autoheal.bootstrap.allow-internal-hosts may");
                }
            }
        }
        for (InetAddress a : addresses) {
            if (!allow.cidrs().allows(a)) {
                return new Verdict(Outcome.REFUSED, "host " + h + " resolves to " + a.getHostAddress()
                        + ", outside autoheal.outbound.allowed-cidrs (" + allow.cidrs() + ")");
            }
        }
        return Verdict.ALLOWED;
    }

    /** What kind of internal address this is, if it is one. */
    static Optional<String> internal(InetAddress address, Set<InetAddress> apiServer) {
        // ::1 and :: look IPv4-compatible too; they are themselves, not 0.0.0.1 and 0.0.0.0
        InetAddress a = OutboundCidrs.asV4(address);
        if (apiServer.contains(address) || apiServer.contains(a)) {
            return Optional.of("an address of the Kubernetes API server");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (a.isAnyLocalAddress() || a instanceof Inet4Address && a.getAddress()[0] == 0) {
            return Optional.of("an unspecified address (it reaches the operator's own host)");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address (where the instance metadata service lives)");
        }
        if (a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 169 && (a.getAddress()[1] & 0xff) == 254) {
            return Optional.of("a link-local address (where the instance metadata service lives)"); // also when Java would not say so
        }
        if (a instanceof Inet6Address && Arrays.equals(Arrays.copyOf(a.getAddress(), 4), EC2_SERVICES_V6_PREFIX)) {
            return Optional.of("in fd00:ec2::/32, where EC2's instance metadata service and the EKS Pod Identity agent live");
        }
        return Optional.empty();
    }

    /** Lower case, without IPv6 brackets or a trailing dot: how hosts are compared. */
    static String normalize(String host) {
        if (host == null) {
            return "";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Set<String> normalizeAll(Collection<String> hosts) {
        return hosts.stream().map(BootstrapHostPolicy::normalize).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** An exact host, or *.example.com for any subdomain of example.com (not example.com itself). */
    static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return pattern.equals(host);
    }
}
