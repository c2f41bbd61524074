package io.autoheal.scale;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The operator of the scale harness: the product's configuration (the resync of 30 s by default), an event queue, and
 * AWS served by {@link StandInCloud} (the in-memory region) instead of the AWS adapters.
 */
public class ScaleProfile implements QuarkusTestProfile {
    /** The queue address the stand-in's queue answers to (any non-empty address starts the consumer). */
    public static final String QUEUE_URL = "standin://events";

    /** The resync this profile runs with. */
    protected String resync() {
        return "30s";
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(StandInCloud.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("autoheal.resync-interval", resync(),
                "autoheal.events.queue-url", QUEUE_URL,
                // the product defaults, not the sandbox tests' short bootstrap timings
                "autoheal.bootstrap.retry-backoff", "30s",
                "autoheal.bootstrap.poll-interval", "10s");
    }

    /** The small variant in make test: a short resync, so that its windows at rest take seconds. */
    public static class ShortResync extends ScaleProfile {
        @Override
        protected String resync() {
            return "5s";
        }
    }

    /**
     * The same operator again (a second Quarkus application: Quarkus starts one per profile), over the region the
     * first one left ({@link StandInRegion#saveForRestart}): the restart of {@link ScaleRestartBench}.
     */
    public static class Restarted extends ScaleProfile {
    }
}
