package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of DiscoveryTest: the order of published versions, haproxy -c, the API server's write counters. */
final class DiscoveryChecks {
    static final Pattern REQUESTS = Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)} (\\S+)$");

    private DiscoveryChecks() {
    }

    /**
     * In the published versions, in order: the first in which the stopped machine is not ready (or gone) comes before the
     * first in which the replacement appears at all.
     */
    static void assertLeftBeforeReplacementJoined(String what, String stopped, String replacement, List<Map<String, Boolean>> timeline) {
        int left = -1;
        int joined = -1;
        for (int i = 0; i < timeline.size(); i++) {
            Map<String, Boolean> v = timeline.get(i);
            if (left < 0 && !Boolean.TRUE.equals(v.get(stopped))) {
                left = i;
            }
            if (joined < 0 && v.containsKey(replacement)) {
                joined = i;
            }
        }
        assertThat(left).as(what + " versions: %s", timeline).isGreaterThanOrEqualTo(0);
        assertThat(joined).as(what + " versions: %s", timeline).isGreaterThanOrEqualTo(0);
        assertThat(left).as(what + ": the stopped machine left before its replacement joined; versions %s", timeline).isLessThan(joined);
    }

    static <T> Watcher<T> recorder(java.util.function.Consumer<T> record) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    record.accept(resource);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    static void haproxyAccepts(String config) throws Exception {
        Path file = Files.createTempFile("haproxy", ".cfg");
        Files.writeString(file, config);
        Process p = new ProcessBuilder(Tool.path("haproxy"), "-c", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("haproxy -c on the rendered configuration:\n" + config + "\n" + out).isZero();
    }

    /** Writes the API server received for Services, EndpointSlices and ConfigMaps, over its life. */
    static long discoveryWrites() {
        Matcher m = REQUESTS.matcher(Kubectl.run("get", "--raw", "/metrics"));
        long total = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.matches(".*resource=\"(services|endpointslices|configmaps)\".*")
                    && labels.matches(".*verb=\"(APPLY|PATCH|PUT|UPDATE|POST|CREATE|DELETE)\".*")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /**
     * Reads (GET, LIST; not WATCH) the API server received for Services, EndpointSlices and ConfigMaps, over its life:
     * by every client, so a test counting them makes none of its own meanwhile.
     */
    static long discoveryReads() {
        Matcher m = REQUESTS.matcher(Kubectl.run("get", "--raw", "/metrics"));
        long total = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.matches(".*resource=\"(services|endpointslices|configmaps)\".*") && labels.matches(".*verb=\"(GET|LIST)\".*")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
