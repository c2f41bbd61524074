package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DesiredObjectsTest {
    static HealingCluster cluster() {
        HealingCluster hc = TemplateRendererTest.cluster();
        hc.getMetadata().setUid("uid-1");
        return hc;
    }

    static Member member(int i, String address) {
        return new Member(String.format("i-%04d", i), address, null, address, "us-east-1a", "1", true, true, false);
    }

    @Test
    void aHundredEndpointsASliceAndMachinesWithoutAnAddressLeftOut() {
        List<Member> members = IntStream.range(0, 251).mapToObj(i -> member(i, i == 7 ? null : "10.0." + (i / 200) + "." + (i % 200))).toList();
        List<EndpointSlice> slices = DesiredObjects.slices(cluster(), members);
        assertThat(slices).extracting(s -> s.getMetadata().getName()).containsExactly("web-0", "web-1", "web-2");
        assertThat(slices).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
        assertThat(slices.stream().flatMap(s -> s.getEndpoints().stream()).map(e -> e.getHostname())).doesNotContain("i-0007").hasSize(250);
        assertThat(slices).allSatisfy(s -> {
            assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "autoheal.io");
            assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getUid()).isEqualTo("uid-1");
                assertThat(o.getController()).isTrue();
            });
        });
    }

    @Test
    void noMembersIsOneEmptySliceSoTheServiceResolvesToNothing() {
        List<EndpointSlice> slices = DesiredObjects.slices(cluster(), List.of());
        assertThat(slices).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
    }

    @Test
    void membersJsonCarriesEveryFieldOfEveryMember() throws Exception {
        var cm = DesiredObjects.membersConfigMap(cluster(), TemplateRendererTest.MEMBERS, "haproxy.cfg", "backend x\n");
        JsonNode json = new ObjectMapper().readTree(cm.getData().get("members.json"));
        assertThat(json).hasSize(2);
        assertThat(json.get(1).path("instanceId").asText()).isEqualTo("i-b");
        assertThat(json.get(1).path("publicIp").asText()).isEqualTo("54.0.0.2");
        assertThat(json.get(1).path("ready").asBoolean()).isFalse();
        assertThat(json.get(1).path("roles").toString()).isEqualTo("[\"web\",\"edge\"]");
        assertThat(cm.getData()).containsEntry("haproxy.cfg", "backend x\n");
        assertThat(DesiredObjects.membersConfigMap(cluster(), List.of(), "haproxy.cfg", null).getData()).containsOnlyKeys("members.json");
    }
}
