package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.DiscoveryTemplate;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.SandboxClient;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TemplateSource against the real API server: a template is read from its watch (an edit is seen without asking), an
 * edit wakes exactly the clusters that use that ConfigMap, and a watch stops when no cluster uses its ConfigMap.
 */
@Tag(SandboxTest.TAG)
class TemplateSourceTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("tmpl-src");

    static HealingCluster cluster(String name) {
        return ClusterManifest.named(name).toResource(ns.name());
    }

    static DiscoveryTemplate ref(String configMap) {
        DiscoveryTemplate ref = new DiscoveryTemplate();
        ref.configMapName = configMap;
        ref.key = "t.tmpl";
        return ref;
    }

    static void template(String configMap, String text) {
        SandboxClient.get().configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(configMap).endMetadata().withData(Map.of("t.tmpl", text)).build()).serverSideApply();
    }

    @Test
    void readsFromItsWatchWakesTheClustersUsingTheEditedTemplateAndStopsUnusedWatches() {
        TemplateSource source = new TemplateSource(SandboxClient.get());
        List<ResourceID> woken = new CopyOnWriteArrayList<>();
        source.eventSource().setEventHandler(e -> woken.add(e.getRelatedCustomResourceID()));
        source.eventSource().start();
        template("shared", "v1");
        HealingCluster a = cluster("a");
        HealingCluster b = cluster("b");
        HealingCluster c = cluster("c");

        assertThat(source.read(a, ref("shared"))).contains("v1");
        assertThat(source.read(b, ref("shared"))).contains("v1");
        assertThat(source.read(c, ref("missing"))).isEmpty();
        assertThat(source.watched()).isEqualTo(2);

        woken.clear();
        template("shared", "v2");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(woken).contains(ResourceID.fromResource(a),
                ResourceID.fromResource(b)));
        assertThat(woken).doesNotContain(ResourceID.fromResource(c));
        assertThat(source.read(a, ref("shared"))).contains("v2");

        // The missing ConfigMap appears: its cluster wakes and reads it.
        woken.clear();
        template("missing", "now here");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(woken).containsOnly(ResourceID.fromResource(c)));
        assertThat(source.read(c, ref("missing"))).isEqualTo(Optional.of("now here"));

        // a moves to the other template, b forgets its own: "shared" is unused, its watch stops; c's stays.
        source.read(a, ref("missing"));
        assertThat(source.watched()).isEqualTo(2);
        source.forget(b);
        assertThat(source.watched()).isEqualTo(1);
        source.forget(a);
        assertThat(source.watched()).isEqualTo(1);
        source.forget(c);
        assertThat(source.watched()).isZero();
    }
}
