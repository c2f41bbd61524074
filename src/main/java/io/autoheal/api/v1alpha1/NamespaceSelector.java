package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A Kubernetes label selector over namespaces (same fields and meaning as metav1.LabelSelector), bounded in size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceSelector {
    @Size(max = 16)
    @JsonPropertyDescription("Labels (key: value) a namespace must all carry.")
    public Map<String, String> matchLabels;

    @Size(max = 16)
    @JsonPropertyDescription("Requirements on a namespace's labels, all of which must hold.")
    public List<LabelRequirement> matchExpressions;
}
