package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Where the cluster's machines in service are published: EndpointSlices, a members ConfigMap, Prometheus HTTP SD. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.template) || self.membersConfigMap",
        message = "spec.discovery.template is rendered into the members ConfigMap: it needs membersConfigMap: true")
public class DiscoverySpec {
    @Required
    @Size(min = 1, max = 20)
    @ValidationRule(value = "self.all(p, self.filter(q, q.name == p.name).size() == 1)", message = "port names must be unique")
    @ValidationRule(value = "self.all(p, self.filter(q, q.port == p.port && q.protocol == p.protocol).size() == 1)",
            message = "a port and protocol may be listed once")
    @JsonPropertyDescription("Ports of the Service <cluster> and of its EndpointSlices: what the machines listen on (e.g. http 80).")
    public List<DiscoveryPort> ports = new ArrayList<>();

    @Default("Private")
    @JsonPropertyDescription("Which address of a machine is published in the EndpointSlices and Prometheus targets: Private "
            + "(default, the private IPv4 address) or Public (its public IPv4 address, the Elastic IP when it holds one).")
    public DiscoveryAddressType addressType = DiscoveryAddressType.Private;

    @Default("true")
    @JsonPropertyDescription("When true (default) the ConfigMap <cluster>-members holds the member list as JSON (key members.json) "
            + "and the rendered template, if one is named.")
    public boolean membersConfigMap = true;

    @JsonPropertyDescription("A Qute template (in a ConfigMap of the same namespace) rendered with the member list into the members "
            + "ConfigMap, e.g. an HAProxy backend list. A template that does not render sets DiscoveryPublished=False "
            + "(TemplateRenderFailed) and the previous rendering stays.")
    public DiscoveryTemplate template;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of the machines' metrics exporter: the port of this cluster's targets on the operator's "
            + "/sd/targets (Prometheus HTTP service discovery) unless the query names one (port=<number or port name>).")
    public Integer metricsPort;
}
