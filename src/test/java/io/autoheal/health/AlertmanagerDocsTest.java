package io.autoheal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Alertmanager route and the rules docs/monitoring.md shows are ones Debian's amtool and promtool accept. */
@Tag(SandboxTest.TAG)
class AlertmanagerDocsTest {
    static String section() throws Exception {
        String doc = Files.readString(Sandbox.root().resolve("docs/monitoring.md"));
        int from = doc.indexOf("## Alerts that heal");
        return doc.substring(from, doc.indexOf("\n## ", from + 5));
    }

    static String block(String startsWith) throws Exception {
        Matcher m = Pattern.compile("```yaml\\n(" + startsWith + ":.*?)```", Pattern.DOTALL).matcher(section());
        assertThat(m.find()).as("a %s block in the section", startsWith).isTrue();
        return m.group(1);
    }

    static String run(int expectExit, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isEqualTo(expectExit);
        return out;
    }

    @Test
    void theDocumentedRouteAndReceiverPassAmtool() throws Exception {
        String route = block("route").replace("    # ... your pager, chat\n", "");
        assertThat(route).contains("/alertmanager").contains("type: Bearer").contains("send_resolved: true").contains("repeat_interval: 5m");
        Path config = Files.createTempFile("alertmanager", ".yml");
        Files.writeString(config, route);
        run(0, "/usr/bin/amtool", "check-config", config.toString());
    }

    @Test
    void theDocumentedRulesPassPromtoolAndCarryInstanceId() throws Exception {
        String rules = block("groups");
        assertThat(rules).contains("job=\"autoheal-machines\"").contains("autoheal: replace").contains("instance_id");
        Path file = Files.createTempFile("rules", ".yml");
        Files.writeString(file, rules);
        run(0, "/usr/bin/promtool", "check", "rules", file.toString());
    }
}
