package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpBootstrapSpec {
    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("URL the operator POSTs host, role and env to (form fields), e.g. http://bootstrapper:5000/ansible/role/. The response body is the job id.")
    public String url;

    @Required
    @Pattern("^https?://[^\\s]+$")
    @ValidationRule(value = "self.contains('{jobId}')", message = "spec.bootstrap.http.statusUrl must contain the placeholder {jobId}")
    @JsonPropertyDescription("URL template of a job's status; {jobId} is replaced, e.g. http://bootstrapper:5000/ansible/results/{jobId}.")
    public String statusUrl;

    @JsonPropertyDescription("Secret in the same namespace with the bootstrapper credentials: key 'token' (bearer) or keys 'username' and 'password' (basic auth). Optional key 'ca.crt': PEM CA bundle for TLS.")
    public SecretRef credentialsSecretRef;

    @JsonPropertyDescription("Send the credentials of credentialsSecretRef over plain http:// too (clear text; a Warning Event says so). Without it an http:// URL with credentials is refused (reason BootstrapUrlRefused).")
    public Boolean allowInsecure;

    @PreserveUnknownFields
    @SchemaFrom(type = OpaqueObject.class)
    @JsonPropertyDescription("Extra variables sent as JSON in the form field extra_vars.")
    public Map<String, Object> extraVars;
}
