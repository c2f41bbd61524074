package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class ElasticIpsSpec {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of an ElasticIpPool in the same namespace.")
    public String poolRef;

    @Default("true")
    @JsonPropertyDescription("When true (default) a machine is not Ready, and not bootstrapped, until it has its Elastic IP.")
    public boolean required = true;
}
