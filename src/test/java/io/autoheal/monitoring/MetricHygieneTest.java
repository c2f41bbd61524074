package io.autoheal.monitoring;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.cloud.aws.AwsRateBudgets;
import io.autoheal.config.OperatorConfig;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The checkers MonitoringE2ETest applies to the live operator catch what they claim to catch (on hand-written
 * expositions and PromQL; the live checks themselves run in MonitoringE2ETest).
 */
class MetricHygieneTest {
    static final String CLEAN = """
            # HELP autoheal_remediations_total Machines replaced by the operator, by reason
            # TYPE autoheal_remediations_total counter
            autoheal_remediations_total{cluster="web",namespace="prod",reason="Stopped"} 1.0
            # HELP autoheal_cluster_instances Machines of a cluster by state
            # TYPE autoheal_cluster_instances gauge
            autoheal_cluster_instances{cluster="web",namespace="prod",state="desired"} 2.0
            # HELP autoheal_aws_request_seconds Duration of AWS API calls
            # TYPE autoheal_aws_request_seconds histogram
            autoheal_aws_request_seconds_bucket{operation="DescribeInstances",service="Ec2",le="0.1"} 3
            autoheal_aws_request_seconds_count{operation="DescribeInstances",service="Ec2"} 3
            autoheal_aws_request_seconds_sum{operation="DescribeInstances",service="Ec2"} 0.2
            # HELP autoheal_aws_request_seconds_max Duration of AWS API calls
            # TYPE autoheal_aws_request_seconds_max gauge
            autoheal_aws_request_seconds_max{operation="DescribeInstances",service="Ec2"} 0.1
            # HELP jvm_threads_live_threads no autoheal_ prefix: not checked
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 12
            """;

    @Test
    void aCleanExpositionHasNoProblems() {
        assertThat(MetricHygiene.problems(CLEAN)).isEmpty();
        assertThat(MetricHygiene.families(CLEAN, "autoheal_")).containsOnlyKeys("autoheal_remediations_total",
                "autoheal_cluster_instances", "autoheal_aws_request_seconds", "autoheal_aws_request_seconds_max");
    }

    @Test
    void missingHelpWrongSuffixesAndPerMachineLabelsAreReported() {
        String bad = """
                # HELP autoheal_remediations_total
                # TYPE autoheal_remediations_total counter
                autoheal_remediations_total{cluster="web",namespace="prod"} 1.0
                # HELP autoheal_restarts Restarts
                # TYPE autoheal_restarts counter
                autoheal_restarts{cluster="web"} 1.0
                # HELP autoheal_bootstrap_duration Bootstrap duration
                # TYPE autoheal_bootstrap_duration histogram
                autoheal_bootstrap_duration_bucket{le="1.0"} 1
                # HELP autoheal_pool_free_total Free addresses
                # TYPE autoheal_pool_free_total gauge
                autoheal_pool_free_total{pool="p"} 1
                # HELP autoheal_machine_up One per machine
                # TYPE autoheal_machine_up gauge
                autoheal_machine_up{instance_id="i-0123456789abcdef0"} 1
                autoheal_machine_up{allocation_id="x"} 1
                # HELP autoheal_eip_state One per address
                # TYPE autoheal_eip_state gauge
                autoheal_eip_state{pool="p",state="eipalloc-0123456789abcdef0"} 1
                # HELP autoheal_sync_latency How late the last sync was
                # TYPE autoheal_sync_latency gauge
                autoheal_sync_latency 3
                autoheal_undeclared 1
                """;
        assertThat(MetricHygiene.problems(bad)).containsExactlyInAnyOrder(
                "autoheal_remediations_total: no # HELP text (set a description on the meter)",
                "autoheal_restarts: counter sample autoheal_restarts does not end in _total",
                "autoheal_bootstrap_duration: histogram without a unit suffix (_seconds, _bytes)",
                "autoheal_bootstrap_duration: measures time but has no _seconds unit suffix",
                "autoheal_pool_free_total: a gauge must not end in _total (reserved for counters)",
                "autoheal_machine_up: label allocation_id names a single machine/address (unbounded cardinality)",
                "autoheal_machine_up: label instance_id names a single machine/address (unbounded cardinality)",
                "autoheal_machine_up: label value instance_id=i-0123456789abcdef0 is an AWS resource id (unbounded cardinality)",
                "autoheal_eip_state: label value state=eipalloc-0123456789abcdef0 is an AWS resource id (unbounded cardinality)",
                "autoheal_sync_latency: measures time but has no _seconds unit suffix",
                "autoheal_undeclared: no # HELP text (set a description on the meter)",
                "autoheal_undeclared: type null (expected counter, gauge, histogram or summary)");
    }

