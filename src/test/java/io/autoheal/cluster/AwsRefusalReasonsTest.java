package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Manifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * Refusals only a person can fix, each with a reason that says who: the IAM policy (AwsAccessDenied, naming the
 * action), someone else's launch template (LaunchTemplateNotOwned), a pool that does not allow the cluster
 * (NotInAllowedClusters). Each is a Degraded condition and a Warning Event, retried slowly, never a hot loop.
 */
@SandboxTest
class AwsRefusalReasonsTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("refusals").freshAws().clearFaults().deleteAfterEach("healingclusters,elasticippools");

    String condition(String name, String type, String field) {
        return ns.kubectl("get", "hc", name, "-o", "jsonpath={.status.conditions[?(@.type==\"" + type + "\")]." + field + "}");
    }

    String eventReasons(String name) {
        return ns.kubectl("get", "events.events.k8s.io", "-o", "jsonpath={.items[?(@.regarding.name==\"" + name + "\")].reason}");
    }

    @Test
    void accessDeniedNamesTheActionAndThePolicyAndIsNotRetriedHot() throws Exception {
        // Auto Scaling's way of saying it: the group's template is created, the group itself is refused
        Moto.injectFault("CreateAutoScalingGroup", "AccessDenied", 403, -1, "User: arn:aws:sts::123456789012:assumed-role/"
                + "autoheal/op is not authorized to perform: autoscaling:CreateAutoScalingGroup");
        ns.apply(ClusterManifest.named("denied-asg").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("denied-asg", "Degraded", "reason")).isEqualTo("AwsAccessDenied");
            assertThat(condition("denied-asg", "Degraded", "message"))
                    .startsWith("AccessDenied: AWS denied CreateAutoScalingGroup to the operator's IAM identity")
                    .contains("deploy/aws/iam-policy.json", "autoscaling:CreateAutoScalingGroup");
        });
        // EC2's way, with the encoded message for sts decode-authorization-message (kept out of status and Events)
        Moto.injectFault("CreateLaunchTemplate", "UnauthorizedOperation", 403, -1, "You are not authorized to perform this"
                + " operation. Encoded authorization failure message: ZW5jb2RlZC1ibG9i");
        ns.apply(ClusterManifest.named("denied-lt").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("denied-lt", "Degraded", "reason")).isEqualTo("AwsAccessDenied");
            assertThat(condition("denied-lt", "Degraded", "message"))
                    .startsWith("UnauthorizedOperation: AWS denied CreateLaunchTemplate").doesNotContain("ZW5jb2RlZC1ibG9i");
        });
        ns.awaitEvent("AwsAccessDenied", " denied-asg: ");
        assertThat(eventReasons("denied-asg")).doesNotContain("AwsError");
        ns.awaitEvent("AwsAccessDenied", " denied-lt: ");
        assertThat(eventReasons("denied-lt")).doesNotContain("AwsError");
        assertThat(condition("denied-asg", "Ready", "status")).isEqualTo("False");
        int asgTries = Moto.faultHits("CreateAutoScalingGroup");
        int ltTries = Moto.faultHits("CreateLaunchTemplate");
        Thread.sleep(10_000); // five resync periods of the test configuration
        assertThat(Moto.faultHits("CreateAutoScalingGroup")).as("no retry before the slow back-off").isEqualTo(asgTries);
        assertThat(Moto.faultHits("CreateLaunchTemplate")).as("no retry before the slow back-off").isEqualTo(ltTries);
    }

    @Test
    void aLaunchTemplateOfAnotherOwnerIsLaunchTemplateNotOwnedAndLeftAlone() {
        String name = io.autoheal.testing.Groups.name(ns, "taken");
        LaunchTemplate theirs = Moto.ec2().createLaunchTemplate(b -> b.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId("ami-0123456789abcdef0").instanceType("t3.nano"))
                .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE)
                        .tags(tag -> tag.key(Tags.CLUSTER).value("someone/else")))).launchTemplate();
        ns.apply(ClusterManifest.named("taken").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("taken", "Degraded", "reason")).isEqualTo("LaunchTemplateNotOwned");
            assertThat(condition("taken", "Degraded", "message")).contains(name, Tags.CLUSTER + "=someone/else");
        });
        ns.awaitEvent("LaunchTemplateNotOwned", " taken: ");
        assertThat(eventReasons("taken")).doesNotContain("AwsError");
        LaunchTemplate after = Moto.ec2().describeLaunchTemplates(b -> b.launchTemplateIds(theirs.launchTemplateId())).launchTemplates().get(0);
        assertThat(after.latestVersionNumber()).as("no version added to someone else's template").isEqualTo(1L);
        assertThat(after.tags()).containsExactlyElementsOf(theirs.tags());
        assertThat(Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups()).isEmpty();
    }

    @Test
    void aPoolThatDoesNotAllowTheClusterIsNotInAllowedClusters() {
        ns.apply(Manifest.join(() -> """
                apiVersion: autoheal.io/v1alpha1
                kind: ElasticIpPool
                metadata: {name: reserved}
                spec: {allocate: {count: 1}, allowedClusters: [someone-else]}
                """, ClusterManifest.named("outsider").poolRef("reserved")));
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition("outsider", "Degraded", "reason")).isEqualTo("NotInAllowedClusters");
            assertThat(condition("outsider", "Degraded", "message")).contains("spec.allowedClusters", "someone-else", "outsider");
        });
        ns.awaitEvent("NotInAllowedClusters", " outsider: ");
        assertThat(eventReasons("outsider")).doesNotContain("PoolNotFound");
    }
}
