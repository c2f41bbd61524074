package io.autoheal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap-duration histogram as Prometheus scrapes it (the registry the operator uses): its buckets reach past
 * the default bootstrap timeout, so minute-long jobs land in minute buckets instead of all reading as 30 s.
 */
class BootstrapMetricsTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final BootstrapMetrics metrics = new BootstrapMetrics(registry, new ClusterMetrics(registry));

    static HealingCluster cluster() {
        return ClusterManifest.named("web").toResource("prod");
    }

    /** The cumulative count of the bucket with upper bound {@code le} (seconds), or -1 when there is no such bucket. */
    double bucket(String scrape, String le) {
        Matcher m = Pattern.compile("(?m)^autoheal_bootstrap_duration_seconds_bucket\\{[^}]*le=\"" + Pattern.quote(le) + "\"[^}]*} (\\S+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void minuteLongJobsFallIntoMinuteBucketsUpToTwoHours() {
        metrics.finished(cluster(), Duration.ofSeconds(20));
        metrics.finished(cluster(), Duration.ofMinutes(4));
        metrics.finished(cluster(), Duration.ofMinutes(12));
        metrics.finished(cluster(), Duration.ofMinutes(30)); // a job that hit the default timeout
        String scrape = registry.scrape();

        assertThat(bucket(scrape, "30.0")).isEqualTo(1);
        assertThat(bucket(scrape, "120.0")).isEqualTo(1);
        assertThat(bucket(scrape, "300.0")).isEqualTo(2);
        assertThat(bucket(scrape, "600.0")).isEqualTo(2);
        assertThat(bucket(scrape, "900.0")).isEqualTo(3);
        assertThat(bucket(scrape, "1800.0")).isEqualTo(4);
        assertThat(bucket(scrape, "3600.0")).isEqualTo(4);
        assertThat(bucket(scrape, "7200.0")).isEqualTo(4);
        assertThat(bucket(scrape, "+Inf")).isEqualTo(4);
        assertThat(scrape).contains("# TYPE autoheal_bootstrap_duration_seconds histogram");
        // a bounded number of buckets per cluster: the SLO bounds only, not Micrometer's ~70 percentile buckets
        assertThat(scrape.lines().filter(l -> l.startsWith("autoheal_bootstrap_duration_seconds_bucket{")).count())
                .isEqualTo(BootstrapMetrics.DURATION_BUCKETS.size() + 1);
    }
}
