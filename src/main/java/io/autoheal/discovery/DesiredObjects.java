package io.autoheal.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autoheal.api.v1alpha1.DiscoveryPort;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes objects discovery wants for a cluster and its members (pure: no client, no clock). */
public final class DesiredObjects {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "autoheal.io";
    public static final String CLUSTER_LABEL = "autoheal.io/cluster";
    public static final String MEMBERS_KEY = "members.json";
    /** Kubernetes' own EndpointSlice controller stops at 100 endpoints a slice; so do we. */
    static final int ENDPOINTS_PER_SLICE = 100;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DesiredObjects() {
    }

    public static String membersConfigMapName(HealingCluster hc) {
        return hc.getMetadata().getName() + "-members";
    }

    /** A selector-less Service named after the cluster: its endpoints are ours to write. */
    public static Service service(HealingCluster hc) {
        return new ServiceBuilder().withMetadata(meta(hc, hc.getMetadata().getName(), Map.of()))
                .withNewSpec().withType("ClusterIP")
                .withPorts(hc.getSpec().discovery.ports.stream().map(p -> new ServicePortBuilder().withName(p.name).withPort(p.port)
                        .withProtocol(p.protocol.name()).withTargetPort(new IntOrString(p.port)).build()).toList())
                .endSpec().build();
    }

    /** The members with an address, 100 a slice, named {@code <cluster>-<n>}; at least one slice (maybe empty). */
    public static List<EndpointSlice> slices(HealingCluster hc, List<Member> members) {
        List<Endpoint> endpoints = members.stream().filter(m -> m.address() != null).map(DesiredObjects::endpoint).toList();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int from = 0, n = 0; from == 0 || from < endpoints.size(); from += ENDPOINTS_PER_SLICE, n++) {
            List<Endpoint> chunk = endpoints.subList(from, Math.min(endpoints.size(), from + ENDPOINTS_PER_SLICE));
            Map<String, String> labels = Map.of(SERVICE_NAME_LABEL, hc.getMetadata().getName(), MANAGED_BY_LABEL, MANAGED_BY);
            slices.add(new EndpointSliceBuilder().withMetadata(meta(hc, hc.getMetadata().getName() + "-" + n, labels))
                    .withAddressType("IPv4").withEndpoints(chunk)
                    .withPorts(hc.getSpec().discovery.ports.stream().map(DesiredObjects::port).toList()).build());
            if (endpoints.isEmpty()) {
                break;
            }
        }
        return slices;
    }

    private static io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port(DiscoveryPort p) {
        return new EndpointPortBuilder().withName(p.name).withPort(p.port).withProtocol(p.protocol.name()).build();
    }

    private static Endpoint endpoint(Member m) {
        EndpointBuilder e = new EndpointBuilder().withAddresses(m.address()).withHostname(m.instanceId())
                .withNewConditions().withReady(m.ready()).withServing(m.serving()).withTerminating(m.terminating()).endConditions();
        if (m.zone() != null) {
            e.withZone(m.zone()).withNewHints().addNewForZone().withName(m.zone()).endForZone().endHints();
        }
        return e.build();
    }

    /** The members ConfigMap: members.json and, when a template rendered (or rendered before), its key. */
    public static ConfigMap membersConfigMap(HealingCluster hc, List<Member> members, String renderedKey, String rendered) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(MEMBERS_KEY, json(MembersView.members(hc, members)));
        if (renderedKey != null && rendered != null) {
            data.put(renderedKey, rendered);
        }
        return new ConfigMapBuilder().withMetadata(meta(hc, membersConfigMapName(hc), Map.of())).withData(data).build();
    }

    private static ObjectMeta meta(HealingCluster hc, String name, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER_LABEL, hc.getMetadata().getName());
        labels.putAll(extraLabels);
        return new ObjectMetaBuilder().withName(name).withNamespace(hc.getMetadata().getNamespace()).withLabels(labels)
                .withOwnerReferences(owner(hc)).build();
    }

    /** Owned (controller) by the cluster: garbage-collected with it. */
    public static OwnerReference owner(HealingCluster hc) {
        return new OwnerReferenceBuilder().withApiVersion(hc.getApiVersion()).withKind(hc.getKind()).withName(hc.getMetadata().getName())
                .withUid(hc.getMetadata().getUid()).withController(true).build();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("member list does not serialise", e);
        }
    }
}
