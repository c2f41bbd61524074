package io.autoheal.fleet;

import java.util.List;
import java.util.Map;

/**
 * Which Elastic IPs are a pool's: the listed allocation ids, else every selector tag, else our pool tag.
 *
 * @param allocationIds null unless the pool lists its addresses
 * @param tags          null unless the pool selects by tags
 * @param poolKey       {@code <namespace>/<name>} of the pool (its autoheal.io/pool tag)
 */
public record AddressSelector(List<String> allocationIds, Map<String, String> tags, String poolKey) {

    public boolean matches(String allocationId, Map<String, String> addressTags) {
        if (allocationIds != null) {
            return allocationIds.contains(allocationId);
        }
        if (tags != null) {
            return tags.entrySet().stream().allMatch(e -> e.getValue().equals(addressTags.get(e.getKey())));
        }
        return poolKey.equals(addressTags.get(Tags.POOL));
    }
}
