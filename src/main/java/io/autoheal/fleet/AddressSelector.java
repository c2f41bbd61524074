package io.autoheal.fleet;

import java.util.List;
import java.util.Map;

/**
 * Which Elastic IPs are a pool's: the listed allocation ids, else every selector tag, else our pool tag and this
 * installation's ({@link Installations#owns}): two installations' pools of one namespace/name allocate each its own
 * addresses, and neither counts the other's as allocated.
 *
 * @param allocationIds null unless the pool lists its addresses
 * @param tags          null unless the pool selects by tags
 * @param poolKey       {@code <namespace>/<name>} of the pool (its autoheal.io/pool tag)
 * @param installation  the operator's installation id
 */
public record AddressSelector(List<String> allocationIds, Map<String, String> tags, String poolKey, String installation) {

    public boolean matches(String allocationId, Map<String, String> addressTags) {
        if (allocationIds != null) {
            return allocationIds.contains(allocationId);
        }
        if (tags != null) {
            return tags.entrySet().stream().allMatch(e -> e.getValue().equals(addressTags.get(e.getKey())));
        }
        return poolKey.equals(addressTags.get(Tags.POOL)) && Installations.owns(installation, addressTags);
    }
}
