package io.autoheal.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoheal.bootstrap.TestBootstrapper;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.StatusWriteRefusal;
import io.autoheal.testing.TestNamespace;
import io.autoheal.testing.TestWebhook;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Address;

/**
 * The monitoring against the real thing: Debian's Prometheus ({@link PrometheusServer}) scrapes the in-process
 * operator every second and evaluates deploy/monitoring/rules (with every {@code for:} shortened to 5s, see
 * {@link MonitoringQueries#fastRules()}) while a scripted healing event runs on a cluster of 2 ("web") on a pool of
 * 1 address (so the pool is exhausted) and a bootstrapped cluster of 1 ("boot"):
 * <ol>
 * <li>the machine holding the pool's address is terminated behind the operator's back (the ASG replaces it, the
 * replacement gets the predecessor's address);</li>
 * <li>the other machine of web is stopped: the operator replaces it (autoheal_remediations_total, reason Stopped);</li>
 * <li>a ValidatingAdmissionPolicy ({@link StatusWriteRefusal}) refuses status writes of HealingCluster boot for a few seconds: real reconcile
 * failures, counted by JOSDK's reconciliations_failure_total (what AutohealReconcileErrors reads).</li>
 * </ol>
 * Then every dashboard query and every alert expression runs through Prometheus' HTTP API: each may reference only
 * metrics Prometheus has, every dashboard query and the exhaustion alert must return data, every rule must evaluate
 * without error, AutohealEipPoolExhausted must reach firing, and the /q/metrics exposition must pass
 * {@link MetricHygiene} (and the bootstrap-duration histogram must have buckets from 30 s to 1 h, the AWS request
 * budget's wait histogram from 1 ms to 10 s).
 * Nothing is skipped. Set AUTOHEAL_MONITORING_DUMP=file.json to keep the event's series for
 * scripts/monitoring/plot.py ({@link EventPlot}).
 */
@SandboxTest
class MonitoringE2ETest {
    static final Duration SETTLE = Duration.ofSeconds(120);

    @RegisterExtension
    static TestNamespace ns = new TestNamespace("mon");

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    PrometheusServer prometheus;
    TestWebhook webhook;
    TestBootstrapper bootstrapper;
    StatusWriteRefusal refusal;
    /** Stands in for the probed machine's service: a TCP listener on every loopback address (moto's Elastic IPs are there). */
    java.net.ServerSocket probeTarget;

    @BeforeEach
    void setUp() throws Exception {
        // No Moto.reset(): other suites may share the sandbox's moto; everything here is found by our namespace's tags.
        webhook = new TestWebhook();
        Kubectl.exec(null, "delete", "secret", "autoheal-test-webhook", "-n", "default", "--ignore-not-found");
        Kubectl.run("create", "secret", "generic", "autoheal-test-webhook", "-n", "default", "--from-literal=url=" + webhook.url());
        bootstrapper = TestBootstrapper.start();
        refusal = new StatusWriteRefusal(ns.name());
        probeTarget = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"));
        Thread accept = new Thread(() -> {
            while (!probeTarget.isClosed()) {
                try (java.net.Socket ignored = probeTarget.accept()) {
                    // a TCP probe only needs the connection accepted
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "probe-target");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        refusal.allow();
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        Kubectl.exec(null, "delete", "secret", "autoheal-test-webhook", "-n", "default", "--ignore-not-found");
        webhook.close();
        bootstrapper.close();
        probeTarget.close();
    }

    @Test
    void everyDashboardQueryAndAlertExpressionAnswersDuringAHealingEvent() throws Exception {
        prometheus = PrometheusServer.start(MonitoringQueries.fastRules(), metricsUrl);
        Instant start = Instant.now();
        ns.apply(Manifest.join(PoolManifest.named("edge-eips").allocate(1),
                ClusterManifest.named("web").roles("edge").capacity(2, 2, 3).instanceType("t3.micro").poolRef("edge-eips").maxUnhealthy("50%"),
                ClusterManifest.named("boot").roles("monitoring").capacity(1, 1, 2)
                        .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).credentials("boot-creds", "s3cret-token"),
                // probed, so that the probe metrics (and AutohealProbesInconclusive's) exist as they do in a fleet with probes
                PoolManifest.named("probe-eips").allocate(1),
                ClusterManifest.named("probed").roles("probed").capacity(1, 1, 1).poolRef("probe-eips")
                        .probe("{name: app, tcp: {port: " + probeTarget.getLocalPort() + "}, address: ElasticIp, periodSeconds: 1}")));

        // Settle: the pool's one address on one machine of web, the other waiting; boot bootstrapped.
        String n = ns.name();
        String exhausted = "autoheal_eip_pool_exhausted{namespace=\"" + n + "\",pool=\"edge-eips\"} 1.0";
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> scrape().contains(exhausted)
                && associatedInstance() != null);
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() ->
                scrape().contains("autoheal_bootstrap_jobs_total{cluster=\"boot\",namespace=\"" + n + "\",outcome=\"succeeded\"}"));
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() ->
                scrape().contains("autoheal_probes_total{cluster=\"probed\",namespace=\"" + n + "\"") && scrape().contains("autoheal_probes_inconclusive{"));
        Thread.sleep(10_000); // a baseline before the event
        Map<String, Long> marks = new LinkedHashMap<>();

