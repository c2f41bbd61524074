package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.fleet.Tags;
import io.autoheal.eip.AddressOwnership.Claim;
import java.util.Map;
import java.util.Objects;

/**
 * The claim one pool of one installation writes on an address ({@value Tags#CLAIMED_BY} =
 * {@code <installation>/<namespace>/<pool>}) before it first moves it, and how an address's tags read against it.
 */
public record PoolClaim(String installation, String poolKey) {

    public PoolClaim {
        Objects.requireNonNull(installation, "installation");
        Objects.requireNonNull(poolKey, "poolKey");
    }

    public static PoolClaim of(String installation, ElasticIpPool pool) {
        return new PoolClaim(installation, pool.ownerKey());
    }

    /** The tag value. */
    public String value() {
        return installation + "/" + poolKey;
    }

    /**
     * Whose the address is by its tags: the claim decides; without one, an installation tag naming another installation
     * makes it theirs; an orphan mark keeps it on the orphaned machine.
     */
    public Claim read(Map<String, String> tags) {
        String claimed = tags.get(Tags.CLAIMED_BY);
        if (claimed != null) {
            if (claimed.equals(value())) {
                return Claim.THIS_POOL;
            }
            return claimed.startsWith(installation + "/") ? Claim.OTHER_POOL : Claim.OTHER_INSTALLATION;
        }
        String tagged = tags.get(Tags.INSTALLATION);
        if (tagged != null && !tagged.equals(installation)) {
            return Claim.OTHER_INSTALLATION;
        }
        return tags.get(Tags.ORPHANED_FROM) != null ? Claim.ORPHANED : Claim.NONE;
    }

    /** Who holds the address by its tags, for a foreign address's report: the claimant, else the orphaned cluster, else null. */
    public static String claimant(Map<String, String> tags) {
        String claimed = tags.get(Tags.CLAIMED_BY);
        if (claimed != null) {
            return "pool " + claimed;
        }
        if (tags.get(Tags.INSTALLATION) != null && tags.get(Tags.ORPHANED_FROM) == null) {
            return "installation " + tags.get(Tags.INSTALLATION);
        }
        return tags.get(Tags.ORPHANED_FROM) == null ? null : "cluster " + tags.get(Tags.ORPHANED_FROM) + " (orphaned)";
    }
}
