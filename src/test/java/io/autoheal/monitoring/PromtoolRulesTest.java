package io.autoheal.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The alert rules are valid for Prometheus and their unit tests (deploy/monitoring/rules/*.test.yaml) pass. */
class PromtoolRulesTest {
    @Test
    void rulesPassPromtoolCheck() {
        Monitoring.Run r = Monitoring.run(Monitoring.dir().resolve("rules"), Monitoring.tool("promtool"), "check", "rules", "autoheal.rules.yaml");
        assertThat(r.exit()).as("promtool check rules:\n" + r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void ruleUnitTestsPass() {
        Monitoring.Run r = Monitoring.run(Monitoring.dir().resolve("rules"), Monitoring.tool("promtool"), "test", "rules", "autoheal.rules.test.yaml");
        assertThat(r.exit()).as("promtool test rules:\n" + r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }
}
