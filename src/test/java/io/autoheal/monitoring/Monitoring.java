package io.autoheal.monitoring;

import io.autoheal.testing.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/** Paths of deploy/monitoring and running the Prometheus tools of Debian's prometheus package (scripts/prereqs.sh). */
final class Monitoring {
    static final String RUNBOOK_BASE = "https://github.com/autoheal-io/autoheal-operator/blob/main/docs/runbook.md#";

    private Monitoring() {
    }

    static Path dir() {
        return Sandbox.root().resolve("deploy/monitoring");
    }

    static Path rules() {
        return dir().resolve("rules/autoheal.rules.yaml");
    }

    /** The absolute path of a tool on PATH (or /usr/bin), failing — never skipping — when it is missing. */
    static String tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed: the monitoring tests need Debian's prometheus package "
                + "(`apt-get install prometheus`; scripts/prereqs.sh / make prereqs installs it).");
    }

    static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan", "atan2");

    /**
     * The metric names a PromQL expression reads: string literals, label matchers, range/offset durations and
     * by/without/on/ignoring/group_* label lists removed, then every identifier that is not a function call, keyword or
     * number. Every name found must exist in Prometheus.
     */
    static Set<String> referencedMetrics(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    record Run(int exit, String output) {
    }

    static Run run(Path workDir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
