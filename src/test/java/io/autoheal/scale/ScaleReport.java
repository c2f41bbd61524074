package io.autoheal.scale;

import io.autoheal.testing.Sandbox;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Progress lines, and the report of {@link ScaleBench} + {@link ScaleRestartBench}: the first hands its figures to the
 * second through System properties (JDK strings: the two run in different Quarkus applications, different class
 * loaders), the second writes target/bench/scale.md and the block of docs/performance.md between the scale markers.
 */
final class ScaleReport {
    static final String BEGIN = "<!-- scale-results:begin (written by make bench: ScaleBench + ScaleRestartBench) -->";
    static final String END = "<!-- scale-results:end -->";
    private static final String PREFIX = "scaleharness.handover.";

    private ScaleReport() {
    }

    record HandOver(String namespace, int clusters, String apiAtSave, String header, String rows, String details) {
    }

    static void say(Instant begun, String format, Object... args) {
        Duration d = Duration.between(begun, Instant.now());
        System.out.printf("[scale %02d:%02d] %s%n", d.toMinutes(), d.toSecondsPart(), String.format(format, args));
    }

    /** The load averages (1, 5, 15 min) as uptime shows them. */
    static String load() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return avg[0] + " " + avg[1] + " " + avg[2];
        } catch (java.io.IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String header(Instant begun, String loadAtStart, String loadAfterCold, String loadAtEnd) {
        return String.format("Measured %s UTC on commit %s: %d cores shared with other engineers' builds and tests, load average "
                        + "(1/5/15 min) %s at the start, %s after the cold start, %s at the end; Java %s, max heap %d MiB.",
                begun.atZone(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), commit(),
                Runtime.getRuntime().availableProcessors(), loadAtStart, loadAfterCold, loadAtEnd, System.getProperty("java.version"),
                Memory.maxHeap() >> 20);
    }

    static void handOver(String namespace, int clusters, String apiAtSave, String header, String rows, String details) {
        System.setProperty(PREFIX + "namespace", namespace);
        System.setProperty(PREFIX + "clusters", String.valueOf(clusters));
        System.setProperty(PREFIX + "api", apiAtSave);
        System.setProperty(PREFIX + "header", header);
        System.setProperty(PREFIX + "rows", rows);
        System.setProperty(PREFIX + "details", details);
    }

    /** What the first run handed over, or null when it did not run in this JVM. */
    static HandOver taken() {
        String ns = System.getProperty(PREFIX + "namespace");
        return ns == null ? null : new HandOver(ns, Integer.parseInt(System.getProperty(PREFIX + "clusters")), System.getProperty(PREFIX + "api"),
                System.getProperty(PREFIX + "header"), System.getProperty(PREFIX + "rows"), System.getProperty(PREFIX + "details"));
    }

    static void write(HandOver first, String restartRow, String restartDetails, boolean publish) throws java.io.IOException {
        String block = first.header() + " " + first.clusters() + " clusters.\n\n" + first.rows() + restartRow + "\n" + first.details()
                + "\n" + restartDetails;
        Path results = Sandbox.root().resolve("target/bench/scale.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, block);
        System.out.println("\nresults: " + results);
        if (publish) {
            Path doc = Sandbox.root().resolve("docs/performance.md");
            String text = Files.readString(doc);
            int from = text.indexOf(BEGIN);
            int to = text.indexOf(END);
            if (from >= 0 && to > from) {
                Files.writeString(doc, text.substring(0, from + BEGIN.length()) + "\n" + block + text.substring(to));
                System.out.println("and docs/performance.md (commit it to publish)");
            }
        }
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").directory(Sandbox.root().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 ? "`" + out + "`" : "(unknown)";
        } catch (Exception e) {
            return "(unknown)";
        }
    }
}
