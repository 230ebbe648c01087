package io.github.cloudhsmdr.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 14d}, {@code 36h}, {@code 30m}, {@code 90s}, {@code 1h30m}, {@code 0},
 * or ISO-8601 ({@code PT30M}, {@code P1DT2H}). The short form is rewritten to ISO-8601 and parsed by
 * {@link Duration#parse}, so both forms follow the same rules. Thread-safe.
 */
public final class Durations {
    /** What a duration may look like, for error messages. */
    public static final String ALLOWED = "use a whole number followed by d, h, m or s (14d, 36h, 30m, 1h30m), "
            + "or ISO-8601 such as PT30M";

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {
    }

    /**
     * @param text the text
     * @return the duration, never negative
     * @throws IllegalArgumentException naming the text and the allowed forms
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        String iso = t;
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (!t.isEmpty() && m.matches()) {
            iso = "P" + part(m.group(1), "D") + "T" + part(m.group(2), "H") + part(m.group(3), "M")
                    + part(m.group(4), "S");
            iso = iso.endsWith("T") ? iso.substring(0, iso.length() - 1) : iso;
        }
        try {
            Duration d = Duration.parse(iso);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: " + ALLOWED, e);
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: " + ALLOWED);
    }

    private static String part(String number, String unit) {
        return number == null ? "" : number + unit;
    }

    /**
     * @param d a duration
     * @return the duration in the short form that {@link #parse} reads, e.g. {@code 1h30m}; {@code 0} for zero
     */
    public static String compact(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isZero()) {
            return "0";
        }
        if (d.isNegative() || d.getNano() != 0) {
            return d.toString();
        }
        return units(d.getSeconds(), "", true);
    }

    /**
     * @param d a duration, or {@code null}
     * @return the duration for people: {@code 1d 2h 5m} (seconds only below an hour, e.g. {@code 4m 10s}),
     *         {@code -} for {@code null}, with a leading {@code -} when negative
     */
    public static String human(Duration d) {
        if (d == null) {
            return "-";
        }
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        long s = d.getSeconds();
        if (s == 0) {
            return d.isZero() ? "0s" : "<1s";
        }
        return units(s, " ", s < 3_600);
    }

    private static String units(long seconds, String separator, boolean withSeconds) {
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        StringBuilder sb = new StringBuilder();
        long s = seconds;
        for (int i = 0; i < sizes.length; i++) {
            if (i == 3 && !withSeconds) {
                break;
            }
            if (s >= sizes[i]) {
                sb.append(sb.length() == 0 ? "" : separator).append(s / sizes[i]).append(names[i]);
                s %= sizes[i];
            }
        }
        return sb.length() == 0 ? "0m" : sb.toString();
    }
}
