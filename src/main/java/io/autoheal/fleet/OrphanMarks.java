package io.autoheal.fleet;

import java.util.Map;

/**
 * Pure: how deletionPolicy Orphan rewrites the ownership tags of what it leaves behind (the group, its launch template,
 * its instances, their addresses). The {@value Tags#CLUSTER} tag is what makes a group, template or instance a cluster's
 * — the pool takes a cluster's machines by it, the template resolver its template — so a cluster created again under
 * the same namespace/name would otherwise take the orphaned ones as its own. Orphan marks each
 * {@value Tags#ORPHANED_FROM}={@code <installation>/<namespace>/<name>} (who it was, for people) and removes the
 * cluster tag; the installation tag stays (it still says who made it, and alone grants nothing).
 */
public final class OrphanMarks {
    private OrphanMarks() {
    }

    /** The mark's value: {@code <installation>/<namespace>/<name>}. */
    public static String value(String installation, String clusterKey) {
        return installation + "/" + clusterKey;
    }

    /** Whether Orphan must rewrite a resource with these tags: it is still tagged as this cluster's, of this installation. */
    public static boolean toRewrite(Map<String, String> tags, String clusterKey, String installation) {
        return clusterKey.equals(tags.get(Tags.CLUSTER)) && Installations.owns(installation, tags);
    }

    /** Read back: the resource no longer names the cluster and carries its mark. */
    public static boolean rewritten(Map<String, String> tags, String clusterKey, String installation) {
        return !clusterKey.equals(tags.get(Tags.CLUSTER)) && value(installation, clusterKey).equals(tags.get(Tags.ORPHANED_FROM));
    }
}