    @Test
    void histogramBucketsAreCheckedAgainstTheBoundsTheyMustHave() {
        String exposition = """
                # HELP autoheal_bootstrap_duration_seconds Bootstrap job duration, trigger to final phase
                # TYPE autoheal_bootstrap_duration_seconds histogram
                autoheal_bootstrap_duration_seconds_bucket{cluster="web",namespace="prod",le="0.001"} 0
                autoheal_bootstrap_duration_seconds_bucket{cluster="web",namespace="prod",le="10.0"} 0
                autoheal_bootstrap_duration_seconds_bucket{cluster="web",namespace="prod",le="30.0"} 1
                autoheal_bootstrap_duration_seconds_bucket{cluster="web",namespace="prod",le="+Inf"} 3
                autoheal_bootstrap_duration_seconds_count{cluster="web",namespace="prod"} 3
                """;
        assertThat(MetricHygiene.bucketBounds(exposition, "autoheal_bootstrap_duration_seconds")).containsExactly(0.001, 10.0, 30.0);
        assertThat(MetricHygiene.bucketProblems(exposition, "autoheal_bootstrap_duration_seconds", List.of(30.0, 600.0, 3600.0)))
                .containsExactly("autoheal_bootstrap_duration_seconds: no bucket at le=[600.0, 3600.0] (has [0.001, 10.0, 30.0])");
        assertThat(MetricHygiene.bucketProblems(exposition, "autoheal_bootstrap_duration_seconds", List.of(10.0, 30.0))).isEmpty();
        assertThat(MetricHygiene.bucketProblems(CLEAN, "autoheal_bootstrap_duration_seconds", List.of(30.0)))
                .containsExactly("autoheal_bootstrap_duration_seconds: no _bucket samples");
    }

    @Test
    void theAwsRequestBudgetsMetricsAreCleanAndItsWaitBucketsRunFromMillisecondsToSeconds() {
        // The meters as the operator registers them, rendered by the Prometheus registry it uses.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorConfig config = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build().getConfigMapping(OperatorConfig.class);
        // on a frozen clock: no refill between the token taken and the scrape, so exactly one token is missing
        ExecutionInterceptor budget = io.autoheal.cloud.aws.FrozenRateBudgets.of(config, registry).interceptor(AwsScope.own("eu-west-1")).orElseThrow();
        budget.beforeTransmission(null, ExecutionAttributes.builder().put(SdkExecutionAttribute.OPERATION_NAME, "DescribeInstances").build());
        String exposition = registry.scrape();
        assertThat(MetricHygiene.problems(exposition)).isEmpty();
        assertThat(MetricHygiene.families(exposition, "autoheal_aws_rate_").keySet()).contains("autoheal_aws_rate_budget_tokens",
                "autoheal_aws_rate_wait_seconds", "autoheal_aws_rate_refused_total");
        assertThat(MetricHygiene.families(exposition, "autoheal_aws_rate_").values()).allSatisfy(f ->
                assertThat(f.labelNames).as(f.name).containsExactlyInAnyOrder("region", "account", "category"));
        assertThat(MetricHygiene.bucketProblems(exposition, "autoheal_aws_rate_wait_seconds", MetricHygiene.RATE_WAIT_BOUNDS)).isEmpty();
        // one token taken of the read budget's 50, none refilled (the clock is frozen)
        assertThat(exposition).contains("autoheal_aws_rate_budget_tokens{account=\"own\",category=\"read\",region=\"eu-west-1\",} 49.0\n")
                .contains("autoheal_aws_rate_budget_tokens{account=\"own\",category=\"write\",region=\"eu-west-1\",} 20.0");
        // a tenant role's account is a budget (and a series) of its own
        new AwsRateBudgets(config, registry).interceptor(AwsScope.assumed("eu-west-1", "arn:aws:iam::222222222222:role/autoheal-b", "b")).orElseThrow();
        assertThat(registry.scrape()).contains("autoheal_aws_rate_budget_tokens{account=\"222222222222\",category=\"read\",region=\"eu-west-1\",} 50.0");
    }

    @Test
    void anExpositionWithoutAutohealMetricsIsAProblem() {
        assertThat(MetricHygiene.problems("# TYPE up gauge\nup 1\n")).containsExactly("no autoheal_* metric in the exposition");
    }

    @Test
    void referencedMetricsFindsMetricNamesOnly() {
        assertThat(Monitoring.referencedMetrics("""
                histogram_quantile(0.95, sum by (service, operation, le) (rate(autoheal_aws_request_seconds_bucket{job=~"a|b",x="y{z}"}[5m])))
                """)).containsExactly("autoheal_aws_request_seconds_bucket");
        assertThat(Monitoring.referencedMetrics("""
                (sum by (controller_name) (rate(reconciliations_failure_total[15m])) or sum by (controller_name) (rate(reconciliations_started_total[15m])) * 0)
                / on (controller_name) group_left sum without (instance) (rate(reconciliations_started_total[15m] offset 1m)) > 0.1
                and on (namespace, pool) max by (namespace, pool) (autoheal_eip_pool_exhausted) == bool 1
                """)).containsExactly("reconciliations_failure_total", "reconciliations_started_total", "autoheal_eip_pool_exhausted");
        assertThat(Monitoring.referencedMetrics("absent(up{job=~\".*autoheal.*\"} == 1)")).containsExactly("up");
        assertThat(Monitoring.referencedMetrics("count(x > 0) or vector(0)")).containsExactly("x");
    }
}
