package io.autoheal.fast;

import static io.autoheal.fast.FastResources.cluster;
import static io.autoheal.fast.FastResources.withGatedBootstrap;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.bootstrap.Credentials;
import io.autoheal.bootstrap.HttpBootstrapConfig;
import io.autoheal.bootstrap.HttpBootstrapRunner;
import io.autoheal.cluster.ClusterNames;
import io.autoheal.testing.FastOperator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bootstrapper that accepts every connection and never answers costs a pass nothing: its calls run off the pass
 * (real threads here, unlike the rest of the fast tier), every pass returns in far less than the request timeout,
 * and healing goes on, in that cluster and in another.
 */
@Tag("fast")
class BlackHoledBootstrapperFastTest {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    final ExecutorService callThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-bootstrap-call");
        t.setDaemon(true);
        return t;
    });
    final FastOperator op = new FastOperator(callThreads);
    final List<Socket> held = new CopyOnWriteArrayList<>();
    ServerSocket blackHole;

    @AfterEach
    void close() throws IOException {
        callThreads.shutdownNow();
        if (blackHole != null) {
            blackHole.close();
        }
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void aBlackHoledBootstrapperCostsAPassNothing() throws IOException {
        blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!blackHole.isClosed()) {
                try {
                    held.add(blackHole.accept()); // accepted, never read, never answered
                } catch (IOException e) {
                    return;
                }
            }
        }, "black-hole");
        accept.setDaemon(true);
        accept.start();
        String base = "http://127.0.0.1:" + blackHole.getLocalPort();
        op.runnerOverride = new HttpBootstrapRunner(new HttpBootstrapConfig(URI.create(base + "/ansible/role/"), base + "/ansible/results/{jobId}",
                Credentials.none(), Duration.ofSeconds(2), REQUEST_TIMEOUT, Optional.empty()), (field, uri) -> new io.autoheal.bootstrap.RequestGuard.Go(List.of(InetAddress.getLoopbackAddress())));

        HealingCluster bootstrapped = withGatedBootstrap(cluster("bh", 3));
        bootstrapped.getSpec().bootstrap.gateLaunch = false; // machines serve while their bootstrap is pending
        HealingCluster plain = cluster("plain", 2);
        op.clusters.add(plain);
        op.run(2, Duration.ofSeconds(10)); // warms the JVM up (class loading) on a cluster without bootstrap
        op.clusters.add(bootstrapped);

        Duration slowest = Duration.ZERO;
        for (int i = 0; i < 4; i++) {
            slowest = max(slowest, timedTick());
        }
        String victim = op.fleet.serving(asg(plain)).get(0);
        String ownVictim = op.fleet.serving(asg(bootstrapped)).get(0);
        op.fleet.stop(victim);
        op.fleet.stop(ownVictim);
        for (int i = 0; i < 6; i++) {
            slowest = max(slowest, timedTick());
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(held.size()).as("calls held by the bootstrapper: its 3 machines and the replacement, at most 4 at once"
                        + " (the per-endpoint limit)").isBetween(3, 4));
        assertThat(slowest).as("slowest pass, with a request timeout of " + REQUEST_TIMEOUT).isLessThan(Duration.ofSeconds(2));
        assertThat(op.fleet.state(victim)).isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(plain))).hasSize(2).doesNotContain(victim);
        assertThat(op.fleet.state(ownVictim)).as("the black-holed cluster heals too").isEqualTo("terminated");
        assertThat(op.fleet.serving(asg(bootstrapped))).hasSize(3).doesNotContain(ownVictim);
    }

    private Duration timedTick() {
        long start = System.nanoTime();
        op.tick(Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("pass took " + took.toMillis() + " ms");
        return took;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String asg(HealingCluster hc) {
        return ClusterNames.asgName(hc, io.autoheal.fleet.Installations.LEGACY, java.util.List.of());
    }
}
