package io.autoheal.health;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook body, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config):
 * only the fields the operator reads; everything else is ignored. A firing alert's endsAt is Alertmanager's zero time
 * (0001-01-01T00:00:00Z): it hides the end of what still fires.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertmanagerPayload(String version, String status, List<Alert> alerts) {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public AlertmanagerPayload {
        alerts = alerts == null ? List.of() : alerts;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
                        String fingerprint) {
        public Alert {
            labels = labels == null ? Map.of() : labels;
            annotations = annotations == null ? Map.of() : annotations;
        }

        public boolean firing() {
            return "firing".equals(status);
        }

        public String name() {
            return labels.get("alertname");
        }

        public String instanceId() {
            return labels.get("instance_id");
        }

        /** Alertmanager's zero time (year 1) and a missing endsAt both mean "no end known". */
        public boolean endKnown() {
            return endsAt != null && endsAt.isAfter(Instant.EPOCH);
        }
    }

    /** @throws IOException when the body is not a webhook document */
    public static AlertmanagerPayload parse(byte[] body) throws IOException {
        AlertmanagerPayload p = JSON.readValue(body, AlertmanagerPayload.class);
        if (p == null) {
            throw new IOException("empty body");
        }
        return p;
    }
}
