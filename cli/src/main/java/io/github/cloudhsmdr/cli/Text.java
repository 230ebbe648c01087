package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.settings.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Values for people: timestamps to the second, durations like {@code 1d 2h 5m}. */
final class Text {
    private Text() {
    }

    /** @return {@code 2026-11-28T02:00:00Z}, or {@code -} */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @return {@code 1d 2h 5m}, or {@code -} */
    static String duration(Duration d) {
        return Durations.human(d);
    }

    /** @return the age of {@code t} at {@code now}, for people */
    static String age(Instant t, Instant now) {
        return t == null ? "-" : duration(Duration.between(t, now));
    }
}
