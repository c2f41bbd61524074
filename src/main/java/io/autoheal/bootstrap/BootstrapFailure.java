package io.autoheal.bootstrap;

/**
 * Why a trigger, a status check or a job went wrong. The constant names are the values of
 * status.instances[].bootstrap.lastFailure, so they must not be renamed.
 */
public enum BootstrapFailure {
    /** The bootstrapper answered a non-2xx HTTP status. */
    HttpStatus,
    /** A 2xx answer without a body where one was needed. */
    EmptyBody,
    /** A body we cannot read: not a job id, or a status we do not know. */
    Unparseable,
    /** No answer within the request timeout (or no connection within the connect timeout). */
    Timeout,
    /** Nothing listens on the bootstrapper's port. */
    ConnectionRefused,
    /** Any other network failure (DNS, reset, unreachable host). */
    Unreachable,
    /** TLS handshake failed (unknown CA, wrong host name, protocol). */
    Tls,
    /** The runner refused the request before any job existed (e.g. the Kubernetes API rejected the Job). */
    Rejected,
    /** The job itself reports failure. */
    JobFailed,
    /** The operator refused the URL (loopback, link-local, API server, not allow-listed): no request was sent. */
    UrlRefused,
    /** The job had no final answer within spec.bootstrap.timeout after its trigger. */
    JobTimedOut,
    /** The answer was longer than the operator reads (64 KiB): reading stopped and the connection was dropped. */
    AnswerTooLarge,
    /** The credentials Secret the spec names does not exist: no request was sent. */
    SecretMissing,
    /** The operator may not read the credentials Secret (RBAC) or could not read it now: no request was sent. */
    SecretForbidden
}
