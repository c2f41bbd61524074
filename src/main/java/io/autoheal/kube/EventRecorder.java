package io.autoheal.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeriesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Records Kubernetes Events (events.k8s.io/v1) on our resources. Repeats of the same reason and message on the
 * same object become a series (count + last time) on one Event, so a stuck condition cannot flood etcd.
 * Failing to record an Event is logged, never allowed to fail a reconcile.
 */
@ApplicationScoped
public class EventRecorder {
    static final String CONTROLLER = "autoheal.io/operator";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.instance = System.getenv().getOrDefault("HOSTNAME", "autoheal-operator");
    }

    public void normal(HasMetadata target, Reason reason, String action, String message) {
        record(target, "Normal", reason, action, message);
    }

    public void warning(HasMetadata target, Reason reason, String action, String message) {
        record(target, "Warning", reason, action, message);
    }

    private void record(HasMetadata target, String type, Reason reason, String action, String message) {
        String ns = target.getMetadata().getNamespace();
        String name = target.getMetadata().getName() + "." + fingerprint(target, type, reason, message);
        MicroTime now = new MicroTime(MICRO.format(clock.instant()));
        try {
            var events = client.events().v1().events().inNamespace(ns);
            Event existing = events.withName(name).get();
            if (existing == null) {
                events.resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .withEventTime(now).withType(type).withReason(reason.name()).withAction(action)
                        .withNote(truncate(message)).withReportingController(CONTROLLER).withReportingInstance(instance)
                        .withRegarding(new ObjectReferenceBuilder().withApiVersion(target.getApiVersion()).withKind(target.getKind())
                                .withName(target.getMetadata().getName()).withNamespace(ns)
                                .withUid(target.getMetadata().getUid()).build())
                        .build()).create();
            } else {
                int count = existing.getSeries() == null ? 2 : existing.getSeries().getCount() + 1;
                existing.setSeries(new EventSeriesBuilder().withCount(count).withLastObservedTime(now).build());
                events.resource(existing).update();
            }
        } catch (KubernetesClientException e) {
            Log.warnf("could not record event %s on %s/%s: %s", reason, ns, target.getMetadata().getName(), e.getMessage());
        }
    }

    private static String fingerprint(HasMetadata target, String type, Reason reason, String message) {
        CRC32 crc = new CRC32();
        crc.update((target.getMetadata().getUid() + type + reason + message).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static String truncate(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }
}
