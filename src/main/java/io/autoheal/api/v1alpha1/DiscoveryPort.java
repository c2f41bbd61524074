package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One port the machines serve on, published on the Service and its EndpointSlices. */
public class DiscoveryPort {
    @Required
    @Size(min = 1, max = 15)
    @Pattern("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
    @JsonPropertyDescription("Port name (an IANA service name: 1-15 lower-case letters, digits or '-'), e.g. http.")
    public String name;

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port number the machines listen on.")
    public int port;

    @Default("TCP")
    @JsonPropertyDescription("TCP (default), UDP or SCTP.")
    public DiscoveryProtocol protocol = DiscoveryProtocol.TCP;

    public DiscoveryPort() {
    }

    public DiscoveryPort(String name, int port, DiscoveryProtocol protocol) {
        this.name = name;
        this.port = port;
        this.protocol = protocol;
    }
}
