package io.autoheal.testing;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A Kubernetes manifest a test builds: {@link ClusterManifest}, {@link PoolManifest}. */
public interface Manifest {
    /** The manifest as YAML, ready for {@link TestNamespace#apply(String)}. */
    String toYaml();

    /** Several manifests as one multi-document YAML, applied by one kubectl apply in this order. */
    static String join(Manifest... manifests) {
        return Arrays.stream(manifests).map(Manifest::toYaml).collect(Collectors.joining("---\n"));
    }

    /** A YAML double-quoted scalar (JSON escaping is valid YAML): "40%", "2026.11" and URLs stay strings. */
    /** ", labels: {k: v, ...}" for a flow-style metadata mapping, or nothing without labels. */
    static String labels(java.util.Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        return ", labels: {" + labels.entrySet().stream().map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ")) + "}";
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
