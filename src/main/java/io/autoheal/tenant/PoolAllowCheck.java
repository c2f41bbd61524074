package io.autoheal.tenant;

import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.TenantAllow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ElasticIpPool against spec.allow.addressTags: a selector must include every required tag (so it selects only such
 * addresses), and every listed address must be seen carrying them. Addresses the pool allocates itself are always allowed.
 */
public final class PoolAllowCheck {
    private PoolAllowCheck() {
    }

    /** @param tagsByAllocationId the observed tags of the account's addresses in the pool's region (an address not in it is unknown) */
    public static List<Violation> check(ElasticIpPoolSpec spec, TenantAllow allow, Map<String, Map<String, String>> tagsByAllocationId) {
        List<Violation> out = new ArrayList<>();
        if (allow == null || allow.addressTags == null || spec == null) {
            return out;
        }
        Map<String, String> required = allow.addressTags;
        if (spec.selector != null) {
            required.forEach((k, v) -> {
                if (!v.equals(spec.selector.get(k))) {
                    out.add(new Violation("spec.selector", "a selector without " + k + "=" + v, "addressTags"));
                }
            });
        }
        if (spec.addresses != null) {
            for (String id : spec.addresses) {
                Map<String, String> tags = tagsByAllocationId.get(id);
                if (tags == null || !tags.entrySet().containsAll(required.entrySet())) {
                    out.add(new Violation("spec.addresses", id + (tags == null ? " (not found, so its tags are unknown)" : " (tags " + tags + ")"),
                            "addressTags"));
                }
            }
        }
        return out;
    }
}
