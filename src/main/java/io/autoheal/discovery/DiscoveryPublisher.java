package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoverySpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.kube.ConditionType;
import io.autoheal.kube.Conditions;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes a cluster's members (spec.discovery) after each pass, from the status rows the reporter just built: the
 * Service and its EndpointSlices, the members ConfigMap (JSON and rendered template), the /sd/targets registry. Reports
 * the outcome as the DiscoveryPublished condition (a Warning Event when it turns bad); it never fails the reconcile.
 */
@ApplicationScoped
public class DiscoveryPublisher {
    private final DiscoveryWriter writer;
    private final PublishedObjects published;
    private final TemplateSource templates;
    private final SdRegistry registry;
    private final EventRecorder events;
    private final TemplateRenders renders;

    public DiscoveryPublisher(DiscoveryWriter writer, PublishedObjects published, TemplateSource templates, SdRegistry registry,
                              EventRecorder events) {
        this(writer, published, templates, registry, events, new TemplateRenders(java.time.Clock.systemUTC()));
    }

    @jakarta.inject.Inject
    public DiscoveryPublisher(DiscoveryWriter writer, PublishedObjects published, TemplateSource templates, SdRegistry registry,
                              EventRecorder events, TemplateRenders renders) {
        this.renders = renders;
        this.writer = writer;
        this.published = published;
        this.templates = templates;
        this.registry = registry;
        this.events = events;
    }

    /**
     * What discovery reads comes from these (registered by the reconciler): the published objects' informers and the
     * template watches. A change to any of them wakes its cluster.
     */
    public List<EventSource<?, HealingCluster>> eventSources(EventSourceContext<HealingCluster> context) {
        List<EventSource<?, HealingCluster>> sources = new ArrayList<>(published.eventSources(context));
        sources.add(templates.eventSource());
        return sources;
    }

    /** An outcome of one publication: the condition it sets. */
    record Outcome(boolean ok, Reason reason, String message) {
    }

    /** @param versions launch template version per instance id */
    public void publish(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status, Map<String, String> versions,
                        Instant now) {
        String ns = hc.getMetadata().getNamespace();
        DiscoverySpec spec = hc.getSpec().discovery;
        if (spec == null || spec.template == null || !spec.membersConfigMap) {
            templates.forget(hc);
        }
        if (spec == null) {
            registry.remove(ns, hc.getMetadata().getName());
            if (Conditions.find(previous.conditions, ConditionType.DiscoveryPublished).isPresent()) {
                withdraw(hc, previous, status, now);
            }
            return;
        }
        List<Member> members = Membership.of(hc.getSpec(), status.instances, versions);
        registry.put(new ClusterTargets(ns, hc.getMetadata().getName(), String.join(",", hc.getSpec().roles), hc.getSpec().environment,
                spec.metricsPort, spec.ports, members));
        Outcome outcome = write(hc, spec, members);
        boolean wasSame = Conditions.find(previous.conditions, ConditionType.DiscoveryPublished)
                .map(c -> outcome.reason().name().equals(c.getReason())).orElse(false);
        if (!outcome.ok() && !wasSame) {
            events.warning(hc, outcome.reason(), "PublishMembers", outcome.message());
        }
        setCondition(hc, previous, status, now, outcome);
    }

    private Outcome write(HealingCluster hc, DiscoverySpec spec, List<Member> members) {
        long ready = members.stream().filter(Member::ready).count();
        Outcome outcome = new Outcome(true, Reason.Published, ready + "/" + members.size() + " members ready");
        try {
            writer.service(hc, DesiredObjects.service(hc));
            writer.slices(hc, DesiredObjects.slices(hc, members));
            if (spec.membersConfigMap) {
                ConfigMap existing = writer.existingConfigMap(hc, DesiredObjects.membersConfigMapName(hc)).orElse(null);
                String key = spec.template == null ? null : spec.template.renderedKey();
                String rendered = null;
                if (spec.template != null) {
                    Optional<String> template = templates.read(hc, spec.template);
                    TemplateRenderer.Rendered r = template.map(t -> renders.render(t, MembersView.templateData(hc, members)))
                            .orElse(null);
                    if (r != null && r.ok()) {
                        rendered = r.text();
                    } else {
                        // The previous rendering stays: a consumer keeps a working configuration while the template is fixed.
                        rendered = existing == null || existing.getData() == null ? null : existing.getData().get(key);
                        outcome = r == null
                                ? new Outcome(false, Reason.TemplateNotFound, "template " + spec.template.key + " not found in ConfigMap "
                                        + spec.template.configMapName + "; the previous rendering stays")
                                : new Outcome(false, Reason.TemplateRenderFailed, "template " + spec.template.configMapName + "/"
                                        + spec.template.key + " does not render (the previous rendering stays): " + r.error());
                    }
                }
                writer.configMap(hc, DesiredObjects.membersConfigMap(hc, members, key, rendered), existing);
            } else {
                writer.removeConfigMap(hc, DesiredObjects.membersConfigMapName(hc));
            }
            return outcome;
        } catch (DiscoveryWriter.NotOwnedException e) {
            return new Outcome(false, Reason.DiscoveryNotOwned, e.getMessage());
        } catch (KubernetesClientException e) {
            Log.warnf("discovery of %s: %s", hc.ownerKey(), e.getMessage());
            return new Outcome(false, Reason.DiscoveryWriteFailed, "could not publish the members: " + e.getMessage());
        }
    }

    /** spec.discovery was removed: what was published goes, and so does the condition (kept while removal fails). */
    private void withdraw(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status, Instant now) {
        try {
            writer.remove(hc);
        } catch (KubernetesClientException e) {
            Log.warnf("discovery of %s: could not remove the published objects: %s", hc.ownerKey(), e.getMessage());
            setCondition(hc, previous, status, now, new Outcome(false, Reason.DiscoveryWriteFailed,
                    "spec.discovery was removed; could not remove the published objects: " + e.getMessage()));
        }
    }

    private static void setCondition(HealingCluster hc, HealingClusterStatus previous, HealingClusterStatus status, Instant now,
                                     Outcome outcome) {
        List<Condition> set = new Conditions(previous.conditions, hc.getMetadata().getGeneration(), now)
                .set(ConditionType.DiscoveryPublished, outcome.ok(), outcome.reason(), outcome.message()).build();
        List<Condition> merged = new ArrayList<>(status.conditions == null ? List.of() : status.conditions);
        merged.removeIf(c -> ConditionType.DiscoveryPublished.name().equals(c.getType()));
        merged.addAll(set);
        merged.sort(Comparator.comparing(Condition::getType));
        status.conditions = merged;
    }

    /** The cluster is being deleted: its objects go with it (owner references); /sd/targets forgets it now. */
    public void forget(HealingCluster hc) {
        registry.remove(hc.getMetadata().getNamespace(), hc.getMetadata().getName());
        templates.forget(hc);
    }
}
