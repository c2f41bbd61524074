package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scrape configuration docs/monitoring.md shows is one Prometheus accepts (Debian's promtool). */
class DiscoveryDocsTest {

    @Test
    void theDocumentedHttpSdScrapeConfigPassesPromtool() throws Exception {
        String doc = Files.readString(Sandbox.root().resolve("docs/monitoring.md"));
        String section = doc.substring(doc.indexOf("## Scraping the machines"));
        Matcher block = Pattern.compile("```yaml\\n(scrape_configs:.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("a scrape_configs block in the section").isTrue();
        assertThat(block.group(1)).contains("http_sd_configs").contains("/sd/targets").contains("authorization:").contains("credentials_file:");
        Path config = Files.createTempFile("prometheus", ".yml");
        Files.writeString(config, block.group(1));
        Process p = new ProcessBuilder(Tool.path("promtool"), "check", "config", config.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("promtool check config:\n" + out).isZero();
    }
}
