package io.autoheal.bench;

import java.util.List;

/**
 * Measurement 2 for one mode: seconds from a machine's stop to the operator's termination, per sample.
 *
 * @param seconds         reaction of each sample that reacted, in the order stopped
 * @param timeouts        samples with no termination within the sample timeout (worst is then "more than" it)
 * @param pollLatencyMs   mean duration of one poll (two moto calls): the resolution of each sample beyond 200 ms
 */
record ReactionResult(String label, List<Double> seconds, int timeouts, double timeoutSeconds, double pollLatencyMs, String error) {

    static ReactionResult failed(String label, String error) {
        return new ReactionResult(label, List.of(), 0, 0, 0, error);
    }

    boolean measured() {
        return error == null && !seconds.isEmpty();
    }

    /** The median of all samples, a timeout counting as the longest. */
    double median() {
        List<Double> all = new java.util.ArrayList<>(seconds);
        for (int i = 0; i < timeouts; i++) {
            all.add(Double.POSITIVE_INFINITY);
        }
        all.sort(Double::compare);
        int n = all.size();
        return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
    }

    double worst() {
        return timeouts > 0 ? Double.POSITIVE_INFINITY : seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
