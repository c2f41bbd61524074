package io.autoheal.bootstrap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * <li>a host named in {@code allow-internal-hosts} is allowed whatever it resolves to (the sandbox's loopback
 *     bootstrapper; an in-cluster one on purpose);
 * <li>a host that resolves to nothing is {@link Outcome#UNRESOLVED} (the caller decides: no request);
 * <li>a host of which any address is loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}: Linux connects those
 *     to the host itself), link-local ({@code 169.254.0.0/16}, {@code fe80::/10}: instance metadata at
 *     169.254.169.254), the EC2 metadata service's IPv6 address, or an address of the API server is refused. Any
 *     address, not the first: the HTTP client may use any of them.
 * </ol>
 * Private ranges (10/8, 172.16/12, 192.168/16) stay allowed: bootstrappers usually live there.
 */
public final class BootstrapHostPolicy {
    /** The EC2 instance metadata service over IPv6 (Nitro instances): a unique-local address, not link-local. */
    static final InetAddress EC2_METADATA_V6 = literal("fd00:ec2::254");

    /** The operator's allow-lists (autoheal.bootstrap.allowed-hosts, autoheal.bootstrap.allow-internal-hosts). */
    public record AllowLists(Optional<Set<String>> allowedHosts, Set<String> internalHosts) {
        public AllowLists {
            allowedHosts = allowedHosts.map(BootstrapHostPolicy::normalizeAll).filter(s -> !s.isEmpty());
            internalHosts = normalizeAll(internalHosts);
        }

        public static AllowLists of(Optional<? extends Collection<String>> allowedHosts, Optional<? extends Collection<String>> internalHosts) {
            return new AllowLists(allowedHosts.map(Set::copyOf), internalHosts.map(Set::copyOf).orElse(Set.of()));
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
        if (allow.internalHosts().contains(h)) {
            return Verdict.ALLOWED;
        }
        if (addresses.isEmpty()) {
            return new Verdict(Outcome.UNRESOLVED, "host " + h + " does not resolve");
        }
        for (InetAddress a : addresses) {
            Optional<String> internal = internal(a, apiServer);
            if (internal.isPresent()) {
                return new Verdict(Outcome.REFUSED, "host " + h + " resolves to " + a.getHostAddress() + ", " + internal.get()
                        + "; only hosts named in autoheal.bootstrap.allow-internal-hosts may");
            }
        }
        return Verdict.ALLOWED;
    }

    /** What kind of internal address this is, if it is one. */
    static Optional<String> internal(InetAddress address, Set<InetAddress> apiServer) {
        // ::1 and :: look IPv4-compatible too; they are themselves, not 0.0.0.1 and 0.0.0.0
        InetAddress a = address.isLoopbackAddress() || address.isAnyLocalAddress() ? address : embeddedV4(address);
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
        if (a.equals(EC2_METADATA_V6)) {
            return Optional.of("the EC2 instance metadata service");
        }
        return Optional.empty();
    }

    /** ::a.b.c.d (IPv4-compatible) as a.b.c.d; IPv4-mapped addresses are already Inet4Address in Java. */
    private static InetAddress embeddedV4(InetAddress a) {
        if (a instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            byte[] b = v6.getAddress();
            try {
                return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            } catch (UnknownHostException e) {
                return a; // cannot happen for 4 bytes
            }
        }
        return a;
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

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
