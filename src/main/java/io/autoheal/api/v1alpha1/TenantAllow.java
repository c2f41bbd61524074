package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Allow-lists of glob patterns ('*' matches any run of characters, nothing else is special; a value must match a pattern
 * as written). A list left out allows anything; an empty list allows nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantAllow {
    static final String GLOB = "^[A-Za-z0-9_.:/()#,@+=*-]{1,512}$";

    @Size(max = 64)
    @JsonPropertyDescription("Instance profiles (spec.template.machine.iamInstanceProfile, name or ARN as written) the clusters may "
            + "launch with, e.g. arn:aws:iam::222222222222:instance-profile/team-b-*. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> instanceProfiles;

    @Size(max = 64)
    @JsonPropertyDescription("Subnets (spec.subnetIds) the clusters may launch into, e.g. subnet-0123*. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> subnets;

    @Size(max = 64)
    @JsonPropertyDescription("Security groups (spec.template.machine.securityGroupIds) the machines may have. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> securityGroups;

    @Size(max = 64)
    @JsonPropertyDescription("AMIs (spec.template.machine.imageId) the machines may boot. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> images;

    @Size(max = 64)
    @JsonPropertyDescription("Existing launch templates (spec.template.launchTemplate, id or name as written) the clusters may reference. "
            + "What a referenced template contains is not checked: allow only templates the platform controls. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> launchTemplates;

    @Size(max = 64)
    @JsonPropertyDescription("Existing Auto Scaling Groups (spec.autoScalingGroupName) the clusters may adopt. Glob patterns; unset: any; []: none.")
    public List<@Pattern(GLOB) String> adoptGroups;

    @Size(max = 10)
    @JsonPropertyDescription("EC2 tags (key: value) every address an ElasticIpPool takes must carry: spec.selector must include them, "
            + "each of spec.addresses must be tagged with them. Addresses the pool allocates itself (spec.allocate) are always "
            + "allowed. Unset: any address.")
    public Map<String, String> addressTags;
}
