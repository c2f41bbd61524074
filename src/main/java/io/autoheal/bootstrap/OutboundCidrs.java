package io.autoheal.bootstrap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * autoheal.outbound.allowed-cidrs: the only addresses the operator may connect to for what a custom resource or a
 * setting names (bootstrap, drain, notification webhook). "any" (the default) means no such limit; the sandbox and
 * every test set 127.0.0.0/8, so that nothing they run can reach an address moto hands out (54.214.0.0/16,
 * 172.31.0.0/16). Pure: the caller resolves. An IPv4-mapped or IPv4-compatible IPv6 address is judged as its IPv4.
 */
public final class OutboundCidrs {
    public static final String ANY = "any";
    public static final OutboundCidrs UNLIMITED = new OutboundCidrs(List.of());

    private final List<Cidr> cidrs;

    private OutboundCidrs(List<Cidr> cidrs) {
        this.cidrs = cidrs;
    }

    /** From the setting's entries: "any", or CIDRs (a bare address is a /32 or /128). Fails on a malformed entry. */
    public static OutboundCidrs parse(Collection<String> entries) {
        List<String> list = entries.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty() || list.contains(ANY)) {
            return UNLIMITED;
        }
        return new OutboundCidrs(list.stream().map(Cidr::parse).toList());
    }

    public boolean unlimited() {
        return cidrs.isEmpty();
    }

    public boolean allows(InetAddress address) {
        InetAddress a = asV4(address);
        return cidrs.isEmpty() || cidrs.stream().anyMatch(c -> c.contains(a));
    }

    @Override
    public String toString() {
        return cidrs.isEmpty() ? ANY : cidrs.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }

    /** ::ffff:a.b.c.d and ::a.b.c.d (not :: and ::1) as a.b.c.d: one address, one verdict. */
    static InetAddress asV4(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !address.isLoopbackAddress() && !address.isAnyLocalAddress();
            if (mapped || compatible) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    return address; // cannot happen for 4 bytes
                }
            }
        }
        return address;
    }

    record Cidr(byte[] network, int prefix, String text) {
        static Cidr parse(String entry) {
            String[] parts = entry.split("/", 2);
            InetAddress base = literal(parts[0], entry);
            int max = base instanceof Inet4Address ? 32 : 128;
            int prefix;
            try {
                prefix = parts.length == 1 ? max : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("autoheal.outbound.allowed-cidrs: " + entry + " is not a CIDR");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("autoheal.outbound.allowed-cidrs: " + entry + " has a prefix outside 0-" + max);
            }
            return new Cidr(base.getAddress(), prefix, entry);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }

        private static InetAddress literal(String ip, String entry) {
            // only literals: a host name here would make the operator resolve at start-up
            if (!ip.matches("[0-9a-f:.]+") || !(ip.contains(".") || ip.contains(":"))) {
                throw new IllegalArgumentException("autoheal.outbound.allowed-cidrs: " + entry + " is not an address range");
            }
            try {
                return InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("autoheal.outbound.allowed-cidrs: " + entry + " is not an address range");
            }
        }
    }
}
