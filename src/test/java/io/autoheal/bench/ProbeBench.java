package io.autoheal.bench;

import io.autoheal.api.v1alpha1.ProbeSpec;
import io.autoheal.health.probe.ProbeAddressGuard;
import io.autoheal.health.probe.ProbeBook;
import io.autoheal.health.probe.ProbeConnector;
import io.autoheal.health.probe.Prober;
import io.autoheal.health.probe.VertxProbeConnector;
import io.autoheal.metrics.ProbeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}, part 5 (issue 25): one prober, 10,000 machines (1,000 clusters of 10) probed by HTTP every 10 s —
 * 1,000 probes a second — each machine on its own address of 127.0.0.0/8, against a listener in a separate process (so
 * the CPU measured is the prober's). Reports the process's CPU per wall second over a steady window after a warm-up,
 * the heap the prober retains (used heap after GC, before and with the 10,000 machines tracked), and how many probes
 * passed, failed or were refused. Goals: under one core, under 64 MiB extra heap. Alone:
 * {@code mvn -B -o test -Dtest=ProbeBench} (no sandbox needed).
 */
class ProbeBench {
    static final int CLUSTERS = Integer.getInteger("bench.probes.clusters", 1000);
    static final int MACHINES = 10;
    static final int PERIOD_SECONDS = 10;
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.probes.warmup", 20));
    static final Duration WINDOW = Duration.ofSeconds(Long.getLong("bench.probes.window", 30));
    static final double CORE_GOAL = 1.0;
    static final long HEAP_GOAL = 64L << 20;

    record Result(int machines, double probesPerSecond, double cores, long extraHeap, long passed, long failed, long refused, String firstError) {
        List<String> verdicts() {
            return List.of(
                    String.format("%s probes: %.2f cores for %,d machines at %.0f probes/s (goal < %.1f core)", cores < CORE_GOAL ? "PASS" : "MISS",
                            cores, machines, probesPerSecond, CORE_GOAL),
                    String.format("%s probes: %.1f MiB extra heap retained (goal < 64 MiB)", extraHeap < HEAP_GOAL ? "PASS" : "MISS",
                            extraHeap / 1048576.0));
        }

        String markdown() {
            return String.format("| %,d machines, HTTP every %d s | %.0f probes/s | %.2f cores | %.1f MiB | %,d passed, %,d failed%s, %,d refused |",
                    machines, PERIOD_SECONDS, probesPerSecond, cores, extraHeap / 1048576.0, passed, failed,
                    firstError == null ? "" : " (first: " + firstError + ")", refused);
        }
    }

    @Test
    void probes() throws Exception {
        Result r = run(msg -> System.out.println("[probe bench] " + msg));
        System.out.println("| machines | rate | CPU | extra heap | answers |\n|---|---|---|---|---|\n" + r.markdown());
        r.verdicts().forEach(System.out::println);
    }

    static Result run(java.util.function.Consumer<String> say) throws Exception {
        Process listener = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ProbeListenerMain.class.getName()).redirectErrorStream(true).start();
        Vertx vertx = Vertx.vertx();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port ")) {
                throw new IllegalStateException("the probe listener did not start: " + line);
            }
            int port = Integer.parseInt(line.substring(5).trim());
            AtomicLong passed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            String[] firstError = new String[1];
            VertxProbeConnector real = new VertxProbeConnector(vertx);
            AtomicLong sent = new AtomicLong();
            java.util.Set<String> addressesProbed = java.util.concurrent.ConcurrentHashMap.newKeySet();
            ProbeConnector counting = (spec, address, done) -> { sent.incrementAndGet(); addressesProbed.add(address); real.probe(spec, address, error -> {
                (error == null ? passed : failed).incrementAndGet();
                if (error != null && firstError[0] == null) {
                    firstError[0] = error;
                }
                done.accept(error);
            }); };
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Prober prober = new Prober(counting, new ProbeAddressGuard(List.of("127.0.0.0/8"), List.of("127.0.0.0/8")), key -> { },
                    new ProbeMetrics(registry), Clock.systemUTC());
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = usedAfterGc(memory);

            ProbeSpec web = new ProbeSpec();
            web.name = "web";
            web.http = new ProbeSpec.HttpProbe();
            web.http.port = port;
            web.http.path = "/healthz";
            web.address = ProbeSpec.ProbeAddress.ElasticIp;
            web.periodSeconds = PERIOD_SECONDS;
            java.time.Instant now = java.time.Instant.now();
            for (int c = 0; c < CLUSTERS; c++) {
                List<ProbeBook.Seen> machines = new ArrayList<>();
                for (int m = 0; m < MACHINES; m++) {
                    int n = c * MACHINES + m;
                    String ip = "127." + (1 + n / 62500) + "." + (n / 250 % 250) + "." + (1 + n % 250);
                    machines.add(new ProbeBook.Seen(String.format("i-%017x", n), "us-east-1" + (char) ('a' + m % 3), "172.31.0.1", "54.214.0.1",
                            ip, true, false));
                }
                prober.book().seen("bench/c" + c, List.of(web), machines, now);
            }
            long timer = vertx.setPeriodic(100, id -> prober.tick());
            say.accept(String.format("%,d machines on %,d clusters, HTTP every %d s to port %d; warm-up %d s", CLUSTERS * MACHINES, CLUSTERS,
                    PERIOD_SECONDS, port, WARM_UP.toSeconds()));
            Thread.sleep(WARM_UP.toMillis());
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long answered0 = passed.get() + failed.get();
            long passed0 = passed.get();
            long failed0 = failed.get();
            say.accept("measuring for " + WINDOW.toSeconds() + " s");
            Thread.sleep(WINDOW.toMillis());
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            long answered = passed.get() + failed.get() - answered0;
            say.accept(String.format("sent %,d probes in all to %,d addresses", sent.get(), addressesProbed.size()));
            long heapWith = usedAfterGc(memory);
            vertx.cancelTimer(timer);
            double refused = registry.find("autoheal.probe.refused").counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
            Result r = new Result(CLUSTERS * MACHINES, answered / (wall / 1e9), cpu / (double) wall, Math.max(0, heapWith - heapBefore),
                    passed.get() - passed0, failed.get() - failed0, (long) refused, firstError[0]);
            say.accept(r.markdown());
            if (r.probesPerSecond() < 0.9 * CLUSTERS * MACHINES / (double) PERIOD_SECONDS) {
                throw new AssertionError("the prober did not keep up: " + r.markdown());
            }
            return r;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            listener.getOutputStream().close();
            if (!listener.waitFor(10, TimeUnit.SECONDS)) {
                listener.destroyForcibly();
            }
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
