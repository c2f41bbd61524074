package io.autoheal.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Prometheus text exposition (what /q/metrics serves) against the naming and cardinality rules of the
 * {@code autoheal_*} metrics (https://prometheus.io/docs/practices/naming/): every family has non-empty HELP text, a
 * known type and a snake_case name; counters end in {@code _total} and nothing else does; histograms and summaries,
 * and every name that speaks of a duration, latency or age, carry their unit ({@code _seconds} or {@code _bytes});
 * no label names a single machine or address (instance, instance_id, instanceId, allocation_id, ...) and no label
 * value is an EC2 id, so cardinality grows with clusters and pools, never with machines.
 */
final class MetricHygiene {
    static final String PREFIX = "autoheal_";
    static final Set<String> FORBIDDEN_LABELS = Set.of("instance", "instance_id", "instanceid", "allocation_id", "allocationid",
            "association_id", "associationid", "ip", "public_ip", "private_ip", "address", "host", "job_id", "jobid");
    static final Pattern ID_VALUE = Pattern.compile("\\b(i|eipalloc|eipassoc|eni)-[0-9a-f]{8,17}\\b");
    static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    static final Pattern UNIT = Pattern.compile(".*_(seconds|bytes)(_max)?");
    static final Pattern TIME_WORDS = Pattern.compile(".*(duration|latency|_time|_age|_delay|elapsed).*");
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+(\\s+\\S+)?");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final List<String> SUFFIXES = List.of("_total", "_created", "_count", "_sum", "_bucket");
    /**
     * Bucket bounds autoheal_aws_rate_wait_seconds must have: an attempt's wait for the AWS request budget runs from
     * none (under 1 ms) to the default max-wait (10 s); the SLO bounds of AwsRateBudgets.
     */
    static final List<Double> RATE_WAIT_BOUNDS = List.of(0.001, 0.01, 0.1, 1.0, 10.0);

    private MetricHygiene() {
    }

    /** One metric family of the exposition: its # TYPE, # HELP and the sample names and label names seen. */
    static final class Family {
        final String name;
        String type;
        String help;
        final Set<String> sampleNames = new TreeSet<>();
        final Set<String> labelNames = new TreeSet<>();
        final Set<String> idValues = new TreeSet<>();

        Family(String name) {
            this.name = name;
        }
    }

    /** The families whose name starts with prefix, by name. */
    static Map<String, Family> families(String exposition, String prefix) {
        Map<String, Family> all = new LinkedHashMap<>();
        List<String[]> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            line = line.strip();
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                Family f = all.computeIfAbsent(parts[0], Family::new);
                String text = parts.length > 1 ? parts[1].strip() : "";
                if (line.startsWith("# HELP ")) {
                    f.help = text;
                } else {
                    f.type = text;
                }
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches()) {
                    samples.add(new String[] {m.group(1), m.group(3) == null ? "" : m.group(3)});
                }
            }
        }
        for (String[] s : samples) {
            Family f = familyOf(all, s[0]);
            if (f == null) {
                f = all.computeIfAbsent(s[0], Family::new); // a sample without # TYPE / # HELP
            }
            f.sampleNames.add(s[0]);
            Matcher l = LABEL.matcher(s[1]);
            while (l.find()) {
                if (!l.group(1).equals("le") && !l.group(1).equals("quantile")) {
                    f.labelNames.add(l.group(1));
                }
                if (ID_VALUE.matcher(l.group(2)).find()) {
                    f.idValues.add(l.group(1) + "=" + l.group(2));
                }
            }
        }
        Map<String, Family> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Family familyOf(Map<String, Family> all, String sample) {
        if (all.containsKey(sample) && all.get(sample).type != null) {
            return all.get(sample);
        }
        for (String suffix : SUFFIXES) {
            if (sample.endsWith(suffix)) {
                Family f = all.get(sample.substring(0, sample.length() - suffix.length()));
                if (f != null && f.type != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Every violation of the rules above among the autoheal_* families; empty when the exposition is clean. */
    static List<String> problems(String exposition) {
        List<String> problems = new ArrayList<>();
        Map<String, Family> families = families(exposition, PREFIX);
        if (families.isEmpty()) {
            problems.add("no " + PREFIX + "* metric in the exposition");
        }
        for (Family f : families.values()) {
            String n = f.name;
            if (f.help == null || f.help.isBlank()) {
                problems.add(n + ": no # HELP text (set a description on the meter)");
            }
            if (f.type == null || !Set.of("counter", "gauge", "histogram", "summary").contains(f.type)) {
                problems.add(n + ": type " + f.type + " (expected counter, gauge, histogram or summary)");
                continue;
            }
            if (!SNAKE.matcher(n).matches()) {
                problems.add(n + ": not a snake_case name");
            }
            if (f.sampleNames.isEmpty()) {
                problems.add(n + ": declared but no sample");
            }
            switch (f.type) {
                case "counter" -> f.sampleNames.stream().filter(s -> !s.endsWith("_total") && !s.endsWith("_created"))
                        .forEach(s -> problems.add(n + ": counter sample " + s + " does not end in _total"));
                case "histogram", "summary" -> {
                    if (!UNIT.matcher(n).matches()) {
                        problems.add(n + ": " + f.type + " without a unit suffix (_seconds, _bytes)");
                    }
                }
                default -> {
                    if (n.endsWith("_total")) {
                        problems.add(n + ": a " + f.type + " must not end in _total (reserved for counters)");
                    }
                }
            }
            if (TIME_WORDS.matcher(n).matches() && !UNIT.matcher(n).matches()) {
                problems.add(n + ": measures time but has no _seconds unit suffix");
            }
            for (String label : f.labelNames) {
                if (FORBIDDEN_LABELS.contains(label.toLowerCase(java.util.Locale.ROOT))) {
                    problems.add(n + ": label " + label + " names a single machine/address (unbounded cardinality)");
                }
            }
            f.idValues.forEach(v -> problems.add(n + ": label value " + v + " is an AWS resource id (unbounded cardinality)"));
        }
        return problems;
    }

    /** The finite bucket bounds ({@code le}, in the metric's unit) of a histogram's {@code _bucket} samples. */
    static Set<Double> bucketBounds(String exposition, String histogram) {
        Set<Double> bounds = new TreeSet<>();
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        for (String line : exposition.split("\n")) {
            if (line.startsWith(histogram + "_bucket{")) {
                Matcher m = le.matcher(line);
                if (m.find() && !m.group(1).equals("+Inf")) {
                    bounds.add(Double.parseDouble(m.group(1)));
                }
            }
        }
        return bounds;
    }

    /**
     * A histogram must have a bucket bound at each of {@code required} (e.g. 30 s ... 1 h for bootstrap durations:
     * with Micrometer's default buckets, which stop at 30 s, every longer job reads as 30 s in histogram_quantile).
     */
    static List<String> bucketProblems(String exposition, String histogram, List<Double> required) {
        Set<Double> bounds = bucketBounds(exposition, histogram);
        if (bounds.isEmpty()) {
            return List.of(histogram + ": no _bucket samples");
        }
        List<Double> missing = required.stream().filter(b -> !bounds.contains(b)).toList();
        return missing.isEmpty() ? List.of() : List.of(histogram + ": no bucket at le=" + missing + " (has " + bounds + ")");
    }
}
