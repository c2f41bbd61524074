package io.autoheal.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** How the operator authenticates to the bootstrapper. {@code toString} never shows a secret. */
public sealed interface Credentials {

    /** The Authorization header value, if any. Send it; never log it. */
    Optional<String> authorization();

    /**
     * Whether credentials may be sent to this URL: only over https, unless the runner's spec says allowInsecure
     * (then the operator records a Warning Event). A request with credentials to any other URL is not sent.
     */
    static boolean mayTravel(String url, boolean allowInsecure) {
        return allowInsecure || url != null && url.regionMatches(true, 0, "https://", 0, 8);
    }

    /** {@link #mayTravel(String, boolean)} for these credentials: always for none. */
    default boolean mayTravelTo(java.net.URI uri, boolean allowInsecure) {
        return authorization().isEmpty() || mayTravel(uri.toString(), allowInsecure);
    }

    record Bearer(String token) implements Credentials {
        public Optional<String> authorization() {
            return Optional.of("Bearer " + token.trim());
        }

        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    record Basic(String username, String password) implements Credentials {
        public Optional<String> authorization() {
            String pair = username + ":" + password;
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    record None() implements Credentials {
        public Optional<String> authorization() {
            return Optional.empty();
        }
    }

    static Credentials none() {
        return new None();
    }

    /** From the credentials Secret's (decoded) data: key token (bearer), or keys username and password (basic). */
    static Credentials fromSecret(Map<String, String> data) {
        String token = data.get("token");
        if (token != null && !token.isBlank()) {
            return new Bearer(token);
        }
        if (data.get("username") != null && data.get("password") != null) {
            return new Basic(data.get("username"), data.get("password"));
        }
        return none();
    }
}
