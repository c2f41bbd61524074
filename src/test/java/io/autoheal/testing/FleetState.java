package io.autoheal.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory region written out as JSON and read back whole — groups (with members, hooks, suspended processes),
 * machines (ids, addresses, tags, states), Elastic IPs (tags, associations) and launch templates — so that a second
 * operator (the scale harness's restart: a new Quarkus application, a new class loader) finds AWS exactly as the first
 * left it. Only JDK types cross: the JSON string.
 */
public final class FleetState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetState() {
    }

    public static String save(InMemoryFleet fleet, InMemoryTemplates templates) {
        Map<String, Object> state = new LinkedHashMap<>();
        synchronized (fleet) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (InMemoryFleet.Group g : fleet.groups.values()) {
                Map<String, Object> members = new LinkedHashMap<>();
                g.members.forEach((id, m) -> members.put(id, Map.of("lifecycle", m.lifecycle, "health", m.health, "zone", m.zone,
                        "templateVersion", m.templateVersion, "waitingSince", String.valueOf(m.waitingSince))));
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("name", g.name);
                group.put("capacity", List.of(g.min, g.desired, g.max));
                group.put("template", List.of(g.templateId, g.templateVersion));
                group.put("subnets", g.subnets);
                group.put("tags", g.tags);
                group.put("suspended", List.copyOf(g.suspended));
                group.put("launchHooks", seconds(g.launchHooks));
                group.put("drainHooks", seconds(g.drainHooks));
                group.put("deleting", g.deleting);
                group.put("targetGroups", List.copyOf(g.targetGroups));
                group.put("members", members);
                groups.add(group);
            }
            List<Map<String, Object>> machines = new ArrayList<>();
            for (InMemoryFleet.Machine m : fleet.machines.values()) {
                Map<String, Object> machine = new LinkedHashMap<>();
                machine.put("id", m.id);
                machine.put("state", m.state);
                machine.put("zone", m.zone);
                machine.put("ips", List.of(m.privateIp, m.launchIp));
                machine.put("launchTime", m.launchTime.toString());
                machine.put("tags", m.tags);
                machine.put("statusCheck", m.statusCheck);
                machines.add(machine);
            }
            List<Map<String, Object>> addresses = new ArrayList<>();
            for (InMemoryAddresses.Address a : fleet.addresses.byId.values()) {
                Map<String, Object> address = new LinkedHashMap<>();
                address.put("id", a.allocationId);
                address.put("publicIp", a.publicIp);
                address.put("instanceId", a.instanceId);
                address.put("associationId", a.associationId);
                address.put("tags", a.tags);
                addresses.add(address);
            }
            state.put("groups", groups);
            state.put("machines", machines);
            state.put("addresses", addresses);
            state.put("counters", List.of(fleet.instanceCounter, fleet.addresses.counter, fleet.addresses.associations));
        }
        synchronized (templates) {
            Map<String, Object> owned = new LinkedHashMap<>();
            templates.byName.forEach((name, t) -> owned.put(name, Map.of("id", t.id, "owner", t.owner, "spec", t.spec, "version", t.version)));
            state.put("templates", owned);
            state.put("templateCounter", templates.counter);
        }
        try {
            return JSON.writeValueAsString(state);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a saved region into an empty fleet and empty templates. */
    @SuppressWarnings("unchecked")
    public static void load(String saved, InMemoryFleet fleet, InMemoryTemplates templates) {
        Map<String, Object> state;
        try {
            state = JSON.readValue(saved, new TypeReference<>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        synchronized (fleet) {
            for (Map<String, Object> m : (List<Map<String, Object>>) state.get("machines")) {
                List<String> ips = (List<String>) m.get("ips");
                InMemoryFleet.Machine machine = new InMemoryFleet.Machine((String) m.get("id"), (String) m.get("zone"), ips.get(0), ips.get(1),
                        Instant.parse((String) m.get("launchTime")));
                machine.state = (String) m.get("state");
                machine.statusCheck = (String) m.get("statusCheck");
                machine.tags.putAll((Map<String, String>) m.get("tags"));
                fleet.add(machine);
            }
            for (Map<String, Object> gm : (List<Map<String, Object>>) state.get("groups")) {
                InMemoryFleet.Group g = new InMemoryFleet.Group((String) gm.get("name"));
                List<Integer> capacity = (List<Integer>) gm.get("capacity");
                g.min = capacity.get(0);
                g.desired = capacity.get(1);
                g.max = capacity.get(2);
                List<String> template = (List<String>) gm.get("template");
                g.templateId = template.get(0);
                g.templateVersion = template.get(1);
                g.subnets = List.copyOf((List<String>) gm.get("subnets"));
                g.tags.putAll((Map<String, String>) gm.get("tags"));
                g.suspended.addAll((List<String>) gm.get("suspended"));
                ((Map<String, Number>) gm.get("launchHooks")).forEach((k, v) -> g.launchHooks.put(k, Duration.ofSeconds(v.longValue())));
                ((Map<String, Number>) gm.get("drainHooks")).forEach((k, v) -> g.drainHooks.put(k, Duration.ofSeconds(v.longValue())));
                g.deleting = (Boolean) gm.get("deleting");
                g.targetGroups.addAll((List<String>) gm.get("targetGroups"));
                ((Map<String, Map<String, String>>) gm.get("members")).forEach((id, mm) -> {
                    InMemoryFleet.Member member = new InMemoryFleet.Member(mm.get("zone"), mm.get("templateVersion"));
                    member.lifecycle = mm.get("lifecycle");
                    member.health = mm.get("health");
                    member.waitingSince = "null".equals(mm.get("waitingSince")) ? null : Instant.parse(mm.get("waitingSince"));
                    g.members.put(id, member);
                });
                fleet.groups.put(g.name, g);
            }
            for (Map<String, Object> am : (List<Map<String, Object>>) state.get("addresses")) {
                InMemoryAddresses.Address a = new InMemoryAddresses.Address((String) am.get("id"), (String) am.get("publicIp"));
                fleet.addresses.byId.put(a.allocationId, a);
                ((Map<String, String>) am.get("tags")).forEach((k, v) -> fleet.addresses.tag(a.allocationId, k, v));
                if (am.get("instanceId") != null) {
                    fleet.addresses.bind(a, (String) am.get("instanceId"), (String) am.get("associationId"));
                }
            }
            List<Integer> counters = (List<Integer>) state.get("counters");
            fleet.instanceCounter = counters.get(0);
            fleet.addresses.counter = counters.get(1);
            fleet.addresses.associations = counters.get(2);
        }
        synchronized (templates) {
            ((Map<String, Map<String, Object>>) state.get("templates")).forEach((name, t) -> {
                InMemoryTemplates.Owned owned = new InMemoryTemplates.Owned((String) t.get("id"), (String) t.get("owner"), (String) t.get("spec"));
                owned.version = (Integer) t.get("version");
                templates.byName.put(name, owned);
            });
            templates.counter = (Integer) state.get("templateCounter");
        }
    }

    private static Map<String, Long> seconds(Map<String, Duration> hooks) {
        Map<String, Long> s = new LinkedHashMap<>();
        hooks.forEach((k, v) -> s.put(k, v.toSeconds()));
        return s;
    }
}
