package io.autoheal.discovery;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import java.util.Map;

/**
 * Renders a user's template with Qute (strict: an unknown name or a syntax error is a failure, not an empty string).
 * Pure apart from Qute's own caches: the same template and data render the same text.
 */
public final class TemplateRenderer {
    private static final Engine ENGINE = Engine.builder().addDefaults().strictRendering(true).build();

    private TemplateRenderer() {
    }

    /** The rendering, or why it failed. */
    public record Rendered(String text, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static Rendered render(String template, Map<String, Object> data) {
        try {
            Template t = ENGINE.parse(template);
            return new Rendered(t.render(data), null);
        } catch (TemplateException | IllegalStateException | IllegalArgumentException e) {
            return new Rendered(null, oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String message) {
        String m = message == null ? "the template does not render" : message.replaceAll("\\s+", " ").trim();
        return m.length() <= 500 ? m : m.substring(0, 497) + "...";
    }
}
