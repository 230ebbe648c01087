package io.github.cloudhsmdr.it.chaos;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The knobs of a chaos run, read from system properties so that a long randomised run needs no code change.
 *
 * @param days               simulated days in all, the fault-free tail included ({@code chaos.days})
 * @param tailDays           fault-free days at the end ({@code chaos.tail})
 * @param seed               the one seed everything is drawn from ({@code chaos.seed}; {@code random} draws one)
 * @param destinationThreads destination regions worked on at once ({@code chaos.destinationThreads}); 1 (with one
 *                           call per region at a time) keeps the order of requests, and so the faults they meet,
 *                           the same for the same seed
 * @param retryBudget        the retry policy's {@code maxTotalTime} ({@code chaos.retryBudget}, ISO-8601 such as
 *                           {@code PT4H}), or {@code null} for the library's default
 */
record ChaosSettings(int days, int tailDays, long seed, int destinationThreads, Duration retryBudget) {
    static final int DEFAULT_DAYS = 40;
    static final int DEFAULT_TAIL_DAYS = 5;
    static final long DEFAULT_SEED = 20261128L;

    ChaosSettings {
        if (tailDays < 2) {
            throw new IllegalArgumentException("chaos.tail must be at least 2 days, was " + tailDays);
        }
        if (days <= tailDays) {
            throw new IllegalArgumentException("chaos.days must be more than chaos.tail (" + tailDays + "), was "
                    + days);
        }
        if (destinationThreads < 1) {
            throw new IllegalArgumentException("chaos.destinationThreads must be at least 1, was "
                    + destinationThreads);
        }
    }

    /** @return the settings given as system properties, defaults for the rest. */
    static ChaosSettings fromSystemProperties() {
        String seed = System.getProperty("chaos.seed", "").trim();
        long s;
        if (seed.isEmpty()) {
            s = DEFAULT_SEED;
        } else if (seed.equalsIgnoreCase("random")) {
            s = new java.util.Random().nextLong();
        } else {
            try {
                s = Long.parseLong(seed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chaos.seed must be a long or 'random', was '" + seed + "'", e);
            }
        }
        String budget = System.getProperty("chaos.retryBudget", "").trim();
        Duration retryBudget;
        try {
            retryBudget = budget.isEmpty() ? null : Duration.parse(budget);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("chaos.retryBudget must be an ISO-8601 duration such as PT4H, was '"
                    + budget + "'", e);
        }
        return new ChaosSettings(intProperty("chaos.days", DEFAULT_DAYS), intProperty("chaos.tail", DEFAULT_TAIL_DAYS),
                s, intProperty("chaos.destinationThreads", 1), retryBudget);
    }

    /** @return the system properties that replay this run. */
    String replayArguments() {
        return "-Dchaos.seed=" + seed + " -Dchaos.days=" + days + " -Dchaos.tail=" + tailDays
                + " -Dchaos.destinationThreads=" + destinationThreads
                + (retryBudget == null ? "" : " -Dchaos.retryBudget=" + retryBudget);
    }

    /** @return the days with faults. */
    int faultyDays() {
        return days - tailDays;
    }

    private static int intProperty(String name, int defaultValue) {
        String value = System.getProperty(name, "").trim();
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }
}
