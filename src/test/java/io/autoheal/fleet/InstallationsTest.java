package io.autoheal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Owned-or-not by the installation tag; a resource without it is the legacy "default" installation's only. */
class InstallationsTest {
    @Test
    void ownership() {
        record Row(String installation, Map<String, String> tags, boolean owned) {
        }
        var rows = java.util.List.of(
                new Row("default", Map.of(), true),                                         // legacy, untagged
                new Row("staging", Map.of(), false),                                        // untagged is never another installation's
                new Row("staging", Map.of(Tags.INSTALLATION, "staging"), true),
                new Row("staging", Map.of(Tags.INSTALLATION, "production"), false),
                new Row("default", Map.of(Tags.INSTALLATION, "production"), false),
                new Row("production", Map.of(Tags.INSTALLATION, "production", Tags.CLUSTER, "ns/web"), true));
        for (Row r : rows) {
            assertThat(Installations.owns(r.installation(), r.tags())).as(r.toString()).isEqualTo(r.owned());
        }
    }

    @Test
    void ids() {
        assertThat(Installations.invalid("default")).isEmpty();
        assertThat(Installations.invalid("prod-eu-1")).isEmpty();
        assertThat(Installations.invalid("a".repeat(32))).isEmpty();
        assertThat(Installations.invalid("a".repeat(33))).isPresent();
        assertThat(Installations.invalid("Prod")).isPresent();
        assertThat(Installations.invalid("a_b")).isPresent();
        assertThat(Installations.invalid("-a")).isPresent();
        assertThat(Installations.invalid("")).isPresent();
        assertThat(Installations.invalid(null)).isPresent();
    }
}
