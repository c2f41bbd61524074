package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HttpBootstrapSpec;
import io.autoheal.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The adapter around {@link BootstrapHostPolicy}: resolves hosts (the JVM's resolver, the one the HTTP client uses)
 * and knows the API server's addresses (the client's master URL and, in a pod, KUBERNETES_SERVICE_HOST).
 *
 * <p>Checked twice: on every reconcile for the URLs as written ({@link #refusal}: a condition with reason
 * BootstrapUrlRefused), and right before every request for the concrete URI ({@link #check}), since DNS answers
 * change and a status URL gets a job id the bootstrapper chose. The request-time check resolves the host once and
 * answers the addresses it checked; the request connects to one of those ({@link PinnedHttp}), keeping the host name
 * for the Host header, SNI and the certificate check: no second lookup, no DNS-rebinding window between the check
 * and the connection.
 */
@ApplicationScoped
public class BootstrapUrlGuard implements RequestGuard {
    /** The resolver: every address of a host, empty when it does not resolve. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host);
    }

    private final BootstrapHostPolicy.AllowLists allow;
    private final Supplier<Set<String>> apiServerHosts;
    private final Resolver resolver;

    @Inject
    public BootstrapUrlGuard(OperatorConfig config, KubernetesClient client) {
        this(BootstrapHostPolicy.AllowLists.of(config.bootstrap().allowedHosts(), config.bootstrap().allowInternalHosts())
                        .within(OutboundCidrs.parse(config.outbound().allowedCidrs())),
                () -> apiServerHosts(client), BootstrapUrlGuard::resolve);
    }

    BootstrapUrlGuard(BootstrapHostPolicy.AllowLists allow, Supplier<Set<String>> apiServerHosts, Resolver resolver) {
        this.allow = allow;
        this.apiServerHosts = apiServerHosts;
        this.resolver = resolver;
    }

    /**
     * The URLs of a spec the operator would send requests to, by field. The place for drain URLs too, when the API
     * has them: every URL a custom resource names goes through this guard.
     */
    public static Map<String, String> urls(HealingClusterSpec spec) {
        Map<String, String> urls = new LinkedHashMap<>();
        https(spec).forEach((field, http) -> {
            urls.put(field + ".url", http.url);
            urls.put(field + ".statusUrl", http.statusUrl);
        });
        return urls;
    }

    /** The HTTP runner specs of a cluster by field: spec.bootstrap.http and spec.drain.http. */
    static Map<String, HttpBootstrapSpec> https(HealingClusterSpec spec) {
        Map<String, HttpBootstrapSpec> https = new LinkedHashMap<>();
        if (spec != null && spec.bootstrap != null && spec.bootstrap.http != null) {
            https.put("spec.bootstrap.http", spec.bootstrap.http);
        }
        if (spec != null && spec.drain != null && spec.drain.http != null) {
            https.put("spec.drain.http", spec.drain.http);
        }
        return https;
    }

    /**
     * Credentials travel only over https: an http:// URL of a runner that has a credentialsSecretRef is refused unless
     * its spec says allowInsecure: true. Pure; the scheme never depends on the job id.
     */
    public static Optional<String> insecureCredentials(HealingClusterSpec spec) {
        for (Map.Entry<String, HttpBootstrapSpec> e : https(spec).entrySet()) {
            HttpBootstrapSpec http = e.getValue();
            if (http.credentialsSecretRef == null || Boolean.TRUE.equals(http.allowInsecure)) {
                continue;
            }
            for (Map.Entry<String, String> u : Map.of("url", String.valueOf(http.url), "statusUrl", String.valueOf(http.statusUrl)).entrySet()) {
                if (!Credentials.mayTravel(u.getValue(), false)) {
                    return Optional.of(e.getKey() + "." + u.getKey() + ": credentials (" + e.getKey() + ".credentialsSecretRef) are sent"
                            + " only over https; use an https:// URL, or set " + e.getKey() + ".allowInsecure: true to send them in clear text");
                }
            }
        }
        return Optional.empty();
    }

    /** The fields of a spec that send credentials over plain http because allowInsecure says so (for a Warning). */
    public static List<String> insecureOnPurpose(HealingClusterSpec spec) {
        return https(spec).entrySet().stream().filter(e -> e.getValue().credentialsSecretRef != null
                        && Boolean.TRUE.equals(e.getValue().allowInsecure)
                        && !(Credentials.mayTravel(e.getValue().url, false) && Credentials.mayTravel(e.getValue().statusUrl, false)))
                .map(Map.Entry::getKey).toList();
    }

    /**
     * The first URL of the spec the policy refuses, as a condition message naming the field. A host that does not
     * resolve now is not refused here (DNS hiccups must not stop healing); no request goes there either.
     */
    public Optional<String> refusal(HealingClusterSpec spec) {
        Optional<String> insecure = insecureCredentials(spec);
        if (insecure.isPresent()) {
            return insecure;
        }
        for (Map.Entry<String, String> e : urls(spec).entrySet()) {
            String url = e.getValue();
            if (url == null || authority(url).contains(HttpBootstrapConfig.JOB_ID_PLACEHOLDER)) {
                continue; // the host depends on the job id: checked before each request, once the id is known
            }
            URI uri;
            try {
                uri = new URI(url.replace(HttpBootstrapConfig.JOB_ID_PLACEHOLDER, "job"));
            } catch (URISyntaxException ex) {
                continue; // HealingClusterValidator reports malformed URLs
            }
            BootstrapHostPolicy.Verdict v = verdict(uri);
            if (v.outcome() == BootstrapHostPolicy.Outcome.REFUSED) {
                return Optional.of(message(e.getKey(), v));
            }
        }
        return Optional.empty();
    }

    @Override
    public Checked check(String field, URI uri) {
        String host = BootstrapHostPolicy.normalize(uri.getHost());
        List<InetAddress> addresses = host.isEmpty() ? List.of() : resolver.resolve(host);
        BootstrapHostPolicy.Verdict v = verdict(host, addresses);
        return switch (v.outcome()) {
            case ALLOWED -> new Go(addresses);
            case REFUSED -> new Stop(BootstrapFailure.UrlRefused, message(field, v));
            case UNRESOLVED -> new Stop(BootstrapFailure.Unreachable, field + ": " + v.why());
        };
    }

    /** Why a request is not sent: the guard's Stop as an exception, for callers that connect themselves. */
    public static final class Refused extends Exception {
        private final transient Stop stop;

        Refused(Stop stop) {
            super(stop.message());
            this.stop = stop;
        }

        public Stop stop() {
            return stop;
        }
    }

    /**
     * The addresses the host of this URI resolves to, every one of them checked (policy and allowed CIDRs): the HTTP
     * client connects to one of these, never resolving again. Refused (UrlRefused or Unreachable) before any
     * connection is attempted when the host may not be called or does not resolve.
     */
    public List<InetAddress> checkedAddresses(URI uri) throws Refused {
        Checked checked = check(String.valueOf(uri.getHost()), uri);
        if (checked instanceof Stop stop) {
            throw new Refused(stop.failure() == BootstrapFailure.Unreachable
                    ? new Stop(stop.failure(), stop.message().substring(stop.message().indexOf(": ") + 2)) : stop);
        }
        return ((Go) checked).addresses();
    }

    private BootstrapHostPolicy.Verdict verdict(URI uri) {
        String host = BootstrapHostPolicy.normalize(uri.getHost());
        return verdict(host, host.isEmpty() ? List.of() : resolver.resolve(host));
    }

    private BootstrapHostPolicy.Verdict verdict(String host, List<InetAddress> addresses) {
        Set<InetAddress> apiServer = new HashSet<>();
        apiServerHosts.get().forEach(h -> apiServer.addAll(resolver.resolve(h)));
        return BootstrapHostPolicy.decide(host, addresses, apiServer, allow);
    }

    /** What lies between "://" and the path: host, port, user info. */
    private static String authority(String url) {
        int start = url.indexOf("://");
        String rest = start < 0 ? url : url.substring(start + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        return rest.substring(0, end);
    }

    private static String message(String field, BootstrapHostPolicy.Verdict v) {
        return field + ": " + v.why() + ". The operator sends no request there (deploy/README.md, Multi-tenant clusters)";
    }

    static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }

    private static Set<String> apiServerHosts(KubernetesClient client) {
        return Stream.of(client.getMasterUrl().getHost(), System.getenv("KUBERNETES_SERVICE_HOST"))
                .filter(h -> h != null && !h.isBlank()).map(BootstrapHostPolicy::normalize).collect(java.util.stream.Collectors.toSet());
    }
}
