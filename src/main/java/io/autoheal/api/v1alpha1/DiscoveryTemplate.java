package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A template in a ConfigMap, rendered with the member list into the members ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.outputKey) ? self.outputKey != 'members.json' : self.key != 'members.json.tmpl'",
        message = "the rendering may not be written over members.json")
public class DiscoveryTemplate {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
    @JsonPropertyDescription("Name of a ConfigMap in the same namespace that holds the template.")
    public String configMapName;

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[-._a-zA-Z0-9]{1,253}$")
    @JsonPropertyDescription("Key of the template in that ConfigMap, e.g. haproxy.cfg.tmpl.")
    public String key;

    @Size(min = 1, max = 253)
    @Pattern("^[-._a-zA-Z0-9]{1,253}$")
    @JsonPropertyDescription("Key of the rendering in the members ConfigMap. Default: the template key without a trailing .tmpl "
            + "(haproxy.cfg.tmpl renders into haproxy.cfg). Must not be members.json.")
    public String outputKey;

    /** The key the rendering is written under. */
    public String renderedKey() {
        if (outputKey != null) {
            return outputKey;
        }
        return key.endsWith(".tmpl") && key.length() > 5 ? key.substring(0, key.length() - 5) : key + ".rendered";
    }
}
