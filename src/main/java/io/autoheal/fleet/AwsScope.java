package io.autoheal.fleet;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a resource's AWS calls go: a region, with the operator's own credentials or with a tenant's role (its
 * TenantPolicy's {@code aws.roleArn}, assumed with STS). Everything the operator keeps per region — the fleet
 * inventory, the request budget, the back-off, the event routing — is kept per scope, so one tenant's account is never
 * read, throttled or blamed for another's.
 *
 * <p>A tenant's session carries its namespace as a session tag ({@value #NAMESPACE_SESSION_TAG}), so the role's
 * policy can tie it to that namespace's resources: two namespaces sharing one role are two sessions, two scopes.
 *
 * @param roleArn   null: the operator's own identity (its credentials chain)
 * @param namespace the namespace the role is assumed for; null with the operator's own identity
 */
public record AwsScope(String region, String roleArn, String namespace) {
    /** The session tag (and so the principal tag) that names the namespace a tenant's session acts for. */
    public static final String NAMESPACE_SESSION_TAG = "autoheal.io/namespace";
    /** arn:aws:iam::123456789012:role/name (any partition). */
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-zA-Z-]*:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}$");
    /** The account label of the operator's own identity (its account id is not read: nothing needs it). */
    public static final String OWN_ACCOUNT = "own";

    public AwsScope {
        Objects.requireNonNull(region, "region");
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("not an IAM role ARN: " + roleArn);
        }
        if ((roleArn == null) != (namespace == null)) {
            throw new IllegalArgumentException("a role is assumed for a namespace, and only then");
        }
    }

    /** The operator's own identity in this region. */
    public static AwsScope own(String region) {
        return new AwsScope(region, null, null);
    }

    /** A tenant's role in this region, assumed for this namespace. */
    public static AwsScope assumed(String region, String roleArn, String namespace) {
        return new AwsScope(region, Objects.requireNonNull(roleArn, "roleArn"), Objects.requireNonNull(namespace, "namespace"));
    }

    /** Whether this string is a role ARN an AwsScope accepts. */
    public static boolean validRoleArn(String roleArn) {
        return roleArn != null && ROLE_ARN.matcher(roleArn).matches();
    }

    public boolean isOwn() {
        return roleArn == null;
    }

    public Optional<String> role() {
        return Optional.ofNullable(roleArn);
    }

    /** The role's account id, or {@value #OWN_ACCOUNT}: AWS throttles per (account, region), so budgets key on it. */
    public String account() {
        if (roleArn == null) {
            return OWN_ACCOUNT;
        }
        var m = ROLE_ARN.matcher(roleArn);
        m.matches();
        return m.group(1);
    }

    /** The same identity in another region. */
    public AwsScope in(String otherRegion) {
        return new AwsScope(otherRegion, roleArn, namespace);
    }

    /** For messages and logs: the region, and the account when it is a tenant's. */
    @Override
    public String toString() {
        return roleArn == null ? region : region + " (account " + account() + ")";
    }
}
