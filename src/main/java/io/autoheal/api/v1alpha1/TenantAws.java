package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantAws {
    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")
    @JsonPropertyDescription("IAM role assumed (STS AssumeRole) for the clusters and pools of these namespaces, e.g. "
            + "arn:aws:iam::222222222222:role/autoheal-team-b. Unset: the operator's own identity.")
    public String roleArn;
}
