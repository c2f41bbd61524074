package io.autoheal.scale;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API server's apiserver_request_total summed by "VERB resource[/subresource]" (resource requests only). */
final class ApiRequests {
    static final String COLLECTION_DELETE = "DELETECOLLECTION";
    static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION", "UPDATE", "CREATE");
    private static final Pattern REQUESTS = Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    private ApiRequests() {
    }

    static Map<String, Long> byVerbAndResource(String metrics) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = REQUESTS.matcher(metrics);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            if (resource.isEmpty()) {
                continue; // /metrics, /healthz, discovery: not the operator's resources
            }
            String subresource = labels.getOrDefault("subresource", "");
            String verb = labels.getOrDefault("verb", "?");
            if ("DELETE".equals(verb) && !"resource".equals(labels.getOrDefault("scope", "resource"))) {
                verb = COLLECTION_DELETE; // a deletecollection: the API server counts it as DELETE of scope "namespace"
            }
            String key = verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
            counts.merge(key, (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return counts;
    }

    /**
     * Resources the operator writes (its own, their Events, bootstrap Jobs, discovery ConfigMaps): the sandbox's
     * kube-controller-manager renews its own Leases all the time, which are not the operator's writes.
     */
    static final Set<String> OPERATOR_RESOURCES = Set.of("healingclusters", "elasticippools", "events", "jobs", "configmaps", "secrets");

    static boolean isWrite(String verbAndResource) {
        return WRITE_VERBS.contains(verbAndResource.substring(0, verbAndResource.indexOf(' ')));
    }

    /**
     * A write to one of {@link #OPERATOR_RESOURCES} (any subresource). Collection deletes are not the operator's (it
     * never makes one): kube-controller-manager empties a namespace another test deleted that way, one per kind, in the
     * background — the counters have no user or namespace to tell them apart otherwise.
     */
    static boolean isOperatorWrite(String verbAndResource) {
        String resource = verbAndResource.substring(verbAndResource.indexOf(' ') + 1).split("/")[0];
        return isWrite(verbAndResource) && !verbAndResource.startsWith(COLLECTION_DELETE + " ") && OPERATOR_RESOURCES.contains(resource);
    }
}
