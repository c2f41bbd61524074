package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;

public class JobBootstrapSpec {
    @Required
    @PreserveUnknownFields
    @SchemaFrom(type = OpaqueObject.class)
    @JsonPropertyDescription("Kubernetes Job template (metadata and spec, as in a CronJob's jobTemplate). The operator adds env AUTOHEAL_HOST, AUTOHEAL_ROLE, AUTOHEAL_ENV and AUTOHEAL_INSTANCE_ID to every container. Validated by the API server when the Job is created.")
    public JobTemplateSpec template;
}
