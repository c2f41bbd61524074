package io.autoheal.discovery;

import java.time.Duration;

/**
 * What one rendering of a user's discovery template may cost. A template is outside input: a loop of a billion
 * iterations or an output of gigabytes must cost that cluster its rendering, never the operator its heap.
 *
 * @param maxOutputBytes the rendered text's size (UTF-8); beyond it nothing more is written and the rendering fails
 * @param maxSteps       loop iterations plus template nodes produced (what Qute keeps in memory until the end)
 * @param timeout        wall-clock time of one rendering; then it is abandoned and its thread stops at its next step
 */
public record RenderLimits(long maxOutputBytes, long maxSteps, Duration timeout) {
    /** 1 MiB: a ConfigMap holds at most 1 MiB in all, so a larger rendering could not be published anyway. */
    public static final long MAX_OUTPUT_BYTES = 1024 * 1024;
    /**
     * Enough for a member list (1,000 machines x 50 nodes each); small enough for the Deployment's 192 MiB heap: Qute
     * keeps every node until the end, and 200,000 steps were measured at 35-50 MB, so two renderings at once at this
     * limit take some 50 MB at worst.
     */
    public static final long MAX_STEPS = 100_000;
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    public static final RenderLimits DEFAULT = new RenderLimits(MAX_OUTPUT_BYTES, MAX_STEPS, TIMEOUT);

    /** Which limit a rendering hit, named in the TemplateRenderFailed condition. */
    public enum Limit {
        OUTPUT, STEPS, TIME;

        String describe(RenderLimits limits) {
            return switch (this) {
                case OUTPUT -> "the rendering exceeds the output limit of " + limits.maxOutputBytes() + " bytes";
                case STEPS -> "the rendering exceeds the limit of " + limits.maxSteps() + " steps (loop iterations and template nodes)";
                case TIME -> "the rendering exceeds the time limit of " + limits.timeout().toMillis() + " ms";
            };
        }
    }
}
