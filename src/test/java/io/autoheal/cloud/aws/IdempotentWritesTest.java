package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.fleet.Tags;
import io.autoheal.testing.ClusterManifest;
import io.autoheal.testing.Moto;
import io.autoheal.testing.PoolManifest;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

/**
 * AWS writes whose answer is lost after AWS did the work (moto's "lost-answer" fault, sandbox/moto/autoheal_moto_faults.py):
 * repeating them must not create a second resource. Launch template writes carry client tokens (moto honours them
 * through sandbox/moto/autoheal_moto_idempotency.py, as AWS does); AllocateAddress has none, so it is sent once and
 * the address, tagged in the same call, is counted by the pool's next observation.
 */
@SandboxTest
class IdempotentWritesTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    /** The SDK's attempts per call (autoheal.aws.max-attempts): a fault on every one fails the operator's pass. */
    static final int SDK_ATTEMPTS = 4;
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("idempotent").freshAws().clearFaults().deleteAfterEach("healingclusters,elasticippools");

    @Inject
    LaunchTemplates launchTemplates;
    @Inject
    KubernetesClient client;

    static List<LaunchTemplate> templatesNamed(String name) {
        return Moto.ec2().describeLaunchTemplates().launchTemplates().stream().filter(t -> t.launchTemplateName().equals(name)).toList();
    }

    static AutoScalingGroup group(String name) {
        return Moto.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    @Test
    void lostAnswersOnLaunchTemplateWritesLeaveOneTemplateAndOneVersionPerSpec() {
        String name = io.autoheal.testing.Groups.name(ns, "lt");
        // Every SDK attempt of the first pass does the work and loses the answer; the pass fails, the next one goes on.
        Moto.injectLostAnswer("CreateLaunchTemplate", "InternalError", 500, SDK_ATTEMPTS);
        ns.apply(ClusterManifest.named("lt").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(group(name).launchTemplate().version()).isEqualTo("1"));
        assertThat(Moto.faultHits("CreateLaunchTemplate")).isEqualTo(SDK_ATTEMPTS);
        assertThat(templatesNamed(name)).hasSize(1);

        Moto.injectLostAnswer("CreateLaunchTemplateVersion", "InternalError", 500, SDK_ATTEMPTS);
        ns.apply(ClusterManifest.named("lt").instanceType("t3.medium").toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() ->
                assertThat(group(name).launchTemplate().version()).isEqualTo("2"));
        assertThat(Moto.faultHits("CreateLaunchTemplateVersion")).isEqualTo(SDK_ATTEMPTS);
        assertThat(templatesNamed(name)).singleElement().extracting(LaunchTemplate::latestVersionNumber).isEqualTo(2L);
    }

    /**
     * What the next pass sends when AWS' eventually consistent reads do not show the first create yet (moto's reads
     * are consistent, so the repeat is made directly): the same template and version come back, nothing new.
     */
    @Test
    void aRepeatedCreateGetsTheFirstResultAndAnotherIncarnationGetsItsOwn() {
        InlineMachine small = machine("t3.small");
        Map<String, String> tags = Map.of("Name", "repeat");
        AwsScope region = AwsScope.own("us-east-1");
        String id = launchTemplates.createTemplate(region, "autoheal-repeat", "ns/repeat", "uid-1", small, tags);
        assertThat(launchTemplates.createTemplate(region, "autoheal-repeat", "ns/repeat", "uid-1", small, tags)).isEqualTo(id);
        long version = launchTemplates.createVersion(region, id, 1, machine("t3.large"), tags);
        assertThat(launchTemplates.createVersion(region, id, 1, machine("t3.large"), tags)).isEqualTo(version).isEqualTo(2);
        assertThat(templatesNamed("autoheal-repeat")).singleElement().extracting(LaunchTemplate::latestVersionNumber).isEqualTo(2L);
        // back to the first spec: a new version (3), not the remembered version 1 or 2
        assertThat(launchTemplates.createVersion(region, id, 2, small, tags)).isEqualTo(3);

        // a cluster deleted and created again under the same name is a new incarnation: a new template, not the old id
        Moto.ec2().deleteLaunchTemplate(b -> b.launchTemplateId(id));
        String again = launchTemplates.createTemplate(region, "autoheal-repeat", "ns/repeat", "uid-2", small, tags);
        assertThat(again).isNotEqualTo(id);
        assertThat(templatesNamed("autoheal-repeat")).extracting(LaunchTemplate::launchTemplateId).containsExactly(again);
    }

    @Test
    void aLostAllocateAddressAnswerLeavesNoSurplusAddress() {
        String poolKey = ns.name() + "/lost";
        // The SDK would re-send a failed AllocateAddress; with a lost answer that is a second address. The rule fails
        // one request; a re-send by the SDK would be answered (and would allocate a fourth address).
        Moto.injectLostAnswer("AllocateAddress", "InternalError", 500, 1);
        ns.apply(PoolManifest.named("lost").allocate(3).toYaml());
        await().ignoreExceptions().atMost(WAIT).untilAsserted(() -> {
            ElasticIpPool pool = client.resources(ElasticIpPool.class).inNamespace(ns.name()).withName("lost").get();
            assertThat(pool.getStatus().total).isEqualTo(3);
        });
        assertThat(Moto.faultHits("AllocateAddress")).isEqualTo(1);
        List<Address> all = Moto.ec2().describeAddresses().addresses();
        assertThat(all).as("every address in the account, tagged or not").hasSize(3)
                .allSatisfy(a -> assertThat(a.tags()).anyMatch(t -> t.key().equals(Tags.POOL) && t.value().equals(poolKey)));
    }

    static InlineMachine machine(String instanceType) {
        InlineMachine m = new InlineMachine();
        m.imageId = "ami-0123456789abcdef0";
        m.instanceType = instanceType;
        return m;
    }
}
