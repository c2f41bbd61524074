package io.autoheal.bootstrap;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Asked right before every request to a bootstrapper: may it go to this URI, and to which addresses? The URI is the
 * concrete one (a status URL with its job id filled in), because a job id the bootstrapper chose could steer it
 * elsewhere. The request connects only to the addresses answered ({@link PinnedHttp}): the host is resolved once, by
 * the guard, so the address checked is the address used.
 */
@FunctionalInterface
public interface RequestGuard {

    /** The guard's answer: {@link Stop} or {@link Go}. */
    sealed interface Checked permits Stop, Go {
    }

    /** Why no request is sent: UrlRefused (policy) or Unreachable (the host does not resolve). */
    record Stop(BootstrapFailure failure, String message) implements Checked {
    }

    /** The request may go out, to one of these addresses (every one of them checked). */
    record Go(List<InetAddress> addresses) implements Checked {
    }

    /**
     * @param field the spec field the URI comes from, for the message (e.g. spec.bootstrap.http.statusUrl)
     */
    Checked check(String field, URI uri);
}
