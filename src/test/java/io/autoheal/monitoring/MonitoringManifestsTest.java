package io.autoheal.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.autoheal.testing.Sandbox;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring stays consistent: the PrometheusRule carries exactly the groups of the plain rules file (its single
 * source), every alert is complete and links a runbook section that exists, and the ServiceMonitor and dashboard fit
 * the operator's Service and metrics.
 */
class MonitoringManifestsTest {
    static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void prometheusRuleHasExactlyTheGroupsOfThePlainRulesFile() throws Exception {
        JsonNode plain = YAML.readTree(Monitoring.rules().toFile());
        JsonNode crd = YAML.readTree(Monitoring.dir().resolve("prometheusrule.yaml").toFile());
        assertThat(crd.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(crd.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(crd.path("spec").path("groups"))
                .as("deploy/monitoring/prometheusrule.yaml is out of date: run bash scripts/monitoring/gen-prometheusrule.sh")
                .isEqualTo(plain.path("groups"));
        Monitoring.Run check = Monitoring.run(Sandbox.root(), "bash", "scripts/monitoring/gen-prometheusrule.sh", "--check");
        assertThat(check.exit()).as(check.output()).isZero();
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookSectionThatExists() throws Exception {
        String runbook = Files.readString(Sandbox.root().resolve("docs/runbook.md"));
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : YAML.readTree(Monitoring.rules().toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.has("alert")) {
                    continue;
                }
                String name = rule.path("alert").asText();
                alerts.add(name);
                assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning", "info");
                assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("runbook_url").asText()).as(name)
                        .isEqualTo(Monitoring.RUNBOOK_BASE + name.toLowerCase(Locale.ROOT));
                assertThat(runbook).as("docs/runbook.md has a section headed exactly " + name).containsPattern("(?m)^## " + name + "\\s*$");
                String text = rule.path("annotations").path("summary").asText() + rule.path("annotations").path("description").asText();
                if (text.contains("$labels.cluster")) {
                    assertThat(text).as(name).contains("{{ $labels.namespace }}/{{ $labels.cluster }}");
                }
            }
        }
        assertThat(alerts).contains("AutohealEipPoolExhausted", "AutohealClusterDegraded", "AutohealRemediationBlocked",
                "AutohealBootstrapFailing", "AutohealReconcileErrors", "AutohealAwsThrottling", "AutohealAwsErrors", "AutohealOperatorDown",
                "AutohealEventQueueErrors", "AutohealEventQueueBacklog", "AutohealDrainStuck",
                "AutohealLaunchFailing", "AutohealRolloutFailed", "AutohealRolloutPaused", "AutohealEventsDropped");
    }

    @Test
    void everyAlertHasAPromtoolCaseWhereItFiresAndOneWhereItDoesNot() throws Exception {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : YAML.readTree(Monitoring.rules().toFile()).path("groups")) {
            group.path("rules").forEach(r -> {
                if (r.has("alert")) {
                    alerts.add(r.path("alert").asText());
                }
            });
        }
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : YAML.readTree(Monitoring.dir().resolve("rules/autoheal.rules.test.yaml").toFile()).path("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                (c.path("exp_alerts").isEmpty() ? silent : fires).add(c.path("alertname").asText());
            }
        }
        assertThat(alerts).hasSize(16);
        assertThat(fires).as("alerts with a promtool case where they fire").isEqualTo(alerts);
        assertThat(silent).as("alerts with a promtool case where they do not fire").isEqualTo(alerts);
    }

    @Test
    void serviceMonitorSelectsTheOperatorsMetricsService() throws Exception {
        JsonNode sm = YAML.readTree(Monitoring.dir().resolve("servicemonitor.yaml").toFile());
        JsonNode svc = YAML.readTree(Sandbox.root().resolve("deploy/base/service.yaml").toFile());
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("port").asText()).isEqualTo(svc.path("spec").path("ports").get(0).path("name").asText()).isEqualTo("http-metrics");
        assertThat(sm.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo("autoheal-operator");
        // deploy/base's kustomization adds app.kubernetes.io/name to every object; the Service itself sets component.
        sm.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("app.kubernetes.io/name")) {
                assertThat(svc.path("metadata").path("labels").path(e.getKey()).asText()).as(e.getKey()).isEqualTo(e.getValue().asText());
            }
        });
    }

    @Test
    void dashboardIsAGrafanaDashboardOverAPrometheusDatasourceVariable() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Monitoring.dir().resolve("dashboard.json").toFile());
        assertThat(d.path("schemaVersion").asInt()).isBetween(36, 41);
        List<String> vars = new ArrayList<>();
        d.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText()));
        assertThat(vars).containsExactly("datasource", "namespace", "cluster");
        assertThat(d.path("templating").path("list").get(0).path("query").asText()).isEqualTo("prometheus");
        assertThat(d.path("templating").path("list").get(1).path("definition").asText()).contains("label_values(autoheal_cluster_instances");
        int targets = 0;
        for (JsonNode p : d.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as(p.path("title").asText()).isNotBlank();
                targets++;
            }
        }
        assertThat(targets).isGreaterThan(20);
    }
}
