package io.autoheal.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An ElasticIpPool for tests: either {@code allocate(count)} addresses or {@code selector(tag, value)} over
 * existing ones.
 *
 * <pre>
 * ns.apply(Manifest.join(PoolManifest.named("shared").allocate(5), ClusterManifest.named("alpha").poolRef("shared")));
 * </pre>
 */
public final class PoolManifest implements Manifest {
    private final String name;
    private Integer allocate;
    private final java.util.List<String> addresses = new java.util.ArrayList<>();
    private final Map<String, String> selector = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    private PoolManifest(String name) {
        this.name = name;
    }

    public static PoolManifest named(String name) {
        return new PoolManifest(name);
    }

    public PoolManifest label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    /** The operator allocates this many addresses for the pool. */
    public PoolManifest allocate(int count) {
        this.allocate = count;
        return this;
    }

    /** The pool lists existing addresses by allocation id. */
    public PoolManifest addresses(String... allocationIds) {
        addresses.addAll(java.util.List.of(allocationIds));
        return this;
    }

    /** The pool takes existing addresses carrying this EC2 tag. */
    public PoolManifest selector(String tag, String value) {
        selector.put(tag, value);
        return this;
    }

    @Override
    public String toYaml() {
        StringBuilder spec = new StringBuilder();
        if (allocate != null) {
            spec.append("allocate: {count: ").append(allocate).append('}');
        }
        if (!selector.isEmpty()) {
            spec.append(spec.isEmpty() ? "" : ", ").append("selector: {").append(selector.entrySet().stream()
                    .map(e -> Manifest.quote(e.getKey()) + ": " + Manifest.quote(e.getValue())).collect(Collectors.joining(", "))).append('}');
        }
        if (!addresses.isEmpty()) {
            spec.append(spec.isEmpty() ? "" : ", ").append("addresses: [").append(String.join(", ", addresses)).append(']');
        }
        return """
                apiVersion: autoheal.io/v1alpha1
                kind: ElasticIpPool
                metadata: {name: %s%s}
                spec: {%s}
                """.formatted(name, Manifest.labels(labels), spec);
    }
}
