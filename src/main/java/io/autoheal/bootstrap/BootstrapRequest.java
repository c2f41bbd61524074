package io.autoheal.bootstrap;

import java.util.List;
import java.util.Map;

/**
 * One job to start.
 *
 * @param host      the machine's private IP (what the seed's bootstrapper calls host)
 * @param roles     sent comma-joined as the form field role
 * @param env       the cluster's environment
 * @param extraVars sent as JSON in extra_vars when not empty
 * @param attempt   1-based; runners that name jobs themselves use it to make a repeated trigger idempotent
 */
public record BootstrapRequest(String instanceId, String host, List<String> roles, String env, Map<String, Object> extraVars, int attempt) {

    public BootstrapRequest {
        roles = List.copyOf(roles);
        extraVars = extraVars == null ? Map.of() : extraVars;
    }
}
