package io.autoheal.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An instance as the pools see it: state, zone, launch time, tags, and every public IP on its network interfaces
 * (primary and secondary private IPs alike) with that IP's owner.
 */
public record FleetInstance(String instanceId, String state, String zone, Instant launchTime, Map<String, String> tags,
                            List<PublicIp> publicIps) {

    /**
     * @param ownerId {@value #AMAZON} for a public IP AWS assigned at launch; an account id for an Elastic IP
     */
    public record PublicIp(String ip, String ownerId) {
        public static final String AMAZON = "amazon";
    }

    public FleetInstance {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        publicIps = publicIps == null ? List.of() : List.copyOf(publicIps);
    }

    /** The cluster (autoheal.io/cluster tag), null if untagged. */
    public String cluster() {
        return tags.get(Tags.CLUSTER);
    }
}
