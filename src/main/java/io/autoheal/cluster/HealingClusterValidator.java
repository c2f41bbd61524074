package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Checks what the CRD schema cannot express. Returns the first problem as a message for a condition and a
 * Warning Event; the schema already rejected malformed fields at apply time.
 */
public final class HealingClusterValidator {
    private HealingClusterValidator() {
    }

    public static Optional<String> validate(HealingClusterSpec spec) {
        if (spec == null) {
            return Optional.of("spec is missing");
        }
        if (spec.health != null) {
            if (Durations.parse(spec.health.startupTimeout).filter(d -> !d.isZero()).isEmpty()) {
                return Optional.of("spec.health.startupTimeout must be a positive duration such as 10m");
            }
            if (Durations.parse(spec.health.unhealthyAfter).isEmpty()) {
                return Optional.of("spec.health.unhealthyAfter must be a duration such as 5m");
            }
        }
        return Optional.empty();
    }

    /**
     * spec.bootstrap's own problems: they stop bootstraps (a ClusterReferences bootstrap problem), not healing —
     * unlike spec.health's, without which no healing rule is known.
     */
    static Optional<String> validateBootstrap(BootstrapSpec b) {
        if (b == null) {
            return Optional.empty();
        }
        if (Durations.parse(b.timeout).filter(d -> !d.isZero()).isEmpty()) {
            return Optional.of("spec.bootstrap.timeout must be a positive duration such as 30m");
        }
        if (b.http != null) {
            for (String url : new String[]{b.http.url, b.http.statusUrl.replace("{jobId}", "job")}) {
                try {
                    URI uri = new URI(url);
                    if (uri.getHost() == null) {
                        return Optional.of("spec.bootstrap.http: URL " + url + " has no host");
                    }
                } catch (URISyntaxException e) {
                    return Optional.of("spec.bootstrap.http: URL " + url + " is not valid: " + e.getReason());
                }
            }
        }
        if (b.job != null && (b.job.template == null || b.job.template.getSpec() == null
                || b.job.template.getSpec().getTemplate() == null
                || b.job.template.getSpec().getTemplate().getSpec() == null
                || b.job.template.getSpec().getTemplate().getSpec().getContainers() == null
                || b.job.template.getSpec().getTemplate().getSpec().getContainers().isEmpty())) {
            return Optional.of("spec.bootstrap.job.template must have spec.template.spec.containers");
        }
        return Optional.empty();
    }
}
