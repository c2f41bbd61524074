package io.autoheal.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds a status' condition list from the previous one: a condition keeps its lastTransitionTime while its
 * status does not change, so "since when" stays true across reconciles and restarts.
 */
public final class Conditions {
    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final Instant now;

    public Conditions(List<Condition> previous, Long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation == null ? 0 : generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    public Conditions set(ConditionType type, boolean status, Reason reason, String message) {
        String value = status ? "True" : "False";
        String since = find(previous, type).filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).orElse(now.toString());
        next.removeIf(c -> c.getType().equals(type.name()));
        next.add(new ConditionBuilder().withType(type.name()).withStatus(value).withReason(reason.name())
                .withMessage(message == null ? "" : message).withObservedGeneration(generation)
                .withLastTransitionTime(since).build());
        return this;
    }

    /**
     * Keeps a condition exactly as the previous status had it (reason, message, times), for a pass that could not
     * re-evaluate it; absent stays absent. Its reason is copied as text, never parsed, so any value survives.
     */
    public Conditions carry(ConditionType type) {
        find(previous, type).ifPresent(c -> {
            next.removeIf(n -> n.getType().equals(type.name()));
            next.add(new ConditionBuilder(c).build());
        });
        return this;
    }

    public List<Condition> build() {
        List<Condition> out = new ArrayList<>(next);
        out.sort(Comparator.comparing(Condition::getType));
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.name().equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, ConditionType type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
