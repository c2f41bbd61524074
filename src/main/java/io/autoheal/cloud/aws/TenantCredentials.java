package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * A tenant's credentials: its TenantPolicy's role, assumed with the operator's own credentials (STS AssumeRole, the
 * installation id as external id, the namespace as a session tag). One session per (role, namespace, region), cached
 * and refreshed by the SDK's provider {@link #PREFETCH} before it expires. A failed AssumeRole fails only the calls of
 * that scope, as a {@link TenantRoleRefused} (AwsFailures: reason TenantRoleNotAssumed), never the operator's others.
 *
 * <p>A failed AssumeRole is remembered per scope for {@link #FAILURE_MEMORY}: meanwhile that scope's calls fail at once
 * with the same refusal instead of asking STS again. STS unreachable would otherwise hold a reconcile thread for the
 * whole API-call timeout on every pass of every cluster of that tenant (TenantRoleNotAssumed does not back the region off).
 */
final class TenantCredentials implements AutoCloseable {
    /** The session's lifetime: STS' default, which every role allows (a role's maximum is at least 1 h). */
    static final Duration SESSION = Duration.ofHours(1);
    /** Refreshed this long before expiry, so a call never carries credentials that expire on the way. */
    static final Duration PREFETCH = Duration.ofMinutes(5);
    /** How long a failed AssumeRole answers for its scope before STS is asked again. */
    static final Duration FAILURE_MEMORY = Duration.ofMinutes(1);

    private final Map<String, StsClient> sts = new ConcurrentHashMap<>();
    private final Map<AwsScope, IdentityProvider<AwsCredentialsIdentity>> providers = new ConcurrentHashMap<>();
    private final java.util.function.Function<String, StsClient> stsOfRegion;
    private final String installationId;
    private final Clock clock;

    /** @param stsOfRegion builds the STS client of a region, with the operator's own credentials */
    TenantCredentials(java.util.function.Function<String, StsClient> stsOfRegion, String installationId, Clock clock) {
        this.stsOfRegion = stsOfRegion;
        this.installationId = installationId;
        this.clock = clock;
    }

    /** The credentials of an assumed scope (the operator's own scope has none here: the default chain serves it). */
    IdentityProvider<AwsCredentialsIdentity> of(AwsScope scope) {
        if (scope.isOwn()) {
            throw new IllegalArgumentException("the operator's own scope uses the default credentials chain");
        }
        return providers.computeIfAbsent(scope, this::assuming);
    }

    /** The AssumeRole request of a scope. Pure. */
    static AssumeRoleRequest request(AwsScope scope, String installationId) {
        return AssumeRoleRequest.builder()
                .roleArn(scope.roleArn())
                .roleSessionName(sessionName(scope.namespace()))
                .externalId(installationId)
                .durationSeconds((int) SESSION.toSeconds())
                .tags(Tag.builder().key(AwsScope.NAMESPACE_SESSION_TAG).value(scope.namespace()).build())
                .build();
    }

    /**
     * The session name CloudTrail shows: "autoheal-" and the namespace (a DNS label, so within STS' characters),
     * cut to STS' 64 characters. Pure.
     */
    static String sessionName(String namespace) {
        String name = "autoheal-" + namespace.replaceAll("[^\\w+=,.@-]", "-");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    private IdentityProvider<AwsCredentialsIdentity> assuming(AwsScope scope) {
        StsClient client = sts.computeIfAbsent(scope.region(), stsOfRegion);
        AwsCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(client)
                .refreshRequest(request(scope, installationId))
                .prefetchTime(PREFETCH)
                .staleTime(Duration.ofMinutes(1))
                .build();
        return new Refusing(assumed, scope, clock);
    }

    /**
     * Wraps a failed AssumeRole so that AwsFailures can tell it from a failure of the call itself, and answers with it
     * for {@link #FAILURE_MEMORY} without asking STS again.
     */
    private static final class Refusing implements IdentityProvider<AwsCredentialsIdentity> {
        private record Failure(Instant at, SdkException cause) {
        }

        private final AwsCredentialsProvider assumed;
        private final AwsScope scope;
        private final Clock clock;
        private final AtomicReference<Failure> lastFailure = new AtomicReference<>();

        Refusing(AwsCredentialsProvider assumed, AwsScope scope, Clock clock) {
            this.assumed = assumed;
            this.scope = scope;
            this.clock = clock;
        }

        @Override
        public Class<AwsCredentialsIdentity> identityType() {
            return AwsCredentialsIdentity.class;
        }

        @Override
        public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
            Failure last = lastFailure.get();
            if (last != null && clock.instant().isBefore(last.at().plus(FAILURE_MEMORY))) {
                return CompletableFuture.failedFuture(new TenantRoleRefused(scope, last.cause()));
            }
            try {
                AwsCredentialsIdentity identity = assumed.resolveCredentials();
                lastFailure.set(null);
                return CompletableFuture.completedFuture(identity);
            } catch (SdkException e) {
                lastFailure.set(new Failure(clock.instant(), e));
                return CompletableFuture.failedFuture(new TenantRoleRefused(scope, e));
            }
        }
    }

    @Override
    public void close() {
        providers.values().forEach(p -> {
            if (p instanceof Refusing r && r.assumed instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at shutdown: nothing to do about it
                }
            }
        });
        sts.values().forEach(StsClient::close);
    }

    /** AssumeRole into a tenant's role failed: that scope's calls fail with it, nobody else's. */
    static final class TenantRoleRefused extends SdkClientException {
        private final transient SdkException cause;

        TenantRoleRefused(AwsScope scope, SdkException cause) {
            super(SdkClientException.builder().message("could not assume " + scope.roleArn() + " for namespace " + scope.namespace()
                    + ": " + AwsErrors.describe(cause)).cause(cause));
            this.cause = cause;
        }

        /** The refusal in t's causes, if any. */
        static java.util.Optional<TenantRoleRefused> in(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof TenantRoleRefused r) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        }

        SdkException stsFailure() {
            return cause;
        }
    }
}
