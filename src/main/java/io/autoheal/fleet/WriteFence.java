package io.autoheal.fleet;

import io.autoheal.config.Fence;
import io.autoheal.config.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The one place a write to the outside world asks the {@link Fence}: the decorators of the write ports (groups,
 * lifecycle actions, addresses, launch templates) and the bootstrap and drain triggers call {@link #check} first. A
 * refusal throws {@link FencedWrite} before anything is sent and counts {@code autoheal_fenced_writes_total{port}}.
 */
@ApplicationScoped
public class WriteFence {
    /** Values of the port label: one per fenced port. */
    public static final List<String> PORTS = List.of("groups", "lifecycle", "addresses", "launch_templates", "bootstrap", "drain");

    private final Clock clock;
    private final Function<java.time.Instant, Fence.Decision> fence;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public WriteFence(Clock clock, MeterRegistry registry) {
        this(clock, registry, Leadership::fence);
    }

    WriteFence(Clock clock, MeterRegistry registry, Function<java.time.Instant, Fence.Decision> fence) {
        this.clock = clock;
        this.fence = fence;
        PORTS.forEach(p -> refused.put(p, Counter.builder("autoheal.fenced.writes")
                .description("Writes (AWS calls, bootstrap and drain triggers) refused because this replica could not prove it holds "
                        + "the leader-election Lease with margin")
                .tags("port", p).register(registry)));
    }

    /** Throws {@link FencedWrite} unless the fence is open now. */
    public void check(String port, String operation) {
        if (fence.apply(clock.instant()) instanceof Fence.Refused r) {
            Counter c = refused.get(port);
            if (c != null) {
                c.increment();
            }
            Log.warnf("fence: %s not sent: %s", operation, r.reason());
            throw new FencedWrite(operation, r.reason());
        }
    }
}
