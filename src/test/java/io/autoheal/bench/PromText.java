package io.autoheal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples of a Prometheus text exposition (the operator's /q/metrics, the API server's /metrics), read as counters. */
final class PromText {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final List<Sample> samples;

    private PromText(List<Sample> samples) {
        this.samples = samples;
    }

    static PromText parse(String text) {
        List<Sample> out = new ArrayList<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new PromText(out);
    }

    /** The packaged operator's /q/metrics. */
    static PromText scrapeOperator(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("operator /q/metrics answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape the operator's /q/metrics on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    double sum(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(filter).mapToDouble(Sample::value).sum();
    }

    /** Per key (built from each sample's labels), how much the counter grew from {@code before} to this scrape. */
    Map<String, Double> growth(PromText before, String name, Predicate<Sample> filter, java.util.function.Function<Sample, String> key) {
        Map<String, Double> then = new LinkedHashMap<>();
        before.named(name).stream().filter(filter).forEach(s -> then.merge(key.apply(s), s.value(), Double::sum));
        Map<String, Double> now = new LinkedHashMap<>();
        named(name).stream().filter(filter).forEach(s -> now.merge(key.apply(s), s.value(), Double::sum));
        Map<String, Double> out = new LinkedHashMap<>();
        now.forEach((k, v) -> {
            double d = v - then.getOrDefault(k, 0.0);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
