package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionPolicy;

import java.time.Instant;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.WeekFields;

/**
 * The count rules of a {@link RetentionPolicy}: each keeps the newest copy of each of its N most recent
 * non-empty buckets. {@link #LAST} puts every copy in a bucket of its own.
 */
enum CountRule {
    LAST("keep-last"),
    HOURLY("keep-hourly"),
    DAILY("keep-daily"),
    WEEKLY("keep-weekly"),
    MONTHLY("keep-monthly"),
    YEARLY("keep-yearly");

    private final String label;

    CountRule(String label) {
        this.label = label;
    }

    /** @return the text reasons start with, e.g. {@code keep-daily}. */
    String label() {
        return label;
    }

    /** @return the rule's count in {@code policy}: 0 off, -1 unlimited. */
    int count(RetentionPolicy policy) {
        return switch (this) {
            case LAST -> policy.keepLast();
            case HOURLY -> policy.keepHourly();
            case DAILY -> policy.keepDaily();
            case WEEKLY -> policy.keepWeekly();
            case MONTHLY -> policy.keepMonthly();
            case YEARLY -> policy.keepYearly();
        };
    }

    /**
     * The bucket a copy falls in, as a human-readable name that is also its identity: two copies are in the
     * same bucket exactly when the names are equal. {@code index} is the copy's position in the group, newest
     * first (used by {@link #LAST}, whose buckets hold one copy each).
     */
    String bucket(Instant createTimestamp, ZoneId zone, int index) {
        ZonedDateTime t = createTimestamp.atZone(zone);
        return switch (this) {
            case LAST -> "#" + index;
            // the offset is part of the name, so the hour repeated when daylight saving ends gives two buckets
            case HOURLY -> t.toLocalDateTime().truncatedTo(ChronoUnit.HOURS) + t.getOffset().toString();
            case DAILY -> t.toLocalDate().toString();
            case WEEKLY -> String.format("%d-W%02d", t.get(WeekFields.ISO.weekBasedYear()),
                    t.get(WeekFields.ISO.weekOfWeekBasedYear()));
            case MONTHLY -> YearMonth.from(t).toString();
            case YEARLY -> Year.from(t).toString();
        };
    }
}
