package io.autoheal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.bootstrap.BootstrapHostPolicy.AllowLists;
import io.autoheal.bootstrap.BootstrapHostPolicy.Outcome;
import io.autoheal.bootstrap.BootstrapHostPolicy.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which bootstrapper hosts the operator may call: host + what it resolves to + the API server's addresses + the
 * allow-lists. The API server in these tables is at 10.96.0.1 (its service IP) and 172.20.4.7.
 */
class BootstrapHostPolicyTest {
    static final Set<InetAddress> API_SERVER = Set.of(ip("10.96.0.1"), ip("172.20.4.7"));

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // ordinary bootstrappers: public or private addresses
            "bootstrapper.infra.svc | 10.100.7.12            | -   | -          | ALLOWED   | null",
            "boot.example.com       | 203.0.113.10           | -   | -          | ALLOWED   | null",
            "boot.example.com       | 2001:db8::10           | -   | -          | ALLOWED   | null",
            "10.0.5.5               | 10.0.5.5               | -   | -          | ALLOWED   | null",
            // the instance metadata service and other link-local addresses
            "169.254.169.254        | 169.254.169.254        | -   | -          | REFUSED   | link-local",
            "169.254.170.2          | 169.254.170.2          | -   | -          | REFUSED   | link-local",
            "metadata.evil.example  | 169.254.169.254        | -   | -          | REFUSED   | resolves to 169.254.169.254, a link-local",
            "[fe80::1]              | fe80::1                | -   | -          | REFUSED   | link-local",
            "[fd00:ec2::254]        | fd00:ec2::254          | -   | -          | REFUSED   | instance metadata",
            // the whole of fd00:ec2::/32: the EKS Pod Identity agent answers at fd00:ec2::23
            "[fd00:ec2::23]         | fd00:ec2::23           | -   | -          | REFUSED   | fd00:ec2::/32",
            "pod-identity.example   | fd00:ec2:1:2::3        | -   | -          | REFUSED   | Pod Identity",
            "[fd00:ec3::1]          | fd00:ec3::1            | -   | -          | ALLOWED   | null",
            // 169.254.0.0/16 in any spelling, IPv4-mapped in hex included
            "[::ffff:a9fe:a9fe]     | ::ffff:a9fe:a9fe       | -   | -          | REFUSED   | link-local",
            "[::169.254.169.254]    | ::169.254.169.254      | -   | -          | REFUSED   | link-local",
            "169.254.0.1            | 169.254.0.1            | -   | -          | REFUSED   | link-local",
            // loopback, unspecified, and IPv4 inside IPv6
            "127.0.0.1              | 127.0.0.1              | -   | -          | REFUSED   | loopback",
            "127.0.0.2              | 127.0.0.2              | -   | -          | REFUSED   | loopback",
            "localhost              | 127.0.0.1 ::1          | -   | -          | REFUSED   | loopback",
            "[::1]                  | ::1                    | -   | -          | REFUSED   | loopback",
            "0.0.0.0                | 0.0.0.0                | -   | -          | REFUSED   | unspecified",
            "[::]                   | ::                     | -   | -          | REFUSED   | unspecified",
            "[::ffff:127.0.0.1]     | ::ffff:127.0.0.1       | -   | -          | REFUSED   | loopback",
            "[::127.0.0.1]          | ::127.0.0.1            | -   | -          | REFUSED   | loopback",
            "[::ffff:169.254.169.254] | ::ffff:169.254.169.254 | - | -          | REFUSED   | link-local",
            // the API server, by any name
            "kubernetes.default.svc | 10.96.0.1              | -   | -          | REFUSED   | API server",
            "10.96.0.1              | 10.96.0.1              | -   | -          | REFUSED   | API server",
            "api.cluster.internal   | 172.20.4.7             | -   | -          | REFUSED   | API server",
            // any address counts, not only the first (the client may connect to any of them)
            "rebind.example.com     | 203.0.113.10 127.0.0.1 | -   | -          | REFUSED   | resolves to 127.0.0.1",
            // allow-internal-hosts names the host as written, not what it resolves to
            "127.0.0.1              | 127.0.0.1              | -   | 127.0.0.1  | ALLOWED   | null",
            "localhost              | 127.0.0.1              | -   | 127.0.0.1  | REFUSED   | loopback",
            "127.0.0.2              | 127.0.0.2              | -   | 127.0.0.1  | REFUSED   | loopback",
            "LocalHost.             | 127.0.0.1              | -   | localhost  | ALLOWED   | null",
            "[::1]                  | ::1                    | -   | [::1]      | ALLOWED   | null",
            "boot.internal          | 10.96.0.1              | -   | boot.internal | ALLOWED | null",
            // allowed-hosts: only those (exact, or *.suffix for subdomains)
            "boot.example.com       | 203.0.113.10           | boot.example.com | - | ALLOWED | null",
            "other.example.com      | 203.0.113.11           | boot.example.com | - | REFUSED | not in autoheal.bootstrap.allowed-hosts",
            "a.boot.example.com     | 203.0.113.12           | *.boot.example.com | - | ALLOWED | null",
            "boot.example.com       | 203.0.113.10           | *.boot.example.com | - | REFUSED | not in autoheal.bootstrap.allowed-hosts",
            "evilboot.example.com   | 203.0.113.13           | *.boot.example.com | - | REFUSED | not in autoheal.bootstrap.allowed-hosts",
            // both lists: allowed-hosts gates first; allow-internal-hosts does not widen it
            "127.0.0.1              | 127.0.0.1              | boot.example.com | 127.0.0.1 | REFUSED | not in autoheal.bootstrap.allowed-hosts",
            "boot.example.com       | 169.254.169.254        | boot.example.com | - | REFUSED | link-local",
            // a host that resolves to nothing: no request, and the caller decides what to say
            "nowhere.invalid        | -                      | -   | -          | UNRESOLVED | does not resolve",
            "''                     | -                      | -   | -          | REFUSED   | no host",
    })
    void decides(String host, String resolved, String allowedHosts, String internalHosts, Outcome outcome, String why) {
        Verdict v = BootstrapHostPolicy.decide(host, addresses(resolved), API_SERVER, allow(allowedHosts, internalHosts));
        assertThat(v.outcome()).as(v.why()).isEqualTo(outcome);
        if (why != null) {
            assertThat(v.why()).contains(why);
        }
    }

    /** An internal address makes the host refused wherever it is among the answers, unless the host is allow-listed. */
    @Property(tries = 500)
    void anyInternalAddressRefusesAHostThatIsNotAllowListed(@ForAll("publicAddresses") List<InetAddress> before,
                                                          @ForAll("internalAddresses") InetAddress internal,
                                                          @ForAll("publicAddresses") List<InetAddress> after) {
        List<InetAddress> all = new java.util.ArrayList<>(before);
        all.add(internal);
        all.addAll(after);
        Verdict refused = BootstrapHostPolicy.decide("boot.example.com", all, API_SERVER, allow(null, "127.0.0.1"));
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.why()).contains(internal.getHostAddress());
        assertThat(BootstrapHostPolicy.decide("boot.example.com", all, API_SERVER, allow(null, "boot.example.com")).allowed()).isTrue();
    }

    /** With allowed-hosts set, a host not on it is refused whatever it resolves to and whatever else is allowed. */
    @Property(tries = 300)
    void allowedHostsIsAGate(@ForAll("publicAddresses") List<InetAddress> addresses) {
        AllowLists locked = allow("boot.example.com", "other.example.com");
        assertThat(BootstrapHostPolicy.decide("other.example.com", addresses, API_SERVER, locked).outcome()).isEqualTo(Outcome.REFUSED);
        Outcome own = BootstrapHostPolicy.decide("boot.example.com", addresses, API_SERVER, locked).outcome();
        assertThat(own).isEqualTo(addresses.isEmpty() ? Outcome.UNRESOLVED : Outcome.ALLOWED);
    }

    @Provide
    Arbitrary<List<InetAddress>> publicAddresses() {
        return Arbitraries.integers().between(1, 223).filter(b -> b != 10 && b != 127 && b != 169 && b != 172)
                .flatMap(first -> Arbitraries.integers().between(0, 255).list().ofSize(3)
                        .map(rest -> ip(first + "." + rest.get(0) + "." + rest.get(1) + "." + rest.get(2))))
                .list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<InetAddress> internalAddresses() {
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
        return Arbitraries.oneOf(
                octet.list().ofSize(3).map(o -> ip("127." + o.get(0) + "." + o.get(1) + "." + o.get(2))),
                octet.list().ofSize(2).map(o -> ip("169.254." + o.get(0) + "." + o.get(1))),
                Arbitraries.integers().between(0, 0xffff).map(x -> ip("fe80::" + Integer.toHexString(x))),
                Arbitraries.integers().between(0, 0xffff).map(x -> ip("fd00:ec2::" + Integer.toHexString(x))),
                Arbitraries.of(ip("::1"), ip("0.0.0.0"), ip("::"), ip("fd00:ec2::254"), ip("fd00:ec2::23"), ip("10.96.0.1"), ip("172.20.4.7")));
    }

    static AllowLists allow(String allowedHosts, String internalHosts) {
        return AllowLists.of(list(allowedHosts), list(internalHosts));
    }

    private static Optional<List<String>> list(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.equals("-") ? Optional.empty()
                : Optional.of(Arrays.asList(spaceSeparated.trim().split("\\s+")));
    }

    static List<InetAddress> addresses(String spaceSeparated) {
        return list(spaceSeparated).map(l -> l.stream().map(BootstrapHostPolicyTest::ip).toList()).orElse(List.of());
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
