package io.autoheal.discovery;

import io.quarkus.qute.Engine;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Renders a user's template with Qute (strict: an unknown name or a syntax error is a failure, not an empty string),
 * within {@link RenderLimits} counted by a {@link RenderBudget} (Qute's sections wrapped by {@link BoundedSections},
 * the output counted as it streams). Runs in the calling thread: {@link TemplateRenders} gives it a thread and a
 * deadline. Pure apart from Qute's own caches: the same template and data render the same text.
 */
public final class TemplateRenderer {
    private static final Engine ENGINE = engine();

    private TemplateRenderer() {
    }

    /** The rendering, or why it failed; limit is set when a {@link RenderLimits} limit was hit. */
    public record Rendered(String text, String error, RenderLimits.Limit limit) {
        public Rendered(String text, String error) {
            this(text, error, null);
        }

        public boolean ok() {
            return error == null;
        }

        static Rendered failed(RenderLimits.Limit limit, RenderLimits limits) {
            return new Rendered(null, limit.describe(limits), limit);
        }
    }

    /** With the default limits, in this thread. */
    public static Rendered render(String template, Map<String, Object> data) {
        RenderBudget budget = new RenderBudget(RenderLimits.DEFAULT);
        budget.start();
        return render(template, data, RenderLimits.DEFAULT, budget);
    }

    static Rendered render(String template, Map<String, Object> data, RenderLimits limits, RenderBudget budget) {
        StringBuilder out = new StringBuilder();
        try {
            Template t = ENGINE.parse(template);
            budget.checkTime();
            t.instance().data(data).setAttribute(BoundedSections.BUDGET, budget).consume(piece -> {
                budget.output(piece);
                out.append(piece);
            }).toCompletableFuture().get();
            return new Rendered(out.toString(), null);
        } catch (RenderBudget.Exceeded e) {
            return Rendered.failed(e.limit, limits);
        } catch (ExecutionException | CompletionException | TemplateException | IllegalStateException | IllegalArgumentException e) {
            RenderBudget.Exceeded exceeded = exceeded(e);
            return exceeded != null ? Rendered.failed(exceeded.limit, limits) : new Rendered(null, oneLine(message(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Rendered.failed(RenderLimits.Limit.TIME, limits);
        } catch (StackOverflowError e) {
            return new Rendered(null, "the template nests too deeply");
        }
    }

    private static RenderBudget.Exceeded exceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RenderBudget.Exceeded x) {
                return x;
            }
        }
        return null;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static Engine engine() {
        EngineBuilder builder = Engine.builder().addDefaultValueResolvers().strictRendering(true);
        BoundedSections.defaults().forEach(builder::addSectionHelper);
        return builder.build();
    }

    private static String oneLine(String message) {
        String m = message == null ? "the template does not render" : message.replaceAll("\\s+", " ").trim();
        return m.length() <= 500 ? m : m.substring(0, 497) + "...";
    }
}
