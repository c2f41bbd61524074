package io.autoheal.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read GET /sd/targets: it lists every machine of every watched namespace (addresses, roles, zones), so only
 * a caller with the configured bearer token (autoheal.discovery.sd-token). Without a configured token the safe default
 * is to answer nobody (403), unless autoheal.discovery.sd-unauthenticated: true opens it on purpose. Pure.
 */
public final class SdAccess {
    /** The answer: allowed, or the HTTP status and a message that never repeats what the caller sent. */
    public record Decision(boolean allowed, int status, String message) {
        static final Decision ALLOW = new Decision(true, 200, "");
    }

    private final Optional<String> token;
    private final boolean unauthenticated;

    public SdAccess(Optional<String> token, boolean unauthenticated) {
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        this.unauthenticated = unauthenticated;
    }

    /** @param authorization the request's Authorization header, null when it has none */
    public Decision decide(String authorization) {
        if (token.isEmpty()) {
            return unauthenticated ? Decision.ALLOW
                    : new Decision(false, 403, "/sd/targets is closed: set autoheal.discovery.sd-token (Helm: sdTargets.tokenSecret) and send it"
                            + " as a bearer token (docs/monitoring.md)");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision(false, 401, "/sd/targets requires a bearer token (Authorization: Bearer <token>)");
        }
        byte[] sent = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        // constant time: the answer's timing tells nothing about how much of the token was right
        return MessageDigest.isEqual(sent, token.get().getBytes(StandardCharsets.UTF_8)) ? Decision.ALLOW
                : new Decision(false, 403, "the bearer token is not the one /sd/targets requires");
    }
}
