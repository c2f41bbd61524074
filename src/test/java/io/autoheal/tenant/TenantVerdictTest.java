package io.autoheal.tenant;

import static io.autoheal.tenant.TenantPolicies.inlineCluster;
import static io.autoheal.tenant.TenantPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.LabelRequirement;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.autoheal.api.v1alpha1.NamespaceSelector;
import io.autoheal.api.v1alpha1.TenantAllow;
import io.autoheal.api.v1alpha1.TenantPolicy;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TenantVerdictTest {

    static TenantVerdict cluster(TenantMode mode, List<TenantPolicy> policies, HealingClusterSpec spec) {
        return TenantVerdict.decide(mode, "team-b", ApplicablePolicy.of(policies, "team-b", Map.of("tier", "tenant")),
                allow -> ClusterAllowCheck.check(spec, allow));
    }

    @Test
    void withoutPolicyTheModeDecides() {
        TenantPolicy elsewhere = policy("team-a", List.of("team-a"), new TenantAllow());
        assertThat(cluster(TenantMode.open, List.of(elsewhere), inlineCluster()).allowed()).isTrue();
        TenantVerdict enforced = cluster(TenantMode.enforced, List.of(elsewhere), inlineCluster());
        assertThat(enforced.allowed()).isFalse();
        assertThat(enforced.message()).isEqualTo("no TenantPolicy applies to namespace team-b and the tenant-policy mode is enforced");
    }

    @Test
    void aPolicyWithoutAllowListsAllowsAnythingInBothModes() {
        for (TenantMode mode : TenantMode.values()) {
            assertThat(cluster(mode, List.of(policy("team-b", List.of("team-b"), null)), inlineCluster()).allowed()).isTrue();
            assertThat(cluster(mode, List.of(policy("team-b", List.of("team-b"), new TenantAllow())), inlineCluster()).allowed()).isTrue();
        }
    }

    @Test
    void severalPoliciesForOneNamespaceAreRefusedEvenIfEachAllows() {
        TenantPolicy byName = policy("b-by-name", List.of("team-b"), null);
        TenantPolicy byLabel = policy("b-by-label", null, null);
        byLabel.getSpec().namespaceSelector = new NamespaceSelector();
        byLabel.getSpec().namespaceSelector.matchLabels = Map.of("tier", "tenant");
        TenantVerdict v = cluster(TenantMode.open, List.of(byName, byLabel), inlineCluster());
        assertThat(v.allowed()).isFalse();
        assertThat(v.message()).startsWith("several TenantPolicies apply to namespace team-b (b-by-label, b-by-name)");
    }

    static Stream<Arguments> everyField() {
        return Stream.of(
                Arguments.of("subnets", (Consumer<TenantAllow>) a -> a.subnets = List.of("subnet-0aaa*"),
                        "spec.subnetIds: subnet-0bbb2222 is not allowed by TenantPolicy team-b (spec.allow.subnets)"),
                Arguments.of("securityGroups", (Consumer<TenantAllow>) a -> a.securityGroups = List.of("sg-0a*"),
                        "spec.template.machine.securityGroupIds: sg-0b000001 is not allowed by TenantPolicy team-b (spec.allow.securityGroups)"),
                Arguments.of("images", (Consumer<TenantAllow>) a -> a.images = List.of(),
                        "spec.template.machine.imageId: ami-0123456789abcdef0 is not allowed by TenantPolicy team-b (spec.allow.images)"),
                Arguments.of("instanceProfiles", (Consumer<TenantAllow>) a -> a.instanceProfiles = List.of("arn:aws:iam::111111111111:instance-profile/*"),
                        "spec.template.machine.iamInstanceProfile: arn:aws:iam::222222222222:instance-profile/team-b-web is not allowed by TenantPolicy team-b (spec.allow.instanceProfiles)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyField")
    void eachAllowListRefusesAValueOutsideItNamingTheField(String list, Consumer<TenantAllow> restrict, String message) {
        TenantAllow allow = new TenantAllow();
        restrict.accept(allow);
        TenantVerdict v = cluster(TenantMode.open, List.of(policy("team-b", List.of("team-b"), allow)), inlineCluster());
        assertThat(v.allowed()).isFalse();
        assertThat(v.message()).isEqualTo(message);
    }

    @Test
    void launchTemplateByIdOrNameAndAdoptedGroup() {
        HealingClusterSpec spec = inlineCluster();
        spec.template = new MachineTemplate();
        spec.template.launchTemplate = new LaunchTemplateRef();
        spec.template.launchTemplate.name = "team-a-web";
        spec.autoScalingGroupName = "team-a-asg";
        TenantAllow allow = new TenantAllow();
        allow.launchTemplates = List.of("team-b-*");
        allow.adoptGroups = List.of("team-b-*");
        List<Violation> v = ClusterAllowCheck.check(spec, allow);
        assertThat(v).containsExactly(new Violation("spec.autoScalingGroupName", "team-a-asg", "adoptGroups"),
                new Violation("spec.template.launchTemplate.name", "team-a-web", "launchTemplates"));
        spec.template.launchTemplate.name = null;
        spec.template.launchTemplate.id = "lt-0123456789abcdef0";
        allow.launchTemplates = List.of("lt-0123456789abcdef0");
        allow.adoptGroups = null;
        assertThat(ClusterAllowCheck.check(spec, allow)).isEmpty();
        allow.launchTemplates = List.of();
        assertThat(ClusterAllowCheck.check(spec, allow)).containsExactly(
                new Violation("spec.template.launchTemplate.id", "lt-0123456789abcdef0", "launchTemplates"));
    }

    @Test
    void unsetOptionalFieldsPassEvenEmptyLists() {
        HealingClusterSpec spec = inlineCluster();
        spec.template.machine.iamInstanceProfile = null;
        spec.template.machine.securityGroupIds = null;
        TenantAllow allow = new TenantAllow();
        allow.instanceProfiles = List.of();
        allow.securityGroups = List.of();
        allow.adoptGroups = List.of();
        allow.launchTemplates = List.of();
        assertThat(ClusterAllowCheck.check(spec, allow)).isEmpty();
    }

    @Test
    void poolAddressesByTagsOrSelfAllocated() {
        TenantAllow allow = new TenantAllow();
        allow.addressTags = Map.of("team", "b");
        ElasticIpPoolSpec selected = new ElasticIpPoolSpec();
        selected.selector = Map.of("team", "b", "role", "voip");
        assertThat(PoolAllowCheck.check(selected, allow, Map.of())).isEmpty();
        selected.selector = Map.of("role", "voip");
        assertThat(PoolAllowCheck.check(selected, allow, Map.of()))
                .containsExactly(new Violation("spec.selector", "a selector without team=b", "addressTags"));

        ElasticIpPoolSpec listed = new ElasticIpPoolSpec();
        listed.addresses = List.of("eipalloc-0b000001", "eipalloc-0a000001", "eipalloc-0c000001");
        Map<String, Map<String, String>> tags = Map.of("eipalloc-0b000001", Map.of("team", "b", "x", "y"),
                "eipalloc-0a000001", Map.of("team", "a"));
        assertThat(PoolAllowCheck.check(listed, allow, tags)).extracting(Violation::value).containsExactly(
                "eipalloc-0a000001 (tags {team=a})", "eipalloc-0c000001 (not found, so its tags are unknown)");

        ElasticIpPoolSpec allocated = new ElasticIpPoolSpec();
        allocated.allocate = new io.autoheal.api.v1alpha1.AllocateSpec();
        allocated.allocate.count = 2;
        assertThat(PoolAllowCheck.check(allocated, allow, Map.of())).isEmpty();
        assertThat(PoolAllowCheck.check(listed, new TenantAllow(), Map.of())).as("no addressTags: any address").isEmpty();
    }

    @Test
    void namespaceSelectorSemantics() {
        NamespaceSelector s = new NamespaceSelector();
        assertThat(NamespaceMatch.selects(s, Map.of())).as("{} selects every namespace").isTrue();
        s.matchLabels = Map.of("tier", "tenant");
        assertThat(NamespaceMatch.selects(s, Map.of("tier", "tenant", "x", "1"))).isTrue();
        assertThat(NamespaceMatch.selects(s, Map.of("tier", "infra"))).isFalse();
        s.matchLabels = null;
        s.matchExpressions = List.of(req("team", LabelRequirement.LabelOperator.In, "a", "b"),
                req("legacy", LabelRequirement.LabelOperator.DoesNotExist));
        assertThat(NamespaceMatch.selects(s, Map.of("team", "b"))).isTrue();
        assertThat(NamespaceMatch.selects(s, Map.of("team", "c"))).isFalse();
        assertThat(NamespaceMatch.selects(s, Map.of("team", "a", "legacy", ""))).isFalse();
        s.matchExpressions = List.of(req("team", LabelRequirement.LabelOperator.NotIn, "a"), req("tier", LabelRequirement.LabelOperator.Exists));
        assertThat(NamespaceMatch.selects(s, Map.of("tier", "x"))).isTrue();
        assertThat(NamespaceMatch.selects(s, Map.of("tier", "x", "team", "a"))).isFalse();
        assertThat(NamespaceMatch.selects(s, Map.of("team", "b"))).isFalse();
    }

    static LabelRequirement req(String key, LabelRequirement.LabelOperator op, String... values) {
        LabelRequirement r = new LabelRequirement();
        r.key = key;
        r.operator = op;
        r.values = values.length == 0 ? null : List.of(values);
        return r;
    }
}
