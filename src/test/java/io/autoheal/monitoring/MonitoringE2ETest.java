package io.autoheal.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.cloud.Tags;
import io.autoheal.testing.Examples;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxResource;
import io.autoheal.testing.SeedBootstrapper;
import io.autoheal.testing.TestNamespace;
import io.autoheal.testing.TestWebhook;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Address;

/**
 * The monitoring against the real thing: Debian's Prometheus scrapes the in-process operator every second and
 * evaluates deploy/monitoring/rules (with every {@code for:} shortened to 5s, see {@link #fastRules()}) while a
 * scripted healing event runs on a cluster of 2 ("web") on a pool of 1 address (so the pool is exhausted) and a
 * bootstrapped cluster of 1 ("boot"):
 * <ol>
 * <li>the machine holding the pool's address is terminated behind the operator's back (the ASG replaces it, the
 * replacement gets the predecessor's address);</li>
 * <li>the other machine of web is stopped: the operator replaces it (autoheal_remediations_total, reason Stopped);</li>
 * <li>a ValidatingAdmissionPolicy refuses status writes of HealingCluster boot for a few seconds: real reconcile
 * failures, counted by JOSDK's reconciliations_failure_total (what AutohealReconcileErrors reads).</li>
 * </ol>
 * Then every dashboard query and every alert expression runs through Prometheus' HTTP API: each may reference only
 * metrics Prometheus has, every dashboard query and the exhaustion alert must return data, every rule must evaluate
 * without error, AutohealEipPoolExhausted must reach firing, and the /q/metrics exposition must pass
 * {@link MetricHygiene}. Nothing is skipped. Set AUTOHEAL_MONITORING_DUMP=file.json to keep the event's series for
 * scripts/monitoring/plot.py.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class MonitoringE2ETest {
    static final Duration SETTLE = Duration.ofSeconds(120);
    static final String RATE_INTERVAL = "20s";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static TestNamespace ns = new TestNamespace("mon");

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Process prometheus;
    Path workDir;
    URI prometheusUrl;
    TestWebhook webhook;
    SeedBootstrapper bootstrapper;
    String denyPolicy;

    @BeforeEach
    void setUp() throws Exception {
        // No Moto.reset(): other suites may share the sandbox's moto; everything here is found by our namespace's tags.
        webhook = new TestWebhook();
        Kubectl.exec(null, "delete", "secret", "autoheal-test-webhook", "-n", "default", "--ignore-not-found");
        Kubectl.run("create", "secret", "generic", "autoheal-test-webhook", "-n", "default", "--from-literal=url=" + webhook.url());
        bootstrapper = new SeedBootstrapper();
        denyPolicy = "autoheal-test-deny-status-" + ns.name();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        allowStatusWrites();
        ns.kubectl("delete", "healingclusters,elasticippools", "--all", "--timeout=90s");
        Kubectl.exec(null, "delete", "secret", "autoheal-test-webhook", "-n", "default", "--ignore-not-found");
        webhook.close();
        bootstrapper.close();
    }

    @Test
    void everyDashboardQueryAndAlertExpressionAnswersDuringAHealingEvent() throws Exception {
        startPrometheus();
        Instant start = Instant.now();
        ns.apply(Examples.withSubnets("""
                apiVersion: autoheal.io/v1alpha1
                kind: ElasticIpPool
                metadata: {name: edge-eips}
                spec: {allocate: {count: 1}}
                ---
                apiVersion: autoheal.io/v1alpha1
                kind: HealingCluster
                metadata: {name: web}
                spec:
                  roles: [edge]
                  environment: staging
                  capacity: {min: 2, desired: 2, max: 3}
                  template: {machine: {imageId: ami-0123456789abcdef0, instanceType: t3.micro}}
                  subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                  elasticIps: {poolRef: edge-eips}
                  health: {maxUnhealthy: "50%"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: boot-creds}
                stringData: {token: s3cret-token}
                ---
                apiVersion: autoheal.io/v1alpha1
                kind: HealingCluster
                metadata: {name: boot}
                spec:
                  roles: [monitoring]
                  environment: staging
                  capacity: {min: 1, desired: 1, max: 2}
                  template: {machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}}
                  subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                  bootstrap:
                    http: {url: "URL", statusUrl: "STATUS", credentialsSecretRef: {name: boot-creds}}
                """.replace("URL", bootstrapper.url()).replace("STATUS", bootstrapper.statusUrl())));

        // Settle: the pool's one address on one machine of web, the other waiting; boot bootstrapped.
        String n = ns.name();
        String exhausted = "autoheal_eip_pool_exhausted{namespace=\"" + n + "\",pool=\"edge-eips\"} 1.0";
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> scrape().contains(exhausted)
                && associatedInstance() != null);
        await().ignoreExceptions().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() ->
                scrape().contains("autoheal_bootstrap_jobs_total{cluster=\"boot\",namespace=\"" + n + "\",outcome=\"succeeded\"}"));
        Thread.sleep(10_000); // a baseline before the event
        Map<String, Long> marks = new LinkedHashMap<>();

        // 1. The machine holding the pool's only address dies behind the operator's back.
        String victim = associatedInstance();
        marks.put("instance terminated (outside the operator)", Instant.now().getEpochSecond());
        Moto.ec2().terminateInstances(b -> b.instanceIds(victim));
        System.out.println("[monitoring-e2e] 1. terminated " + victim + " (the machine holding the pool's address)");
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(alertStates("AutohealEipPoolExhausted"))
                .as("AutohealEipPoolExhausted pending or firing").containsAnyOf("pending", "firing"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(alertStates("AutohealEipPoolExhausted"))
                .as("AutohealEipPoolExhausted firing (for: shortened to 5s)").contains("firing"));
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
        double failuresBefore = failures(scrape());
        RefusalLog refusals = RefusalLog.install(denyPolicy);
        try {
            marks.put("status writes of boot refused", Instant.now().getEpochSecond());
            refuseStatusWritesOf("boot");
            System.out.println("[monitoring-e2e] 3. status writes of healingcluster boot refused");
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> refusals.count() >= 2);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> failures(scrape()) >= failuresBefore + 2);
        } finally {
            refusals.close();
            allowStatusWrites();
        }
        marks.put("status writes allowed again", Instant.now().getEpochSecond());
        System.out.println("[monitoring-e2e] 3. the operator hit the refusal " + refusals.count() + " times; JOSDK failures "
                + failuresBefore + " -> " + failures(scrape()));

        Thread.sleep(25_000); // let the counters move across a rate window and the replacements come

        Set<String> names = metricNames();
        List<String> failures = new ArrayList<>();
        Map<String, String> queries = new LinkedHashMap<>();
        queries.putAll(dashboardQueries());
        queries.putAll(alertExpressions());
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
            JsonNode result = query(q.getValue());
            while (mustHaveData && result.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
                result = query(q.getValue());
            }
            if (mustHaveData && result.isEmpty()) {
                failures.add(q.getKey() + ": no data. Query: " + q.getValue());
            }
            System.out.printf("[monitoring-e2e] %-4s %s -> %d series %s%n", result.isEmpty() && mustHaveData ? "FAIL" : "ok", q.getKey(),
                    result.size(), referenced);
        }
        failures.addAll(everyRuleEvaluatesWithoutError());
        failures.addAll(unitTestSeriesMatchTheRealOnes(names));
        String exposition = scrape();
        List<String> hygiene = MetricHygiene.problems(exposition);
        hygiene.forEach(h -> failures.add("metric hygiene: " + h));
        System.out.printf("[monitoring-e2e] %d queries checked, %d autoheal_* families checked for hygiene, %d failed%n", queries.size(),
                MetricHygiene.families(exposition, "autoheal_").size(), failures.size());
        for (String prefix : List.of("reconciliations_", "events_received", "custom_resources")) {
            MetricHygiene.families(exposition, prefix).values().forEach(f -> System.out.println("[monitoring-e2e] JOSDK family " + f.name
                    + " type=" + f.type + " help=" + (f.help == null || f.help.isBlank() ? "(none)" : "\"" + f.help + "\"") + " labels=" + f.labelNames));
        }
        dumpForPlot(start.minusSeconds(2), Instant.now(), marks);
        assertThat(failures).as("dashboard/alert queries against the live Prometheus").isEmpty();
    }

    // ----- the scripted reconcile failure

    /** A ValidatingAdmissionPolicy (in-tree CEL admission) that refuses status writes of one HealingCluster of our namespace. */
    void refuseStatusWritesOf(String cluster) {
        Kubectl.Result r = Kubectl.exec("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: POLICY}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [autoheal.io]
                        apiVersions: ["*"]
                        operations: [CREATE, UPDATE]
                        resources: [healingclusters/status]
                  validations:
                    - expression: "object.metadata.name != 'CLUSTER'"
                      message: "MonitoringE2ETest refuses status writes of CLUSTER (scripted reconcile failure)"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: POLICY}
                spec:
                  policyName: POLICY
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: NAMESPACE}
                """.replace("POLICY", denyPolicy).replace("CLUSTER", cluster).replace("NAMESPACE", ns.name()), "apply", "-f", "-");
        if (!r.ok()) {
            throw new AssertionError("cannot create the ValidatingAdmissionPolicy: " + r.output());
        }
    }

    /** JOSDK's reconciliations_failure_total of the healingcluster controller in an exposition (0 before the first failure). */
    static double failures(String exposition) {
        Matcher m = Pattern.compile("(?m)^reconciliations_failure_total\\{controller_name=\"healingcluster\"} (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Counts the operator's log records (in this JVM) that report a status write refused by our policy. */
    static final class RefusalLog extends Handler implements AutoCloseable {
        static final String LOGGER = "io.autoheal.cluster.HealingClusterReconciler";
        final String policy;
        final AtomicInteger count = new AtomicInteger();

        RefusalLog(String policy) {
            this.policy = policy;
        }

        static RefusalLog install(String policy) {
            RefusalLog h = new RefusalLog(policy);
            Logger.getLogger(LOGGER).addHandler(h);
            return h;
        }

        int count() {
            return count.get();
        }

        @Override
        public void publish(LogRecord r) {
            String text = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters());
            if (text.contains(policy)) {
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger(LOGGER).removeHandler(this);
        }
    }

    void allowStatusWrites() {
        Kubectl.exec(null, "delete", "validatingadmissionpolicybinding", denyPolicy, "--ignore-not-found");
        Kubectl.exec(null, "delete", "validatingadmissionpolicy", denyPolicy, "--ignore-not-found");
    }

    // ----- Prometheus

    void startPrometheus() throws Exception {
        String binary = Monitoring.tool("prometheus");
        workDir = Files.createTempDirectory("autoheal-prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(workDir.resolve("rules.yaml"), fastRules());
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yaml]
                scrape_configs:
                  - job_name: autoheal-operator
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['TARGET']}]
                """.replace("TARGET", metricsUrl.getHost() + ":" + metricsUrl.getPort()));
        prometheus = new ProcessBuilder(binary, "--config.file=" + workDir.resolve("prometheus.yml"), "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        prometheusUrl = URI.create("http://127.0.0.1:" + port);
        System.out.println("[monitoring-e2e] prometheus " + prometheusUrl + " (config, rules and log in " + workDir + ")");
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
            }
            return get("/-/ready").statusCode() == 200;
        });
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> !query("up{job=\"autoheal-operator\"} == 1").isEmpty());
    }

    /** The plain rules file with every `for:` shortened to 5s, so that alerts fire within the test. */
    static String fastRules() throws IOException {
        return Files.readString(Monitoring.rules()).replaceAll("(?m)^(\\s*for:\\s*)\\S+\\s*$", "$15s");
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(prometheusUrl.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.path("data");
    }

    JsonNode query(String promql) throws Exception {
        return api("/api/v1/query?query=" + enc(promql)).path("result");
    }

    Set<String> metricNames() throws Exception {
        Set<String> names = new TreeSet<>();
        api("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
        return names;
    }

    List<String> alertStates(String alertname) throws Exception {
        List<String> states = new ArrayList<>();
        for (JsonNode a : api("/api/v1/alerts").path("alerts")) {
            if (alertname.equals(a.path("labels").path("alertname").asText()) && ns.name().equals(a.path("labels").path("namespace").asText())) {
                states.add(a.path("state").asText());
            }
        }
        return states;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ----- the expressions under test

    /** Every target of the dashboard, with Grafana's variables replaced as Grafana would for this namespace. */
    Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode d = JSON.readTree(Monitoring.dir().resolve("dashboard.json").toFile());
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText().replace("$namespace", ns.name()).replace("$cluster", "web|boot")
                        .replace("$__rate_interval", RATE_INTERVAL).replace("$__interval", "5s");
                out.put("panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(), expr);
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(v.path("definition").asText());
            if (m.matches()) {
                out.put("variable $" + v.path("name").asText(), m.group(1).replace("$namespace", ns.name()));
            }
        }
        return out;
    }

    static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode g : new YAMLMapper().readTree(Monitoring.rules().toFile()).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.put((r.has("alert") ? "alert " + r.path("alert").asText() : "record " + r.path("record").asText()), r.path("expr").asText());
            }
        }
        return out;
    }

    /** Prometheus' own verdict on every rule of the loaded rules file: evaluated, no error. */
    List<String> everyRuleEvaluatesWithoutError() throws Exception {
        List<String> failures = new ArrayList<>();
        int rules = 0;
        for (JsonNode g : api("/api/v1/rules").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                rules++;
                if (!"ok".equals(r.path("health").asText())) {
                    failures.add("rule " + r.path("name").asText() + " health " + r.path("health").asText() + ": " + r.path("lastError").asText());
                }
            }
        }
        if (rules != alertExpressions().size()) {
            failures.add("Prometheus loaded " + rules + " rules, the rules file has " + alertExpressions().size());
        }
        return failures;
    }

    /** The promtool unit tests' input series have the real names and label names (job/instance/pod aside). */
    List<String> unitTestSeriesMatchTheRealOnes(Set<String> names) throws Exception {
        List<String> failures = new ArrayList<>();
        JsonNode tests = new YAMLMapper().readTree(Monitoring.dir().resolve("rules/autoheal.rules.test.yaml").toFile());
        Pattern series = Pattern.compile("(\\w+)\\{(.*)}");
        Set<String> seen = new TreeSet<>();
        for (JsonNode t : tests.path("tests")) {
            for (JsonNode s : t.path("input_series")) {
                Matcher m = series.matcher(s.path("series").asText());
                if (!m.matches() || m.group(1).equals("up")) {
                    continue;
                }
                Set<String> labels = new TreeSet<>();
                for (String kv : m.group(2).split(",")) {
                    labels.add(kv.substring(0, kv.indexOf('=')).trim());
                }
                labels.removeAll(Set.of("job", "instance", "pod"));
                if (!seen.add(m.group(1) + labels)) {
                    continue;
                }
                if (!names.contains(m.group(1))) {
                    failures.add("promtool test series " + m.group(1) + " does not exist in the operator's metrics");
                    continue;
                }
                JsonNode real = api("/api/v1/series?match[]=" + enc(m.group(1))).get(0);
                Set<String> realLabels = new TreeSet<>();
                real.fieldNames().forEachRemaining(realLabels::add);
                realLabels.removeAll(Set.of("__name__", "job", "instance"));
                if (!realLabels.equals(labels)) {
                    failures.add("promtool test series " + m.group(1) + " has labels " + labels + ", the operator's have " + realLabels);
                }
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
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames("autoheal-" + ns.name() + "-" + cluster))
                .autoScalingGroups().stream().flatMap(g -> g.instances().stream())
                .filter(i -> "InService".equals(i.lifecycleStateAsString())).map(i -> i.instanceId()).sorted().toList();
    }

    /** Key series of the event over its whole span, for scripts/monitoring/plot.py (only when AUTOHEAL_MONITORING_DUMP is set). */
    void dumpForPlot(Instant from, Instant to, Map<String, Long> marks) throws Exception {
        String target = System.getenv("AUTOHEAL_MONITORING_DUMP");
        if (target == null || target.isBlank()) {
            return;
        }
        String n = ns.name();
        Map<String, String> series = new LinkedHashMap<>();
        series.put("instances", "max by (state) (autoheal_cluster_instances{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("ready", "max(autoheal_cluster_ready_replicas{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("pool", "max by (state) (autoheal_eip_pool_addresses{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("waiting", "max(autoheal_eip_pool_waiting_instances{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("exhausted", "max(autoheal_eip_pool_exhausted{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("remediations", "sum by (reason) (autoheal_remediations_total{namespace=\"" + n + "\",cluster=\"web\"})");
        series.put("associations", "sum by (outcome) (autoheal_eip_associations_total{namespace=\"" + n + "\",pool=\"edge-eips\"})");
        series.put("alerts", "max by (alertname, alertstate) (ALERTS{namespace=\"" + n + "\"})");
        series.put("josdk_started", "sum by (controller_name) (reconciliations_started_total)");
        series.put("josdk_failed", "sum by (controller_name) (reconciliations_failure_total)");
        ObjectNode dump = JSON.createObjectNode();
        dump.put("namespace", n).put("start", from.getEpochSecond()).put("end", to.getEpochSecond()).put("scrape_interval_seconds", 1);
        ObjectNode events = dump.putObject("events");
        marks.forEach(events::put);
        ObjectNode data = dump.putObject("series");
        for (Map.Entry<String, String> e : series.entrySet()) {
            data.set(e.getKey(), api("/api/v1/query_range?query=" + enc(e.getValue()) + "&start=" + from.getEpochSecond()
                    + "&end=" + to.getEpochSecond() + "&step=1").path("result"));
        }
        Files.writeString(Path.of(target), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(dump));
        System.out.println("[monitoring-e2e] wrote the event's series to " + target + " (python3 scripts/monitoring/plot.py --dump " + target + ")");
    }
}
