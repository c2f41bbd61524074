package io.autoheal.testing;

import io.autoheal.fleet.AwsScope;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import io.autoheal.fleet.LaunchTemplateResolver;
import java.util.LinkedHashMap;
import java.util.Map;

/** Launch templates in memory: a referenced one resolves as named, an owned one gets a new version when its machine spec changes. */
public final class InMemoryTemplates implements LaunchTemplateResolver {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, Owned> byName = new LinkedHashMap<>();
    int counter;

    static final class Owned {
        final String id;
        String owner;
        String spec;
        int version = 1;

        Owned(String id, String owner, String spec) {
            this.id = id;
            this.owner = owner;
            this.spec = spec;
        }
    }

    /** A template of that name that someone else owns. */
    public synchronized void foreign(String name) {
        byName.put(name, new Owned("lt-foreign" + (++counter), "someone/else", ""));
    }

    @Override
    public synchronized Resolved resolveReference(AwsScope scope, LaunchTemplateRef ref) {
        return new Resolved(ref.id != null ? ref.id : "lt-" + ref.name, ref.version == null ? "$Latest" : ref.version, false);
    }

    @Override
    public synchronized Resolved ensureOwned(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                                             Map<String, String> instanceTags) {
        String spec = json(machine) + instanceTags;
        Owned t = byName.computeIfAbsent(name, k -> new Owned(String.format("lt-%017x", ++counter), clusterKey, spec));
        if (!t.owner.equals(clusterKey)) {
            throw new NotOwnedException("Launch template " + name + " exists and is not owned by " + clusterKey);
        }
        if (!t.spec.equals(spec)) {
            t.spec = spec;
            t.version++;
        }
        return new Resolved(t.id, String.valueOf(t.version), true);
    }

    @Override
    public synchronized void deleteOwned(AwsScope scope, String name, String clusterKey) {
        byName.computeIfPresent(name, (k, t) -> t.owner.equals(clusterKey) ? null : t);
    }

    @Override
    public synchronized void disownOwned(AwsScope scope, String name, String clusterKey, String orphanedFrom) {
        byName.computeIfPresent(name, (k, t) -> {
            if (t.owner.equals(clusterKey)) {
                t.owner = "orphaned-from " + orphanedFrom;
            }
            return t;
        });
    }

    /** The version of the template of that name, null when there is none. */
    public synchronized String versionOf(String name) {
        return byName.containsKey(name) ? String.valueOf(byName.get(name).version) : null;
    }

    /** The owner a template of that name carries (its cluster tag), or null without one. */
    public synchronized String owner(String name) {
        return byName.containsKey(name) ? byName.get(name).owner : null;
    }

    @Override
    public void forget(AwsScope scope) {
        // nothing remembered beyond the templates themselves
    }

    public synchronized boolean exists(String name) {
        return byName.containsKey(name);
    }

    private static String json(InlineMachine machine) {
        try {
            return JSON.writeValueAsString(machine);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
