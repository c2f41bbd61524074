package io.autoheal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/aws/iam-policy.json allows exactly the EC2 / Auto Scaling actions the main code calls (read from the source
 * at test time, see {@link AwsCallScanner}), plus the few that AWS checks implicitly on our calls (listed below with
 * the reason). Nothing missing, nothing extra, no wildcards, and every mutating Auto Scaling action is conditioned on
 * the autoheal.io/cluster tag.
 */
class IamPolicyTest {
    static final Path POLICY = Path.of("deploy/aws/iam-policy.json");
    static final Path SOURCES = Path.of(System.getProperty("autoheal.mainSources", "src/main/java"));
    static final String TAG = "autoheal.io/cluster";

    /** Actions no code calls by name but AWS authorizes on our behalf; they live in statements whose Sid starts with "Implied". */
    static final Map<String, String> IMPLIED = Map.of(
            "ec2:RunInstances", "CreateAutoScalingGroup/UpdateAutoScalingGroup with a launch template check the caller's RunInstances permission",
            "iam:PassRole", "a launch template naming an instance profile (spec.template.machine.iamInstanceProfile) passes its role",
            "sts:AssumeRole", "a namespace's TenantPolicy role (spec.aws.roleArn) is assumed by the SDK's credentials provider (TenantCredentials)",
            "sts:TagSession", "that AssumeRole carries the namespace as a session tag (autoheal.io/namespace)");
    static final Path TRUST = Path.of("deploy/aws/tenant-trust-policy.json");
    static final Path TENANT_ROLE = Path.of("deploy/aws/tenant-role-policy.json");

    static AwsCallScanner.Result scanned;
    static JsonNode policy;

    @BeforeAll
    static void read() throws IOException {
        scanned = new AwsCallScanner().scan(SOURCES);
        policy = new ObjectMapper().readTree(Files.readString(POLICY));
    }

    @Test
    void everyAwsCallInTheCodeIsUnderstood() {
        assertThat(scanned.unresolved())
                .as("AWS operation names called on a receiver the scanner cannot tell (name the client ec2/as, or a "
                        + "variable typed Ec2Client/AutoScalingClient, or extend AwsCallScanner)")
                .isEmpty();
        // the scanner itself works: calls that have been in the code from the start are found
        assertThat(scanned.actions()).contains("ec2:DescribeInstances", "autoscaling:CreateAutoScalingGroup",
                "autoscaling:DescribeAutoScalingGroups", "sqs:ReceiveMessage", "sqs:DeleteMessage");
    }

    @Test
    void policyAllowsEveryActionTheCodeCalls() {
        Set<String> missing = new TreeSet<>(scanned.actions());
        missing.removeAll(allowed(false));
        assertThat(missing).as("actions the code calls (%s) that %s does not allow",
                AwsCallScanner.byAction(scanned.calls()), POLICY).isEmpty();
    }

    @Test
    void policyAllowsNothingTheCodeDoesNotCall() {
        Set<String> extra = new TreeSet<>(allowed(false));
        extra.removeAll(scanned.actions());
        assertThat(extra).as("actions %s allows that no code calls: remove them", POLICY).isEmpty();
        assertThat(allowed(true)).as("statements with Sid Implied* hold exactly the implied actions")
                .containsExactlyInAnyOrderElementsOf(IMPLIED.keySet());
    }

