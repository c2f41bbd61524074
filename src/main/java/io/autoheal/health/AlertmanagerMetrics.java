package io.autoheal.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Alertmanager webhook counts: {@code autoheal_alertmanager_notifications_total{outcome}} (accepted, disabled:
 * no token configured, unauthorized, not_leader, bad_request; a body over the bound is refused before it is counted)
 * and the gauge {@code autoheal_alertmanager_alerts_firing} (alerts kept as firing). Every series exists from the start.
 */
public class AlertmanagerMetrics {
    static final List<String> OUTCOMES = List.of("accepted", "disabled", "unauthorized", "not_leader", "bad_request");
    private final Map<String, Counter> notifications = new ConcurrentHashMap<>();

    public AlertmanagerMetrics(MeterRegistry registry, FiringAlerts alerts) {
        OUTCOMES.forEach(o -> notifications.put(o, Counter.builder("autoheal.alertmanager.notifications")
                .description("Alertmanager webhook notifications at POST /alertmanager, by outcome").tag("outcome", o).register(registry)));
        Gauge.builder("autoheal.alertmanager.alerts.firing", alerts, FiringAlerts::size)
                .description("Alerts of spec.health.alerts kept as firing for machines of the operator's clusters").register(registry);
    }

    void count(String outcome) {
        notifications.get(outcome).increment();
    }
}