        // 1. The machine holding the pool's only address dies behind the operator's back.
        String victim = associatedInstance();
        marks.put("instance terminated (outside the operator)", Instant.now().getEpochSecond());
        Moto.ec2().terminateInstances(b -> b.instanceIds(victim));
        System.out.println("[monitoring-e2e] 1. terminated " + victim + " (the machine holding the pool's address)");
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(prometheus.alertStates("AutohealEipPoolExhausted", n)).as("AutohealEipPoolExhausted pending or firing")
                        .containsAnyOf("pending", "firing"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(prometheus.alertStates("AutohealEipPoolExhausted", n)).as("AutohealEipPoolExhausted firing (for: shortened to 5s)")
                        .contains("firing"));
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String a = associatedInstance();
            return a != null && !a.equals(victim);
        });

        // 2. The other machine of web stops: the operator replaces it (within the budget: 1 of 2 <= 50%).
        String holder = associatedInstance();
        String stopped = await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> inServiceMachines("web").stream()
                .filter(i -> !i.equals(holder) && !i.equals(victim)).findFirst().orElse(null), i -> i != null);
        marks.put("instance stopped (operator replaces it)", Instant.now().getEpochSecond());
        Moto.ec2().stopInstances(b -> b.instanceIds(stopped));
        System.out.println("[monitoring-e2e] 2. stopped " + stopped);
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() ->
                scrape().contains("autoheal_remediations_total{cluster=\"web\",namespace=\"" + n + "\",reason=\"Stopped\"}"));

        // 3. Status writes of boot refused until the operator has hit the refusal twice: JOSDK counts failed
        // reconciliations. The sandbox is shared (other namespaces' conflicts count too), so the refusals are
        // recognised by the operator's own log line naming our policy, and the counter must have grown past them.
        double failuresBefore = StatusWriteRefusal.failures(scrape());
        StatusWriteRefusal.RefusalLog refusals = refusal.countRefusals();
        try {
            marks.put("status writes of boot refused", Instant.now().getEpochSecond());
            refusal.refuse("boot");
            // A status at rest is not written again (the operator patches only changes): a new desired size makes one.
            ns.kubectl("scale", "hc/boot", "--replicas=2");
            System.out.println("[monitoring-e2e] 3. status writes of healingcluster boot refused (and boot scaled to 2)");
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> refusals.count() >= 2);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> StatusWriteRefusal.failures(scrape()) >= failuresBefore + 2);
        } finally {
            refusals.close();
            refusal.allow();
        }
        marks.put("status writes allowed again", Instant.now().getEpochSecond());
        System.out.println("[monitoring-e2e] 3. the operator hit the refusal " + refusals.count() + " times; JOSDK failures "
                + failuresBefore + " -> " + StatusWriteRefusal.failures(scrape()));

        Thread.sleep(25_000); // let the counters move across a rate window and the replacements come

        Set<String> names = prometheus.metricNames();
        Map<String, String> queries = new LinkedHashMap<>();
        queries.putAll(MonitoringQueries.dashboardQueries(ns.name(), "web|boot"));
        queries.putAll(MonitoringQueries.alertExpressions());
        List<String> failures = new ArrayList<>(everyQueryAnswers(queries, names));
        failures.addAll(prometheus.ruleProblems(MonitoringQueries.alertExpressions().size()));
        failures.addAll(unitTestSeriesMatchTheRealOnes(names));
        String exposition = scrape();
        List<String> hygiene = new ArrayList<>(MetricHygiene.problems(exposition));
        // Bootstrap durations are minutes long (timeout 30m by default): the buckets must reach an hour.
        hygiene.addAll(MetricHygiene.bucketProblems(exposition, "autoheal_bootstrap_duration_seconds",
                List.of(30.0, 60.0, 300.0, 600.0, 1800.0, 3600.0)));
        // Waits for the AWS request budget: from none to seconds.
        hygiene.addAll(MetricHygiene.bucketProblems(exposition, "autoheal_aws_rate_wait_seconds", MetricHygiene.RATE_WAIT_BOUNDS));
        hygiene.forEach(h -> failures.add("metric hygiene: " + h));
        System.out.printf("[monitoring-e2e] %d queries checked, %d autoheal_* families checked for hygiene, %d failed%n", queries.size(),
                MetricHygiene.families(exposition, "autoheal_").size(), failures.size());
        for (String prefix : List.of("reconciliations_", "events_received", "custom_resources")) {
            MetricHygiene.families(exposition, prefix).values().forEach(f -> System.out.println("[monitoring-e2e] JOSDK family " + f.name
                    + " type=" + f.type + " help=" + (f.help == null || f.help.isBlank() ? "(none)" : "\"" + f.help + "\"") + " labels=" + f.labelNames));
        }
        EventPlot.dump(prometheus, ns.name(), start.minusSeconds(2), Instant.now(), marks);
        assertThat(failures).as("dashboard/alert queries against the live Prometheus").isEmpty();
    }

    /**
     * Each query references only metrics Prometheus has; every dashboard query and the exhaustion alert return data
     * (within a minute for all of them together).
     */
    List<String> everyQueryAnswers(Map<String, String> queries, Set<String> names) throws Exception {
        List<String> failures = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Set<String> referenced = Monitoring.referencedMetrics(q.getValue());
            if (referenced.isEmpty()) {
                failures.add(q.getKey() + ": no metric found in the query (extractor broken?): " + q.getValue());
            }
            Set<String> missing = new TreeSet<>(referenced);
            missing.removeAll(names);
            if (!missing.isEmpty()) {
                failures.add(q.getKey() + ": metric(s) " + missing + " do not exist. Query: " + q.getValue());
                continue;
            }
            boolean alert = q.getKey().startsWith("alert ");
            boolean mustHaveData = !alert || q.getKey().equals("alert AutohealEipPoolExhausted");
            JsonNode result = prometheus.query(q.getValue());
            while (mustHaveData && result.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
                result = prometheus.query(q.getValue());
            }
            if (mustHaveData && result.isEmpty()) {
                failures.add(q.getKey() + ": no data. Query: " + q.getValue());
            }
            System.out.printf("[monitoring-e2e] %-4s %s -> %d series %s%n", result.isEmpty() && mustHaveData ? "FAIL" : "ok", q.getKey(),
                    result.size(), referenced);
        }
        return failures;
    }

    /** The promtool unit tests' input series have the real names and label names (job/instance/pod aside). */
    List<String> unitTestSeriesMatchTheRealOnes(Set<String> names) throws Exception {
        List<String> failures = new ArrayList<>();
        for (MonitoringQueries.Series s : MonitoringQueries.promtoolSeries()) {
            if (!names.contains(s.metric())) {
                failures.add("promtool test series " + s.metric() + " does not exist in the operator's metrics");
                continue;
            }
            Set<String> realLabels = new TreeSet<>(prometheus.labelNames(s.metric()));
            realLabels.removeAll(Set.of("__name__", "job", "instance"));
            if (!realLabels.equals(s.labels())) {
                failures.add("promtool test series " + s.metric() + " has labels " + s.labels() + ", the operator's have " + realLabels);
            }
        }
        return failures;
    }

    // ----- helpers

    String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(metricsUrl.toURI()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The machine that holds the pool's only address (found by the pool tag the operator puts on its addresses). */
    String associatedInstance() {
        return Moto.ec2().describeAddresses(b -> b.filters(f -> f.name("tag:" + Tags.POOL).values(ns.name() + "/edge-eips"))).addresses().stream()
                .map(Address::instanceId).filter(i -> i != null && !i.isEmpty()).findFirst().orElse(null);
    }

    /** The InService machines of one of our clusters' Auto Scaling Group. */
    List<String> inServiceMachines(String cluster) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(io.autoheal.testing.Groups.name(ns, cluster)))
                .autoScalingGroups().stream().flatMap(g -> g.instances().stream())
                .filter(i -> "InService".equals(i.lifecycleStateAsString())).map(i -> i.instanceId()).sorted().toList();
    }
}
