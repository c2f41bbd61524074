package io.autoheal.cluster;

import io.autoheal.fleet.Tags;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Optional;

/** A resource's shard: its autoheal.io/shard label (none: the unsharded operator's). See docs/scaling.md. */
public final class Shards {
    private Shards() {
    }

    public static Optional<String> of(HasMetadata resource) {
        var labels = resource.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(Tags.SHARD)).filter(v -> !v.isBlank());
    }

    /** Whether two resources are served by the same operator. */
    public static boolean same(HasMetadata a, HasMetadata b) {
        return Objects.equals(of(a).orElse(null), of(b).orElse(null));
    }

    public static String describe(HasMetadata resource) {
        return of(resource).map(s -> "shard " + s).orElse("no shard");
    }
}
