package io.autoheal.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One application probe the operator sends to every machine in service, after Kubernetes' liveness probes. */
@ValidationRule(value = "(has(self.http) ? 1 : 0) + (has(self.tcp) ? 1 : 0) + (has(self.sip) ? 1 : 0) == 1",
        message = "spec.health.probes[]: exactly one of http, tcp or sip must be set")
public class ProbeSpec {
    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Probe name (lower-case letters, digits, '-'), unique in the list; shown in status, Events and metrics.")
    public String name;

    @JsonPropertyDescription("HTTP GET probe: a 2xx or 3xx answer within timeoutSeconds is a success.")
    public HttpProbe http;

    @JsonPropertyDescription("TCP probe: a connection accepted within timeoutSeconds is a success.")
    public TcpProbe tcp;

    @JsonPropertyDescription("SIP probe: a SIP OPTIONS request; any SIP response within timeoutSeconds is a success.")
    public SipProbe sip;

    @Default("PrivateIp")
    @JsonPropertyDescription("Which address of the machine is probed: PrivateIp (default), PublicIp or ElasticIp.")
    public ProbeAddress address = ProbeAddress.PrivateIp;

    @Default("10")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("How often the probe runs, in seconds. Default 10.")
    public int periodSeconds = 10;

    @Default("1")
    @Min(1)
    @Max(60)
    @JsonPropertyDescription("A probe without an answer after this many seconds fails. Default 1.")
    public int timeoutSeconds = 1;

    @Default("3")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Consecutive failures after which the machine is Unhealthy (ProbeFailed). Default 3.")
    public int failureThreshold = 3;

    @Default("1")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Consecutive successes after which a failing machine counts as passing again. Default 1.")
    public int successThreshold = 1;

    @Default("0")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds to wait, from the moment the machine is in service (bootstrapped, if bootstrap is configured), before the first probe. Default 0.")
    public int initialDelaySeconds = 0;

    public enum ProbeAddress { PrivateIp, PublicIp, ElasticIp }

    public enum Scheme { HTTP, HTTPS }

    public enum Transport { UDP, TCP }

    public static class HttpProbe {
        @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Port to send the request to.")
        public int port;

        @Default("/")
        @Size(max = 1024)
        @Pattern("^/[\\x21-\\x7e]*$")
        @JsonPropertyDescription("Request path, starting with '/', printable ASCII without spaces (percent-encode others). Default /.")
        public String path = "/";

        @Default("HTTP")
        @JsonPropertyDescription("HTTP (default) or HTTPS (the machine's certificate is not verified: the probe checks liveness, not identity).")
        public Scheme scheme = Scheme.HTTP;
    }

    public static class TcpProbe {
        @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Port to connect to.")
        public int port;
    }

    public static class SipProbe {
        @Default("5060")
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("SIP port. Default 5060.")
        public int port = 5060;

        @Default("UDP")
        @JsonPropertyDescription("UDP (default) or TCP.")
        public Transport transport = Transport.UDP;
    }
}
