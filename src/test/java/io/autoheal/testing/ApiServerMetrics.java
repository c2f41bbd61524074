package io.autoheal.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real kube-apiserver's own request counters (its /metrics, read with the sandbox's admin token). */
public final class ApiServerMetrics {
    private static final Pattern REQUESTS = Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)} (\\S+)$");

    private ApiServerMetrics() {
    }

    /**
     * Write requests (APPLY, PATCH, PUT, UPDATE, any answer) to the status subresource of one autoheal.io resource
     * (e.g. "healingclusters"), over the API server's life. Counted as received, so a write that changed nothing
     * counts too.
     */
    public static long statusWrites(String resource) {
        return statusWrites(scrape(), resource);
    }

    /** The API server's /metrics text as of now: scraped once, several counters read at the same instant. */
    public static String scrape() {
        return Kubectl.run("get", "--raw", "/metrics");
    }

    /** {@link #statusWrites(String)} as of an earlier {@link #scrape()}. */
    public static long statusWrites(String metrics, String resource) {
        Matcher m = REQUESTS.matcher(metrics);
        long total = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("group=\"autoheal.io\"") && labels.contains("resource=\"" + resource + "\"")
                    && labels.contains("subresource=\"status\"") && labels.matches(".*verb=\"(APPLY|PATCH|PUT|UPDATE)\".*")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
