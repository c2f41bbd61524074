package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RemediationRecord {
    @JsonPropertyDescription("The replaced instance.")
    public String instanceId;
    @JsonPropertyDescription("Why it was replaced.")
    public String reason;
    @JsonPropertyDescription("When (RFC 3339).")
    public String time;
    @JsonPropertyDescription("The launch template version the replaced machine ran, when known: a rollout stops while a machine of its version failed within the hour.")
    public String version;

    public RemediationRecord() {
    }

    public RemediationRecord(String instanceId, String reason, String time) {
        this.instanceId = instanceId;
        this.reason = reason;
        this.time = time;
    }
}
