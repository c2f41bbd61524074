package io.autoheal.bench;

import io.autoheal.eip.ExhaustionNotifier;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.PoolMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;

/** Events and notifications of the in-process pass go nowhere (no API server, no webhook); they are only counted. */
final class SilentEvents extends EventRecorder {
    int recorded;

    SilentEvents() {
        super(null, Clock.systemUTC());
    }

    @Override
    public void normal(HasMetadata target, Reason reason, String action, String message) {
        recorded++;
    }

    @Override
    public void warning(HasMetadata target, Reason reason, String action, String message) {
        recorded++;
    }

    static final class Notifier extends ExhaustionNotifier {
        Notifier(PoolMetrics metrics) {
            super(null, null, metrics);
        }

        @Override
        public void notify(String namespace, String pool, String text) {
            // no webhook in the bench
        }
    }
}
