package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A discovery template is outside input: whatever it asks, a rendering ends within its limits and names the one it hit. */
class TemplateLimitsTest {
    private static final Map<String, Object> DATA = MembersView.templateData(TemplateRendererTest.cluster(), TemplateRendererTest.MEMBERS);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // endless nested loops: stopped by the step count long before Qute's lists fill the heap
            "{#for i in 100000}{#for j in 100000}x{/for}{/for}           | STEPS",
            // one loop over 2^31-1: Qute would allocate a list of that size before the first iteration
            "{#for i in 2147483647}{/for}                                 | STEPS",
            // an empty body still counts: no output, yet no end
            "{#for i in 100000}{#for j in 100000}{/for}{/for}             | STEPS",
            // a loop over the data, nested: members x members x ... grows past the budget too
            "{#for i in 1000}{#for j in 1000}{#for m in members}{m.instanceId}{/for}{/for}{/for} | STEPS",
            // few steps, large output: the output cap
            "{#for i in 200}{#for j in 50}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{/for}{/for} | OUTPUT",
    })
    void aRunawayTemplateStopsAtTheLimitItHits(String template, RenderLimits.Limit limit) {
        // the default size limits, and time enough even on a loaded machine: the limit hit is the one the row names
        RenderLimits limits = new RenderLimits(RenderLimits.MAX_OUTPUT_BYTES, RenderLimits.MAX_STEPS, Duration.ofSeconds(60));
        TemplateRenderer.Rendered r = render(template.trim(), limits);
        assertThat(r.ok()).isFalse();
        assertThat(r.limit()).isEqualTo(limit);
        assertThat(r.error()).isEqualTo(limit.describe(limits)).contains("limit");
    }

    @Test
    void withTheDefaultsTheIssuesTemplateEndsWithinSeconds() {
        long start = System.nanoTime();
        TemplateRenderer.Rendered r = TemplateRenderer.render("{#for i in 100000}{#for j in 100000}x{/for}{/for}", DATA);
        assertThat(r.limit()).isIn(RenderLimits.Limit.STEPS, RenderLimits.Limit.TIME);
        assertThat(r.error()).startsWith("the rendering exceeds the");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anOrdinaryTemplateIsNotLimited() {
        var r = TemplateRenderer.render("{#for i in 1000}{#for m in members}{m.instanceId} {/for}{/for}", DATA);
        assertThat(r.error()).isNull();
        assertThat(r.text()).hasSize(1000 * 2 * 4).startsWith("i-a i-b i-a");
    }

    @Test
    void theOutputCapIsExactInBytes() {
        RenderLimits limits = new RenderLimits(10, 1000, Duration.ofSeconds(2));
        assertThat(render("{#for i in 5}xx{/for}", limits).text()).isEqualTo("xxxxxxxxxx");
        assertThat(render("{#for i in 5}xx{/for}x", limits).limit()).isEqualTo(RenderLimits.Limit.OUTPUT);
        // UTF-8: 'é' is two bytes, so five of them fill ten bytes and a sixth does not fit
        assertThat(render("ééééé", limits).ok()).isTrue();
        assertThat(render("éééééé", limits).limit()).isEqualTo(RenderLimits.Limit.OUTPUT);
    }

    @Test
    void theTimeLimitStopsARenderingWithinTheStepBudget() {
        // many steps allowed, no time: the deadline stops it, not the count
        RenderLimits limits = new RenderLimits(1 << 20, 100_000_000, Duration.ofMillis(50));
        long start = System.nanoTime();
        var r = render("{#for i in 10000}{#for j in 10000}{/for}{/for}", limits);
        assertThat(r.limit()).isEqualTo(RenderLimits.Limit.TIME);
        assertThat(r.error()).contains("time limit of 50 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anAbandonedRenderingFreesItsThread() {
        // the caller waits twice the limit; the rendering stops itself at the limit and its thread is free again
        RenderLimits limits = new RenderLimits(1 << 20, 100_000_000, Duration.ofMillis(200));
        TemplateRenders renders = new TemplateRenders(limits, Clock.systemUTC());
        try {
            var r = renders.render("{#for i in 100000}{#for j in 100000}{/for}{/for}", Map.of());
            assertThat(r.limit()).isEqualTo(RenderLimits.Limit.TIME);
            await().atMost(Duration.ofSeconds(2)).until(() -> renders.active() == 0);
        } finally {
            renders.stop();
        }
    }

    @Test
    void aFailedRenderingIsRememberedForItsTemplateAndDataNotForOthers() {
        TemplateRenders renders = new TemplateRenders(RenderLimits.DEFAULT, Clock.systemUTC());
        try {
            String endless = "{#for i in 100000}{#for j in 100000}{/for}{/for}";
            var first = renders.render(endless, DATA);
            assertThat(first.limit()).isEqualTo(RenderLimits.Limit.STEPS);
            assertThat(renders.render(endless, DATA)).isSameAs(first);
            assertThat(renders.started()).isEqualTo(1);
            assertThat(renders.render(endless, Map.of("other", "data")).limit()).isEqualTo(RenderLimits.Limit.STEPS);
            assertThat(renders.started()).isEqualTo(2);
            assertThat(renders.render("{cluster}", DATA).text()).isEqualTo("web");
        } finally {
            renders.stop();
        }
    }

    @Test
    void errorsThatAreNotLimitsKeepQutesMessage() {
        var r = TemplateRenderer.render("{#for m in ready}{m.nope}{/for}", DATA);
        assertThat(r.limit()).isNull();
        assertThat(r.error()).contains("nope");
    }

    private static TemplateRenderer.Rendered render(String template, RenderLimits limits) {
        RenderBudget budget = new RenderBudget(limits);
        budget.start();
        return TemplateRenderer.render(template, DATA, limits, budget);
    }
}
