package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.TenantAllow;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Allow-lists made of the cluster's own values admit it; taking any one value out refuses exactly that value. */
class ClusterAllowCheckPropertiesTest {

    @Property(tries = 300)
    void removingOneAllowedValueRefusesExactlyIt(@ForAll("subnets") List<String> subnets, @ForAll("subnets") List<String> extra,
            @ForAll("index") int pick) {
        HealingClusterSpec spec = TenantPolicies.inlineCluster();
        spec.subnetIds = subnets;
        TenantAllow allow = new TenantAllow();
        allow.subnets = new ArrayList<>(subnets);
        allow.images = List.of(spec.template.machine.imageId);
        allow.securityGroups = spec.template.machine.securityGroupIds;
        allow.instanceProfiles = List.of("arn:aws:iam::222222222222:instance-profile/*");
        assertThat(ClusterAllowCheck.check(spec, allow)).isEmpty();

        String removed = subnets.get(pick % subnets.size());
        allow.subnets = new ArrayList<>(subnets.stream().filter(s -> !s.equals(removed)).toList());
        allow.subnets.addAll(extra.stream().filter(s -> !s.equals(removed)).toList());
        assertThat(ClusterAllowCheck.check(spec, allow)).isNotEmpty()
                .allSatisfy(v -> assertThat(v).isEqualTo(new Violation("spec.subnetIds", removed, "subnets")));
    }

    @Provide
    Arbitrary<List<String>> subnets() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(8).map(s -> "subnet-" + s).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, 100);
    }
}
