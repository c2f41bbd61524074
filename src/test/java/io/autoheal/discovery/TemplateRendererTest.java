package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.testing.ClusterManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

    static HealingCluster cluster() {
        return ClusterManifest.named("web").roles("web", "edge").environment("staging").discovery(80).toResource("shop");
    }

    static final List<Member> MEMBERS = List.of(
            new Member("i-a", "10.0.0.1", null, "10.0.0.1", "us-east-1a", "2", true, true, false),
            new Member("i-b", "10.0.0.2", "54.0.0.2", "10.0.0.2", "us-east-1b", "2", false, false, false));

    @Test
    void rendersTheReadyMembersAndTheClustersFields() {
        var r = TemplateRenderer.render("""
                {cluster}/{namespace} {env} {roles.0} {ports.0.name}={ports.0.port}/{ports.0.protocol}
                {#for m in ready}server {m.instanceId} {m.address}:80 zone={m.zone} v{m.launchTemplateVersion}
                {/for}all={members.size}""", MembersView.templateData(cluster(), MEMBERS));
        assertThat(r.error()).isNull();
        assertThat(r.text()).isEqualTo("""
                web/shop staging web http=80/TCP
                server i-a 10.0.0.1:80 zone=us-east-1a v2
                all=2""");
    }

    @Test
    void anUnknownNameIsAFailureNotAnEmptyString() {
        var r = TemplateRenderer.render("{#for m in ready}{m.hostname}{/for}", MembersView.templateData(cluster(), MEMBERS));
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("hostname");
    }

    @Test
    void aSyntaxErrorIsAFailureWithQutesMessage() {
        var r = TemplateRenderer.render("{#for m in ready}{m.address}", MembersView.templateData(cluster(), MEMBERS));
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isNotBlank();
    }
}