    @Test
    void noWildcardsAndOnlyAllowStatements() {
        for (JsonNode s : statements()) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.has("NotAction")).as("NotAction in %s", s.path("Sid")).isFalse();
            for (String action : actions(s)) {
                assertThat(action).as("action in %s", s.path("Sid")).doesNotContain("*");
            }
        }
    }

    @Test
    void mutatingAutoScalingAndLaunchTemplateActionsAreConditionedOnTheClusterTag() {
        List<String> unconditioned = new ArrayList<>();
        for (JsonNode s : statements()) {
            String condition = s.path("Condition").toString();
            for (String action : actions(s)) {
                boolean mutatingAsg = action.startsWith("autoscaling:") && !action.startsWith("autoscaling:Describe");
                boolean launchTemplate = action.matches("ec2:(Create|Delete|Modify)LaunchTemplate.*");
                if ((mutatingAsg || launchTemplate) && !(condition.contains("aws:ResourceTag/" + TAG) || condition.contains("aws:RequestTag/" + TAG))) {
                    unconditioned.add(action);
                }
            }
        }
        assertThat(unconditioned).as("mutating actions without an %s tag condition", TAG).isEmpty();
    }

    @Test
    void theOperatorMayAssumeOnlyAutohealRolesAndTagTheirSessions() {
        List<String> resources = new ArrayList<>();
        for (JsonNode s : statements()) {
            if (actions(s).stream().anyMatch(a -> a.startsWith("sts:"))) {
                assertThat(actions(s)).as("statement %s", s.path("Sid")).containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");
                s.path("Resource").forEach(r -> resources.add(r.asText()));
                if (s.path("Resource").isTextual()) {
                    resources.add(s.path("Resource").asText());
                }
            }
        }
        assertThat(resources).as("sts:AssumeRole only on the tenants' autoheal-* roles").containsExactly("arn:aws:iam::*:role/autoheal-*");
    }

    @Test
    void aTenantRoleTrustsOnlyTheOperatorWithTheInstallationAsExternalIdAndItsNamespaceAsSessionTag() throws IOException {
        JsonNode trust = new ObjectMapper().readTree(Files.readString(TRUST));
        assertThat(trust.path("Statement")).singleElement().satisfies(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Principal").path("AWS").asText()).matches("arn:aws:iam::[A-Z_]+:role/autoheal-operator");
            assertThat(actions(s)).containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");
            JsonNode equals = s.path("Condition").path("StringEquals");
            assertThat(equals.path("sts:ExternalId").asText()).as("the installation id (autoheal.installation-id)").isEqualTo("INSTALLATION_ID");
            assertThat(equals.path("aws:RequestTag/" + io.autoheal.fleet.AwsScope.NAMESPACE_SESSION_TAG).asText())
                    .as("the session tag the operator sets (AwsScope.NAMESPACE_SESSION_TAG)").isEqualTo("TENANT_NAMESPACE");
        });
    }

    @Test
    void aTenantRoleAllowsTheOperatorsActionsOnlyOnItsNamespacesResources() throws IOException {
        JsonNode tenant = new ObjectMapper().readTree(Files.readString(TENANT_ROLE));
        Set<String> actions = new TreeSet<>();
        String mine = "${aws:PrincipalTag/" + io.autoheal.fleet.AwsScope.NAMESPACE_SESSION_TAG + "}/*";
        for (JsonNode s : tenant.path("Statement")) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            actions.addAll(actions(s));
            for (String action : actions(s)) {
                boolean read = action.contains(":Describe");
                boolean implied = s.path("Sid").asText().startsWith("Implied");
                boolean networkInterface = s.path("Resource").asText().contains(":network-interface/");
                if (!read && !implied && !networkInterface) {
                    JsonNode like = s.path("Condition").path("StringLike");
                    assertThat(like.toString()).as("%s in %s: tied to the session's namespace by a tag condition", action, s.path("Sid"))
                            .containsAnyOf("\"aws:ResourceTag/autoheal.io/cluster\":\"" + mine, "\"aws:RequestTag/autoheal.io/cluster\":\"" + mine,
                                    "\"aws:ResourceTag/autoheal.io/pool\":\"" + mine, "\"aws:RequestTag/autoheal.io/pool\":\"" + mine);
                }
            }
        }
        Set<String> operatorsAwsActions = new TreeSet<>(allowed(false));
        operatorsAwsActions.addAll(allowed(true));
        operatorsAwsActions.removeIf(a -> a.startsWith("sqs:") || a.startsWith("sts:")); // the queue and STS stay the operator's own
        assertThat(actions).as("what the operator does in a tenant's account, and nothing more").isEqualTo(operatorsAwsActions);
    }

    @Test
    void scannerTellsClientsApartAndIgnoresCommentsAndStrings() throws IOException {
        Path dir = Files.createTempDirectory("scan");
        Files.writeString(dir.resolve("X.java"), """
                class X {
                    private final AutoScalingClient as;
                    void a(AwsClients clients, Ec2Client ec2, Other other) {
                        // ec2.terminateInstances(b -> b) is only a comment
                        String s = "as.deleteAutoScalingGroup(";
                        ec2.deleteTags(b -> b.resources("x"));
                        as.deleteTags(b -> b.tags(java.util.List.of()));
                        clients.autoScaling(region)
                            .setDesiredCapacity(b -> b.desiredCapacity(1));
                        clients.ec2(region).describeInstanceStatusPaginator(r).instanceStatuses();
                        var e = clients.ec2(region);
                        e.releaseAddress(b -> b);
                        other.attachInstances(1);
                        SqsClient q = sqs;
                        q.deleteMessageBatch(b -> b.queueUrl("u"));
                    }
                }
                """);
        AwsCallScanner.Result r = new AwsCallScanner().scan(dir);
        assertThat(r.actions()).containsExactlyInAnyOrder("ec2:DeleteTags", "autoscaling:DeleteTags", "autoscaling:SetDesiredCapacity",
                "ec2:DescribeInstanceStatus", "ec2:ReleaseAddress", "sqs:DeleteMessage");
        assertThat(r.unresolved()).isEmpty();
    }

    private static List<JsonNode> statements() {
        List<JsonNode> out = new ArrayList<>();
        policy.path("Statement").forEach(out::add);
        return out;
    }

    private static List<String> actions(JsonNode statement) {
        JsonNode a = statement.path("Action");
        List<String> out = new ArrayList<>();
        if (a.isTextual()) {
            out.add(a.asText());
        } else {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Set<String> allowed(boolean implied) {
        Set<String> out = new TreeSet<>();
        for (JsonNode s : statements()) {
            if (s.path("Sid").asText().startsWith("Implied") == implied) {
                out.addAll(actions(s));
            }
        }
        return out;
    }
}
