package io.github.cloudhsmdr;

import io.github.cloudhsmdr.internal.Bounds;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which copies a replicator keeps in each destination region; every other copy it made is deleted.
 *
 * <p>The rules follow restic's {@code forget}. They are evaluated separately for each
 * (source cluster, destination region) pair, over the READY copies this replicator made there, ordered by
 * {@code CreateTimestamp} (which for a copy is the source backup's creation time), newest first. A copy is
 * kept when <em>any</em> rule keeps it:
 * <ul>
 *   <li>{@link Builder#keepLast(int) keepLast n}: the {@code n} newest copies.</li>
 *   <li>{@link Builder#keepHourly(int) keepHourly}, {@link Builder#keepDaily(int) keepDaily},
 *       {@link Builder#keepWeekly(int) keepWeekly}, {@link Builder#keepMonthly(int) keepMonthly},
 *       {@link Builder#keepYearly(int) keepYearly} {@code n}: the newest copy in each of the {@code n} most
 *       recent <em>non-empty</em> calendar buckets (hours, days, ISO weeks, months, years in
 *       {@link #zone()}). Empty buckets do not use a slot, so {@code keepDaily 7} keeps the newest copy of
 *       each of the last 7 days that have a copy, which may span more than 7 calendar days.</li>
 *   <li>{@link Builder#keepWithin(Duration) keepWithin d}: every copy created less than {@code d} before
 *       the anchor ({@link #keepWithinAnchor()}).</li>
 * </ul>
 * Rules are independent: one copy can take a slot in several rules at once. With one backup a day,
 * {@code keepDaily 7} plus {@code keepWeekly 4} keeps 10 copies on a Sunday (the 7 dailies, of which today's is
 * also this week's weekly, plus the 3 Sundays before) and 9 on other days (last Sunday is then a daily too).
 * A count of {@link #UNLIMITED} means no limit; 0 switches a rule off.
 *
 * <p><b>The oldest copy.</b> When {@link #keepOldestWhenShort()} is on (the default) and a count rule still has
 * slots left when it reaches the oldest copy of the group, that copy is kept as well, even if a newer copy of
 * its bucket was already kept (restic's and borg's "oldest" behaviour). While the history is shorter than
 * the policy asks for, this keeps the longest history possible.
 *
 * <p><b>Calendar buckets.</b> Buckets are taken in {@link #zone()} (default UTC): a day runs from local
 * midnight to local midnight, a week is an ISO week (Monday to Sunday, {@link java.time.temporal.WeekFields#ISO},
 * keyed by week-based year and week number, so 2027-01-01 falls in week 53 of 2026). Hours are real hours:
 * in the hour repeated when daylight saving ends, 02:30 summer time and 02:30 winter time fall into two
 * different hourly buckets, and a day of 23 or 25 hours is still one daily bucket.
 *
 * <p><b>Hard limits, whatever the rules say.</b> Retention only ever deletes READY copies that carry this
 * replicator's ownership tag ({@link CopyTags#OWNER}) and were copied from its source region. It never deletes
 * a copy marked NeverExpires or one in any other state, never the newest READY copy of a group, and never a
 * copy whose deletion would leave fewer than {@link #minReadyCopies()} READY copies in the group.
 *
 * <p><b>Duplicates.</b> When a group holds several copies of the same source backup, one is kept (a READY one,
 * NeverExpires first, then the first copy made) and the other READY ones are deleted as duplicates; duplicates
 * never take a slot in the rules.
 *
 * <p>A policy without any rule is refused by {@link Builder#build()}: it is never read as "delete everything".
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class RetentionPolicy {
    /** A count meaning "no limit" for {@code keepLast} and the calendar rules. */
    public static final int UNLIMITED = -1;
    /** The largest count of any rule, and of {@code minReadyCopies}; use {@link #UNLIMITED} for no limit. */
    public static final int MAX_COUNT = 10_000;
    /** The longest {@code keepWithin} window, 3650 days; keep older copies with {@code keepYearly}. */
    public static final Duration MAX_KEEP_WITHIN = Duration.ofDays(3650);

    /**
     * The point {@link Builder#keepWithin(Duration) keepWithin} counts back from.
     */
    public enum KeepWithinAnchor {
        /**
         * Count back from the newest READY copy of the group that is not in the future (restic). Copies are
         * then only ever deleted because newer copies arrived, never merely because time passed: when the source
         * region stops producing backups (the very situation a DR copy exists for) the history in the
         * destination stays as it is. The default.
         */
        NEWEST_COPY,
        /**
         * Count back from the time of the run (borg). Copies age out of the window even when no newer copy
         * arrives; the count rules, the newest-READY rule and {@link RetentionPolicy#minReadyCopies()} still apply.
         * A copy kept only by this window when it is made may have aged out by the time it is READY.
         */
        NOW
    }

    private final int keepLast;
    private final int keepHourly;
    private final int keepDaily;
    private final int keepWeekly;
    private final int keepMonthly;
    private final int keepYearly;
    private final Duration keepWithin;
    private final KeepWithinAnchor keepWithinAnchor;
    private final int minReadyCopies;
    private final ZoneId zone;
    private final boolean keepOldestWhenShort;

    private RetentionPolicy(Builder b) {
        this.keepLast = b.keepLast;
        this.keepHourly = b.keepHourly;
        this.keepDaily = b.keepDaily;
        this.keepWeekly = b.keepWeekly;
        this.keepMonthly = b.keepMonthly;
        this.keepYearly = b.keepYearly;
        this.keepWithin = b.keepWithin;
        this.keepWithinAnchor = b.keepWithinAnchor;
        this.minReadyCopies = b.minReadyCopies;
        this.zone = b.zone;
        this.keepOldestWhenShort = b.keepOldestWhenShort;
    }

    /** @return a new builder with no rule set (at least one must be set before {@link Builder#build()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this policy's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return how many of the newest copies are kept; 0 off, {@link #UNLIMITED} all. */
    public int keepLast() {
        return keepLast;
    }

    /** @return how many hourly buckets keep their newest copy; 0 off, {@link #UNLIMITED} all. */
    public int keepHourly() {
        return keepHourly;
    }

    /** @return how many daily buckets keep their newest copy; 0 off, {@link #UNLIMITED} all. */
    public int keepDaily() {
        return keepDaily;
    }

    /** @return how many ISO-week buckets keep their newest copy; 0 off, {@link #UNLIMITED} all. */
    public int keepWeekly() {
        return keepWeekly;
    }

    /** @return how many monthly buckets keep their newest copy; 0 off, {@link #UNLIMITED} all. */
    public int keepMonthly() {
        return keepMonthly;
    }

    /** @return how many yearly buckets keep their newest copy; 0 off, {@link #UNLIMITED} all. */
    public int keepYearly() {
        return keepYearly;
    }

    /** @return the window in which every copy is kept; {@link Duration#ZERO} when off. */
    public Duration keepWithin() {
        return keepWithin;
    }

    /** @return what {@link #keepWithin()} counts back from; default {@link KeepWithinAnchor#NEWEST_COPY}. */
    public KeepWithinAnchor keepWithinAnchor() {
        return keepWithinAnchor;
    }

    /** @return the least number of READY copies left in each group after retention; default 1. */
    public int minReadyCopies() {
        return minReadyCopies;
    }

    /** @return the time zone of the calendar buckets; default UTC. */
    public ZoneId zone() {
        return zone;
    }

    /** @return true when a count rule with slots left keeps the oldest copy too; default true. */
    public boolean keepOldestWhenShort() {
        return keepOldestWhenShort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy p && p.keepLast == keepLast && p.keepHourly == keepHourly
                && p.keepDaily == keepDaily && p.keepWeekly == keepWeekly && p.keepMonthly == keepMonthly
                && p.keepYearly == keepYearly && p.keepWithin.equals(keepWithin)
                && p.keepWithinAnchor == keepWithinAnchor && p.minReadyCopies == minReadyCopies
                && p.zone.equals(zone) && p.keepOldestWhenShort == keepOldestWhenShort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin,
                keepWithinAnchor, minReadyCopies, zone, keepOldestWhenShort);
    }

    /** @return the rules that are on and the other settings, e.g. {@code RetentionPolicy[keepDaily=7, ...]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        addCount(parts, "keepLast", keepLast);
        addCount(parts, "keepHourly", keepHourly);
        addCount(parts, "keepDaily", keepDaily);
        addCount(parts, "keepWeekly", keepWeekly);
        addCount(parts, "keepMonthly", keepMonthly);
        addCount(parts, "keepYearly", keepYearly);
        if (!keepWithin.isZero()) {
            parts.add("keepWithin=" + keepWithin + " of " + keepWithinAnchor);
        }
        parts.add("minReadyCopies=" + minReadyCopies);
        parts.add("zone=" + zone);
        parts.add("keepOldestWhenShort=" + keepOldestWhenShort);
        return "RetentionPolicy[" + String.join(", ", parts) + "]";
    }

    private static void addCount(List<String> parts, String name, int value) {
        if (value != 0) {
            parts.add(name + "=" + (value == UNLIMITED ? "unlimited" : Integer.toString(value)));
        }
    }

    /**
     * Builds a {@link RetentionPolicy}. Values are checked in {@link #build()}. Not thread-safe.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code keepLast}, {@code keepHourly}, {@code keepDaily}, {@code keepWeekly},
     *       {@code keepMonthly}, {@code keepYearly}</td><td>0 (off)</td></tr>
     *   <tr><td>{@code keepWithin}</td><td>{@link Duration#ZERO} (off)</td></tr>
     *   <tr><td>{@code keepWithinAnchor}</td><td>{@link KeepWithinAnchor#NEWEST_COPY}</td></tr>
     *   <tr><td>{@code minReadyCopies}</td><td>1</td></tr>
     *   <tr><td>{@code zone}</td><td>UTC</td></tr>
     *   <tr><td>{@code keepOldestWhenShort}</td><td>true</td></tr>
     * </table>
     * At least one of the {@code keep…} rules must be on.
     */
    public static final class Builder {
        private int keepLast;
        private int keepHourly;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private Duration keepWithin = Duration.ZERO;
        private KeepWithinAnchor keepWithinAnchor = KeepWithinAnchor.NEWEST_COPY;
        private int minReadyCopies = 1;
        private ZoneId zone = ZoneOffset.UTC;
        private boolean keepOldestWhenShort = true;

        private Builder() {
        }

        private Builder(RetentionPolicy p) {
            keepLast = p.keepLast;
            keepHourly = p.keepHourly;
            keepDaily = p.keepDaily;
            keepWeekly = p.keepWeekly;
            keepMonthly = p.keepMonthly;
            keepYearly = p.keepYearly;
            keepWithin = p.keepWithin;
            keepWithinAnchor = p.keepWithinAnchor;
            minReadyCopies = p.minReadyCopies;
            zone = p.zone;
            keepOldestWhenShort = p.keepOldestWhenShort;
        }

        /**
         * Keeps the {@code n} newest copies.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepLast(int n) {
            this.keepLast = n;
            return this;
        }

        /**
         * Keeps the newest copy of each of the {@code n} most recent hours that have a copy.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepHourly(int n) {
            this.keepHourly = n;
            return this;
        }

        /**
         * Keeps the newest copy of each of the {@code n} most recent days that have a copy.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepDaily(int n) {
            this.keepDaily = n;
            return this;
        }

        /**
         * Keeps the newest copy of each of the {@code n} most recent ISO weeks that have a copy.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepWeekly(int n) {
            this.keepWeekly = n;
            return this;
        }

        /**
         * Keeps the newest copy of each of the {@code n} most recent months that have a copy.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepMonthly(int n) {
            this.keepMonthly = n;
            return this;
        }

        /**
         * Keeps the newest copy of each of the {@code n} most recent years that have a copy.
         *
         * @param n a positive count up to {@link #MAX_COUNT}, 0 (off) or {@link #UNLIMITED}
         * @return this builder
         */
        public Builder keepYearly(int n) {
            this.keepYearly = n;
            return this;
        }

        /**
         * Keeps every copy created less than {@code window} before the anchor ({@link #keepWithinAnchor}):
         * a copy is kept when its {@code CreateTimestamp} is strictly after {@code anchor - window}.
         *
         * @param window a positive duration up to {@link #MAX_KEEP_WITHIN}, or {@link Duration#ZERO} to switch the
         *               rule off
         * @return this builder
         */
        public Builder keepWithin(Duration window) {
            this.keepWithin = Objects.requireNonNull(window, "keepWithin");
            return this;
        }

        /**
         * What {@link #keepWithin(Duration)} counts back from; default {@link KeepWithinAnchor#NEWEST_COPY}.
         *
         * @param anchor the anchor
         * @return this builder
         */
        public Builder keepWithinAnchor(KeepWithinAnchor anchor) {
            this.keepWithinAnchor = Objects.requireNonNull(anchor, "keepWithinAnchor");
            return this;
        }

        /**
         * The least number of READY copies retention leaves in each (source cluster, destination region) group;
         * when the rules would leave fewer, the newest of the copies they would delete are kept. READY NeverExpires
         * copies count, copies in progress and duplicates do not. Default 1 (the newest READY copy is always kept
         * in any case).
         *
         * @param n at least 1, at most {@link #MAX_COUNT}
         * @return this builder
         */
        public Builder minReadyCopies(int n) {
            this.minReadyCopies = n;
            return this;
        }

        /**
         * The time zone of the calendar buckets; default UTC.
         *
         * @param zone the zone, e.g. {@code ZoneId.of("Europe/Berlin")}
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Whether a count rule that still has slots left when it reaches the oldest copy keeps that copy too;
         * default true.
         *
         * @param keep true to keep the oldest copy while a rule runs short
         * @return this builder
         */
        public Builder keepOldestWhenShort(boolean keep) {
            this.keepOldestWhenShort = keep;
            return this;
        }

        /**
         * Checks the settings and builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException when a count is below -1 or above {@link #MAX_COUNT}, {@code keepWithin}
         *                                  is negative or above {@link #MAX_KEEP_WITHIN}, or {@code minReadyCopies}
         *                                  is below 1 or above {@link #MAX_COUNT}
         * @throws IllegalStateException    when no keep rule is on
         */
        public RetentionPolicy build() {
            checkCount("keepLast", keepLast);
            checkCount("keepHourly", keepHourly);
            checkCount("keepDaily", keepDaily);
            checkCount("keepWeekly", keepWeekly);
            checkCount("keepMonthly", keepMonthly);
            checkCount("keepYearly", keepYearly);
            if (keepWithin.isNegative()) {
                throw new IllegalArgumentException("retention.keepWithin must be a positive duration or zero (off), was "
                        + keepWithin);
            }
            Bounds.atMost("retention.keepWithin", keepWithin, MAX_KEEP_WITHIN);
            if (minReadyCopies < 1) {
                throw new IllegalArgumentException("retention.minReadyCopies must be at least 1, was " + minReadyCopies);
            }
            Bounds.atMost("retention.minReadyCopies", minReadyCopies, MAX_COUNT);
            if (keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                    && keepYearly == 0 && keepWithin.isZero()) {
                throw new IllegalStateException("retention policy has no keep rule: set at least one of keepLast, "
                        + "keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly or keepWithin "
                        + "(a policy without rules is refused rather than read as 'delete every copy')");
            }
            return new RetentionPolicy(this);
        }

        private static void checkCount(String field, int value) {
            if (value < UNLIMITED || value > MAX_COUNT) {
                throw new IllegalArgumentException("retention." + field + " must be a positive count up to "
                        + MAX_COUNT + ", 0 (off) or " + UNLIMITED + " (unlimited), was " + value);
            }
        }
    }
}
