package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryPort;
import io.autoheal.api.v1alpha1.HealingCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The member list as consumers read it: the JSON of the members ConfigMap and the data a template renders are the
 * same maps, so a template author can rely on the JSON's field names.
 */
public final class MembersView {
    private MembersView() {
    }

    /** One member: instanceId, privateIp, publicIp, address, zone, roles, env, launchTemplateVersion, ready, serving, terminating. */
    public static Map<String, Object> member(HealingCluster hc, Member m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instanceId", m.instanceId());
        out.put("privateIp", m.privateIp());
        out.put("publicIp", m.publicIp());
        out.put("address", m.address());
        out.put("zone", m.zone());
        out.put("roles", hc.getSpec().roles);
        out.put("env", hc.getSpec().environment);
        out.put("launchTemplateVersion", m.launchTemplateVersion());
        out.put("ready", m.ready());
        out.put("serving", m.serving());
        out.put("terminating", m.terminating());
        return out;
    }

    public static List<Map<String, Object>> members(HealingCluster hc, List<Member> members) {
        return members.stream().map(m -> member(hc, m)).toList();
    }

    /** What a template sees: cluster, namespace, roles, env, ports, members (all) and ready (the members in service). */
    public static Map<String, Object> templateData(HealingCluster hc, List<Member> members) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cluster", hc.getMetadata().getName());
        data.put("namespace", hc.getMetadata().getNamespace());
        data.put("roles", hc.getSpec().roles);
        data.put("env", hc.getSpec().environment);
        data.put("ports", hc.getSpec().discovery.ports.stream().map(MembersView::port).toList());
        data.put("members", members(hc, members));
        data.put("ready", members(hc, members.stream().filter(Member::ready).toList()));
        return data;
    }

    private static Map<String, Object> port(DiscoveryPort p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name);
        out.put("port", p.port);
        out.put("protocol", p.protocol.name());
        return out;
    }
}
