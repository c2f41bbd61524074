package io.autoheal.api.v1alpha1;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/** Go-style durations as users write them in Kubernetes objects: 90s, 10m, 1h30m. */
public final class Durations {
    public static final String PATTERN = "^([0-9]{1,6}(ms|s|m|h))+$";
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m|h)");

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        if (text == null || !text.matches(PATTERN)) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return Optional.of(total);
    }

    public static Duration parseOr(String text, Duration fallback) {
        return parse(text).orElse(fallback);
    }
}
