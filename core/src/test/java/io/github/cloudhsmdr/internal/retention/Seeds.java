package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionPolicy.KeepWithinAnchor;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

/**
 * Seeds and random policies for the randomised retention tests. Replay a failure with
 * {@code -Dretention.seed=<seed>}; change the amount of work with {@code -Dretention.iterations=<n>}.
 */
final class Seeds {
    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("Pacific/Chatham"));

    private Seeds() {
    }

    /** @return the seed from {@code -Dretention.seed}, else a fresh one; printed either way. */
    static long seed(String test) {
        String given = System.getProperty("retention.seed");
        long seed = given != null ? Long.parseLong(given.trim()) : new Random().nextLong();
        System.out.println(test + " seed=" + seed);
        return seed;
    }

    /** @return {@code -Dretention.iterations}, else {@code defaultCount}. */
    static int iterations(int defaultCount) {
        return Integer.getInteger("retention.iterations", defaultCount);
    }

    /**
     * A random policy with at least one rule.
     *
     * @param allowUnlimited whether counts may be {@link RetentionPolicy#UNLIMITED}
     */
    static RetentionPolicy policy(Random r, boolean allowUnlimited) {
        while (true) {
            RetentionPolicy.Builder b = RetentionPolicy.builder()
                    .keepLast(count(r, allowUnlimited, 5))
                    .keepHourly(count(r, allowUnlimited, 30))
                    .keepDaily(count(r, allowUnlimited, 14))
                    .keepWeekly(count(r, allowUnlimited, 8))
                    .keepMonthly(count(r, allowUnlimited, 12))
                    .keepYearly(count(r, allowUnlimited, 3))
                    .minReadyCopies(1 + (r.nextInt(3) == 0 ? r.nextInt(5) : 0))
                    .zone(ZONES.get(r.nextInt(ZONES.size())))
                    .keepOldestWhenShort(r.nextInt(4) != 0)
                    .keepWithinAnchor(r.nextBoolean() ? KeepWithinAnchor.NEWEST_COPY : KeepWithinAnchor.NOW);
            if (r.nextInt(3) == 0) {
                b.keepWithin(Duration.ofMinutes(1 + r.nextInt(20 * 24 * 60)));
            }
            try {
                return b.build();
            } catch (IllegalStateException noRule) {
                // draw again
            }
        }
    }

    private static int count(Random r, boolean allowUnlimited, int max) {
        int roll = r.nextInt(10);
        if (roll < 6) {
            return 0;
        }
        if (roll == 9 && allowUnlimited) {
            return RetentionPolicy.UNLIMITED;
        }
        return 1 + r.nextInt(max);
    }
}
