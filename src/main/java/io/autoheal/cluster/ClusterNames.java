package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.HealingCluster;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Deterministic AWS names, so that a restart finds what an earlier run created instead of creating twice.
 *
 * <p>A new cluster's group and launch template are named {@code autoheal_<installation>_<namespace>_<name>}: none of
 * the three parts can contain '_' (installation ids and namespaces are [a-z0-9-], cluster names [a-z0-9.-]), so the
 * name spells its triple back and two different triples never share a name — across namespaces ({@code a-b/c} vs
 * {@code a/b-c}) and across installations in one AWS account. A name longer than {@value #MAX} characters (the launch
 * template limit; groups allow 255) keeps a readable prefix and ends in {@code _H} and 32 uppercase hex digits of the
 * triple's SHA-256: the only names with uppercase letters, so they never equal a short one.
 *
 * <p>Groups made before this naming are called {@code autoheal-<namespace>-<name>} ({@link #legacy}); such a group is
 * never renamed under its running fleet: the cluster keeps the name its status recorded ({@link #resolve}).
 */
public final class ClusterNames {
    /** Launch template names allow at most 128 characters (Auto Scaling Group names 255). */
    static final int MAX = 128;
    private static final String PREFIX = "autoheal_";

    private ClusterNames() {
    }

    /**
     * The cluster's group: spec.autoScalingGroupName when adopted; else the owned name status.asgName recorded, when it
     * is one of this cluster's two possible owned names (a legacy group keeps its name); else, when the status lost it
     * (a restore without status), the legacy group the inventory finds tagged as this cluster's and this installation's;
     * else the owned name.
     *
     * @param tagged names of the groups tagged as this cluster's and owned by this installation
     */
    public static String asgName(HealingCluster hc, String installation, Collection<String> tagged) {
        String recorded = hc.getStatus() == null ? null : hc.getStatus().asgName;
        return resolve(Optional.ofNullable(hc.getSpec().autoScalingGroupName), Optional.ofNullable(recorded), tagged, installation,
                hc.getMetadata().getNamespace(), hc.getMetadata().getName());
    }

    /** Pure: the rule of {@link #asgName}, on its inputs. */
    static String resolve(Optional<String> adopted, Optional<String> recorded, Collection<String> tagged, String installation,
                          String namespace, String name) {
        if (adopted.isPresent()) {
            return adopted.get();
        }
        String owned = owned(installation, namespace, name);
        String legacy = legacy(namespace, name);
        if (recorded.isPresent() && (recorded.get().equals(legacy) || recorded.get().equals(owned))) {
            return recorded.get();
        }
        return tagged.contains(legacy) && !tagged.contains(owned) ? legacy : owned;
    }

    /**
     * Name of the launch template the operator owns for an inline machine: the group's own name when the operator
     * named the group (a legacy group keeps its legacy template); the owned name for an adopted group. The template
     * resolver also finds a legacy template ({@link #legacy}) tagged as this cluster's.
     */
    public static String templateName(HealingCluster hc, String asgName, String installation) {
        return hc.getSpec().autoScalingGroupName == null ? asgName
                : owned(installation, hc.getMetadata().getNamespace(), hc.getMetadata().getName());
    }

    /** The owned name of (installation, namespace, name): injective, at most {@value #MAX} characters. */
    public static String owned(String installation, String namespace, String name) {
        String exact = PREFIX + installation + "_" + namespace + "_" + name;
        if (exact.length() <= MAX) {
            return exact;
        }
        String hash = sha256(installation + "\n" + namespace + "\n" + name).substring(0, 32).toUpperCase(Locale.ROOT);
        return exact.substring(0, MAX - 2 - hash.length()) + "_H" + hash;
    }

    /** The name groups and templates had before installations were named in it (kept for groups that exist). */
    public static String legacy(String namespace, String name) {
        return "autoheal-" + namespace + "-" + name;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
