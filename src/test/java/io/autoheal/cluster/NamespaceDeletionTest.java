package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deleting a namespace as a real cluster does it: the namespace controller of the sandbox's kube-controller-manager
 * deletes what the namespace holds, the HealingCluster waits for the operator's finalizer, which deletes the Auto
 * Scaling Group and launch template in AWS (moto), and only then is the namespace gone. Without the controller
 * manager the namespace would stay Terminating forever; with a finalizer that never finishes, too.
 */
@SandboxTest
class NamespaceDeletionTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("nsdel");

    @Test
    void aDeletedNamespaceFinishesDeletingAndTakesTheClustersAwsResourcesWithIt() {
        Moto.reset();
        String asg = io.autoheal.testing.Groups.name(ns, "doomed");
        ns.apply(ClusterManifest.named("doomed").toYaml());
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> groupInstances(asg) == 1);
        assertThat(ns.kubectl("get", "hc", "doomed", "-o", "jsonpath={.metadata.finalizers}")).as("the operator's finalizer").isNotBlank();

        Kubectl.run("delete", "namespace", ns.name(), "--wait=false");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Kubectl.exec(null, "get", "namespace", ns.name()).output().contains("NotFound"));

        assertThat(groupInstances(asg)).as("the Auto Scaling Group went with the namespace").isEqualTo(-1);
        assertThat(Moto.ec2().describeLaunchTemplates(b -> b.filters(f -> f.name("launch-template-name").values(asg))).launchTemplates())
                .as("and its launch template").isEmpty();
    }

    /** Instances of the group, -1 when AWS does not list it. */
    private static int groupInstances(String name) {
        var groups = Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
        return groups.isEmpty() ? -1 : groups.get(0).instances().size();
    }
}
