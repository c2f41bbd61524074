package io.autoheal.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One steady-state window of one run (measurements 1 and 4): the operator's AWS calls by operation and its reconcile
 * passes (its own /q/metrics), and the API server's write requests (its own counters), over {@code window}.
 *
 * @param calls       AWS calls in the window by "Service Operation" (plus " [outcome]" when not a success)
 * @param kubeWrites  write requests of the autoheal.io group and of Events in the window, by "resource VERB"
 * @param setupStatusWrites status writes while the fleet became Ready: proof that the counters see the operator's writes
 * @param error       why the run measured nothing (timeout, operator died), else null
 */
record CallsResult(Mode mode, int clusters, int pools, Duration resync, Duration window, Map<String, Double> calls,
                   double clusterPasses, double poolPasses, long clusterStatusWrites, long poolStatusWrites,
                   Map<String, Double> kubeWrites, long setupStatusWrites, String error) {

    static CallsResult failed(Mode mode, int clusters, int pools, Duration resync, String error) {
        return new CallsResult(mode, clusters, pools, resync, Duration.ZERO, Map.of(), 0, 0, 0, 0, Map.of(), 0, error);
    }

    boolean measured() {
        return error == null;
    }

    /** Resync intervals in the window. */
    double resyncs() {
        return window.toMillis() / (double) resync.toMillis();
    }

    double totalCalls() {
        return calls.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Rounds in the window: a round is one pass of every cluster. */
    double rounds() {
        return clusterPasses / clusters;
    }

    /** Rounds per resync: 1.0 means every cluster was passed once per resync (the operator and moto kept up). */
    double keepingUp() {
        return rounds() / resyncs();
    }

    /** What AWS saw per resync interval (capped by how fast moto answers on this machine). */
    double callsPerResync() {
        return totalCalls() / resyncs();
    }

    /**
     * Calls per round (every cluster passed once): what one resync costs when the operator keeps up, and the
     * measure of the goal. Where it does not keep up, time-driven reads (the region refresh) happen more than
     * once per round, so this errs against the inventory.
     */
    double callsPerRound() {
        return totalCalls() / rounds();
    }

    double perRound(String key) {
        return calls.getOrDefault(key, 0.0) / rounds();
    }

    double kubeWritesPerResync() {
        return kubeWrites.values().stream().mapToDouble(Double::doubleValue).sum() / resyncs();
    }
}
