package io.github.cloudhsmdr.internal;

import java.time.Duration;

/**
 * Upper bounds of configuration values, checked when a builder builds: a value beyond its bound fails at once with a
 * message that names the field, the value and the bound, instead of overflowing inside a run.
 */
public final class Bounds {
    private Bounds() {
    }

    /**
     * @param field the setting's name as the user wrote it, e.g. {@code retry.maxBackoff}
     * @throws IllegalArgumentException when {@code value} is longer than {@code max}
     */
    public static void atMost(String field, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be at most " + max + " (" + readable(max) + "), was "
                    + value);
        }
    }

    /**
     * @param field the setting's name as the user wrote it, e.g. {@code retry.maxAttempts}
     * @throws IllegalArgumentException when {@code value} is larger than {@code max}
     */
    public static void atMost(String field, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + ", was " + value);
        }
    }

    /** @return e.g. {@code 3650 days}, {@code 24 h}, {@code 15 min}, or the ISO form. */
    public static String readable(Duration d) {
        if (d.isZero() || d.getNano() != 0) {
            return d.toString();
        }
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + (s == 86_400 ? " day" : " days");
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
