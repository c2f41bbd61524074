package io.autoheal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.health.probe.ProbeAddressGuard;
import io.autoheal.health.probe.ProbeBook;
import io.autoheal.health.probe.Prober;
import io.autoheal.metrics.ProbeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probes go out from the leader only (here: Leadership's package-private switches). */
class ProberLeadershipTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @AfterEach
    void reset() {
        Leadership.reset();
    }

    @Test
    void aFollowerSendsNoProbeTheLeaderDoes() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        Prober prober = new Prober((spec, address, done) -> {
            attempts.add(address);
            done.accept(null);
        }, new ProbeAddressGuard(List.of("127.0.0.0/8"), List.of("any")), key -> { }, new ProbeMetrics(new SimpleMeterRegistry()), clock);
        ProbeSpec web = new ProbeSpec();
        web.name = "web";
        web.tcp = new ProbeSpec.TcpProbe();
        web.tcp.port = 80;
        web.address = ProbeSpec.ProbeAddress.ElasticIp;
        prober.book().seen("ns/a", List.of(web), List.of(new ProbeBook.Seen("i-1", "z", null, null, "127.0.0.9", true, false)), T0);

        Leadership.electionOn(); // leader election in effect, the Lease not (yet) ours
        prober.tick();
        assertThat(attempts).isEmpty();
        Leadership.acquired();
        prober.tick();
        assertThat(attempts).containsExactly("127.0.0.9");
    }
}
