package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class SecretRef {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
    @JsonPropertyDescription("Name of a Secret in the same namespace.")
    public String name;

    public SecretRef() {
    }

    public SecretRef(String name) {
        this.name = name;
    }
}
