package io.autoheal.testing;

import io.autoheal.fleet.AwsScope;
import io.autoheal.cloud.aws.AwsFailures;
import io.autoheal.fleet.CloudFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Failures an {@link InMemoryFleet} call answers with, as the AWS adapters report an AWS error answer: the port's
 * {@link CloudFailure}, classified from AWS' error code and HTTP status by the adapters' own translation
 * ({@link AwsFailures#answer}), so the fast tier takes the same paths as production.
 */
public final class FleetFaults {
    private final Map<String, Deque<CloudFailure>> pending = new HashMap<>();
    private final java.util.Set<String> failingRegions = new java.util.HashSet<>();
    private final java.util.Set<String> refusedRoles = new java.util.HashSet<>();

    /**
     * Every call made with this tenant role fails as AssumeRole's refusal does in production (AwsFailures: the STS
     * answer AccessDenied wrapped as TenantRoleNotAssumed), until {@link #clear}.
     */
    public synchronized FleetFaults refuseRole(String roleArn) {
        refusedRoles.add(roleArn);
        return this;
    }

    /** Every read of this region fails as in an outage (AWS' 503 ServiceUnavailable) until {@link #recover}. */
    public synchronized FleetFaults failRegion(String region) {
        failingRegions.add(region);
        return this;
    }

    public synchronized void recover(String region) {
        failingRegions.remove(region);
    }

    synchronized void checkRegion(AwsScope scope, String operation) {
        checkRole(scope, operation);
        if (failingRegions.contains(scope.region())) {
            throw AwsFailures.answer(operation, "ServiceUnavailable", 503, "injected outage of scope " + scope);
        }
    }

    /** A call (read or write) made with a refused role fails before it reaches AWS, as AssumeRole's refusal does. */
    synchronized void checkRole(AwsScope scope, String operation) {
        if (scope.roleArn() != null && refusedRoles.contains(scope.roleArn())) {
            String message = "could not assume " + scope.roleArn() + " for namespace " + scope.namespace() + ": AccessDenied (injected)";
            throw new CloudFailure(CloudFailure.Kind.REFUSED, io.autoheal.kube.Reason.TenantRoleNotAssumed, operation, "AccessDenied", 403,
                    null, message, message, null);
        }
    }

    /** The next {@code times} calls of this operation (e.g. "AssociateAddress") fail with this error. */
    public synchronized FleetFaults fail(String operation, String code, int status, int times) {
        for (int i = 0; i < times; i++) {
            pending.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(AwsFailures.answer(operation, code, status,
                    "injected fault of " + operation));
        }
        return this;
    }

    public synchronized void clear() {
        pending.clear();
        failingRegions.clear();
        refusedRoles.clear();
    }

    synchronized void check(String operation) {
        Deque<CloudFailure> queue = pending.get(operation);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll();
        }
    }

    /** AWS' answer to a call the in-memory fleet refuses by its own rules (a name taken, an address in use, ...). */
    static CloudFailure error(String code, int status, String message) {
        return AwsFailures.answer(null, code, status, message);
    }
}
