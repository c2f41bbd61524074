package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class InlineMachine {
    @Required
    @Pattern("^ami-[0-9a-f]{8,17}$")
    @JsonPropertyDescription("AMI ID, e.g. ami-0123456789abcdef0.")
    public String imageId;

    @Required
    @Pattern("^[a-z][a-z0-9-]*\\.[a-z0-9-]+$")
    @JsonPropertyDescription("EC2 instance type, e.g. t3.micro.")
    public String instanceType;

    @JsonPropertyDescription("Name of the EC2 key pair for SSH access.")
    public String keyName;

    @Size(max = 5)
    @JsonPropertyDescription("Security group IDs of the machines.")
    public List<@Pattern("^sg-[0-9a-f]{8,17}$") String> securityGroupIds;

    @JsonPropertyDescription("IAM instance profile name or ARN.")
    public String iamInstanceProfile;

    @Size(max = 16384)
    @JsonPropertyDescription("User data script, plain text (the operator base64-encodes it). At most 16 KiB.")
    public String userData;

    @Size(max = 40)
    @ValidationRule(value = "self.all(k, !k.startsWith('aws:') && !k.startsWith('autoheal.io/'))",
            message = "spec.template.machine.tags: keys starting with aws: or autoheal.io/ are reserved")
    @JsonPropertyDescription("Extra EC2 tags for the machines. Keys starting with aws: or autoheal.io/ are reserved.")
    public Map<String, String> tags;
}
