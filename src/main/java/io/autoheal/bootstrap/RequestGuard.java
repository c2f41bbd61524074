package io.autoheal.bootstrap;

import java.net.URI;
import java.util.Optional;

/**
 * Asked right before every request to a bootstrapper: may it go to this URI? The URI is the concrete one (a status
 * URL with its job id filled in), because a job id the bootstrapper chose could steer it elsewhere.
 */
@FunctionalInterface
public interface RequestGuard {

    /** Why no request is sent: UrlRefused (policy) or Unreachable (the host does not resolve). */
    record Stop(BootstrapFailure failure, String message) {
    }

    /**
     * @param field the spec field the URI comes from, for the message (e.g. spec.bootstrap.http.statusUrl)
     * @return empty when the request may go out
     */
    Optional<Stop> check(String field, URI uri);
}
