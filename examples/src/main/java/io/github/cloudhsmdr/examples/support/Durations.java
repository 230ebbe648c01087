package io.github.cloudhsmdr.examples.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 14d}, {@code 36h}, {@code 30m}, {@code 90s}, combinations such as
 * {@code 1h30m}, {@code 0}, or ISO-8601 ({@code PT30M}, {@code P14D}).
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(?:\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    /** What {@link #parse} accepts, for error messages. */
    public static final String ALLOWED = "use a whole number followed by d, h, m or s (14d, 36h, 30m, 1h30m), "
            + "or ISO-8601 such as PT30M";

    private Durations() {
    }

    /**
     * @param text the text to read
     * @return the duration, never negative
     * @throws IllegalArgumentException when {@code text} is not one of the accepted forms; the message quotes it
     *                                  and says what is allowed
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        try {
            if (SHORT.matcher(t).matches()) {
                Duration d = Duration.ZERO;
                Matcher m = PART.matcher(t);
                while (m.find()) {
                    long n = Long.parseLong(m.group(1));
                    d = d.plus(switch (m.group(2)) {
                        case "d" -> Duration.ofDays(n);
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
                }
                return d;
            }
            if (t.startsWith("p")) {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: " + ALLOWED, e);
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: " + ALLOWED);
    }

    /** @return {@code d} in the short form {@link #parse} reads, e.g. {@code 1d2h}, {@code 30m}, {@code 0}. */
    public static String format(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isZero()) {
            return "0";
        }
        if (d.isNegative() || d.getNano() != 0) {
            return d.toString();
        }
        StringBuilder sb = new StringBuilder();
        long s = d.getSeconds();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                sb.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return sb.toString();
    }
}
