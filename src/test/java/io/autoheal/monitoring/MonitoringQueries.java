package io.autoheal.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The expressions under test, read from deploy/monitoring: the dashboard's queries, the rules, the promtool tests' series. */
final class MonitoringQueries {
    /** What Grafana's $__rate_interval becomes: a few scrapes at Prometheus' 1s interval. */
    static final String RATE_INTERVAL = "20s";

    /** One input series of the promtool unit tests: its metric and label names (job, instance and pod left out). */
    record Series(String metric, Set<String> labels) {
    }

    private MonitoringQueries() {
    }

    /** The plain rules file with every `for:` shortened to 5s, so that alerts fire within the test. */
    static String fastRules() throws IOException {
        return Files.readString(Monitoring.rules()).replaceAll("(?m)^(\\s*for:\\s*)\\S+\\s*$", "$15s");
    }

    /**
     * Every target of the dashboard, with Grafana's variables replaced as Grafana would for this namespace and
     * clusters (a regex such as "web|boot"), and every label_values variable's query.
     */
    static Map<String, String> dashboardQueries(String namespace, String clusters) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode d = new ObjectMapper().readTree(Monitoring.dir().resolve("dashboard.json").toFile());
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText().replace("$namespace", namespace).replace("$cluster", clusters)
                        .replace("$__rate_interval", RATE_INTERVAL).replace("$__interval", "5s");
                out.put("panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(), expr);
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(v.path("definition").asText());
            if (m.matches()) {
                out.put("variable $" + v.path("name").asText(), m.group(1).replace("$namespace", namespace));
            }
        }
        return out;
    }

    /** Every rule's expression, keyed "alert NAME" or "record NAME". */
    static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode g : new YAMLMapper().readTree(Monitoring.rules().toFile()).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.put((r.has("alert") ? "alert " + r.path("alert").asText() : "record " + r.path("record").asText()), r.path("expr").asText());
            }
        }
        return out;
    }

    /** The distinct input series (metric and label names) of the promtool unit tests, `up` aside. */
    static List<Series> promtoolSeries() throws IOException {
        JsonNode tests = new YAMLMapper().readTree(Monitoring.dir().resolve("rules/autoheal.rules.test.yaml").toFile());
        Pattern series = Pattern.compile("(\\w+)\\{(.*)}");
        Set<String> seen = new TreeSet<>();
        List<Series> out = new ArrayList<>();
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
                if (seen.add(m.group(1) + labels)) {
                    out.add(new Series(m.group(1), labels));
                }
            }
        }
        return out;
    }
}
