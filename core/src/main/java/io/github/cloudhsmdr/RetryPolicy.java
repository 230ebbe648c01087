package io.github.cloudhsmdr;

import io.github.cloudhsmdr.internal.Bounds;

import java.time.Duration;
import java.util.Objects;

/**
 * How the library retries a failed CloudHSM call: the one retry budget of a run. The store underneath makes a
 * single attempt per call (the {@code AwsBackupStore} turns SDK retries off), so these settings alone decide how
 * often a call is sent.
 *
 * <p>Only transient failures ({@link BackupServiceException#isTransient()}: throttling, internal failures,
 * generic service errors, network errors) are retried; permanent ones (access denied, invalid request, not
 * found, tag, limit exceeded, bad response) fail at once. After the {@code n}-th failed attempt the wait is
 *
 * <pre>
 *   base(n) = min(first × multiplier^(n-1), maxBackoff)     first = throttlingBackoff after THROTTLING,
 *                                                                    initialBackoff otherwise
 *   wait(n) = base(n) × (1 − jitter × r)                    r uniform in [0, 1)
 * </pre>
 *
 * so jitter only shortens a wait and {@code maxBackoff} is never exceeded. Every run has a retry budget,
 * {@code maxTotalTime}: the time, summed over all its calls, that the run may spend waiting between attempts.
 * When the next wait no longer fits, the call stops retrying and fails with its last error. Only waits for
 * retries count — waiting for copies to turn READY does not use the budget up — and first attempts are always
 * made.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>{@code maxAttempts}</td><td>5</td><td>1 to {@value #MAX_ATTEMPTS}; counts the first call</td></tr>
 *   <tr><td>{@code initialBackoff}</td><td>1 s</td><td>zero to {@link #MAX_BACKOFF} (1 h)</td></tr>
 *   <tr><td>{@code multiplier}</td><td>2.0</td><td>1.0 to {@value #MAX_MULTIPLIER}</td></tr>
 *   <tr><td>{@code maxBackoff}</td><td>30 s</td><td>at least {@code initialBackoff} and
 *       {@code throttlingBackoff}, at most {@link #MAX_BACKOFF} (1 h)</td></tr>
 *   <tr><td>{@code jitter}</td><td>0.5</td><td>0.0 (no randomness) to 1.0</td></tr>
 *   <tr><td>{@code throttlingBackoff}</td><td>2 s</td><td>zero to {@link #MAX_BACKOFF} (1 h)</td></tr>
 *   <tr><td>{@code maxTotalTime}</td><td>10 min</td><td>positive, at most {@link #MAX_TOTAL_TIME} (24 h)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; the {@link Builder} is not thread-safe.
 */
public final class RetryPolicy {
    /** The most attempts of one call. */
    public static final int MAX_ATTEMPTS = 100;
    /** The longest wait between two attempts: {@code initialBackoff}, {@code throttlingBackoff}, {@code maxBackoff}. */
    public static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** The largest {@code multiplier}. */
    public static final double MAX_MULTIPLIER = 10.0;
    /** The largest retry budget of one run, {@code maxTotalTime}. */
    public static final Duration MAX_TOTAL_TIME = Duration.ofHours(24);

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration throttlingBackoff;
    private final Duration maxTotalTime;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.multiplier = b.multiplier;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.throttlingBackoff = b.throttlingBackoff;
        this.maxTotalTime = b.maxTotalTime;
    }

    /** @return the default policy: 5 attempts, 1 s doubling to 30 s, jitter 0.5, 2 s after throttling, 10 min. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a policy that makes one attempt and never retries. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** @return a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this policy's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return how many times a call is sent at most, the first one included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait after the first failed attempt (not throttled). */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the factor each wait grows by. */
    public double multiplier() {
        return multiplier;
    }

    /** @return the longest wait. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the largest share (0 to 1) by which a wait is randomly shortened. */
    public double jitter() {
        return jitter;
    }

    /** @return the wait after the first throttled attempt; throttled waits grow from here. */
    public Duration throttlingBackoff() {
        return throttlingBackoff;
    }

    /** @return the time budget of one run for retrying, shared by all its calls. */
    public Duration maxTotalTime() {
        return maxTotalTime;
    }

    /** @return true when this policy never retries. */
    public boolean isNone() {
        return maxAttempts == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && multiplier == p.multiplier
                && jitter == p.jitter && initialBackoff.equals(p.initialBackoff) && maxBackoff.equals(p.maxBackoff)
                && throttlingBackoff.equals(p.throttlingBackoff) && maxTotalTime.equals(p.maxTotalTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, throttlingBackoff,
                maxTotalTime);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", multiplier="
                + multiplier + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + ", throttlingBackoff="
                + throttlingBackoff + ", maxTotalTime=" + maxTotalTime + "]";
    }

    /** Builds a {@link RetryPolicy}; every setting is checked in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private double multiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double jitter = 0.5;
        private Duration throttlingBackoff = Duration.ofSeconds(2);
        private Duration maxTotalTime = Duration.ofMinutes(10);

        private Builder() {
        }

        private Builder(RetryPolicy p) {
            maxAttempts = p.maxAttempts;
            initialBackoff = p.initialBackoff;
            multiplier = p.multiplier;
            maxBackoff = p.maxBackoff;
            jitter = p.jitter;
            throttlingBackoff = p.throttlingBackoff;
            maxTotalTime = p.maxTotalTime;
        }

        /** How many times a call is sent at most, the first one included; 1 to {@value #MAX_ATTEMPTS} (default 5). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait after the first failed attempt; zero to {@link #MAX_BACKOFF} (default 1 s). */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            return this;
        }

        /** The factor each wait grows by; 1.0 to {@value #MAX_MULTIPLIER} (default 2.0). */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * The longest wait; at least the initial and throttling backoffs, at most {@link #MAX_BACKOFF} (default
         * 30 s).
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /** The largest share by which a wait is randomly shortened, 0.0 to 1.0 (default 0.5). */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** The wait after the first throttled attempt; zero to {@link #MAX_BACKOFF} (default 2 s). */
        public Builder throttlingBackoff(Duration throttlingBackoff) {
            this.throttlingBackoff = Objects.requireNonNull(throttlingBackoff, "throttlingBackoff");
            return this;
        }

        /**
         * The time budget of one run for retrying, shared by all its calls; positive, at most
         * {@link #MAX_TOTAL_TIME} (default 10 min).
         */
        public Builder maxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = Objects.requireNonNull(maxTotalTime, "maxTotalTime");
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when a setting has a value that is not allowed
         * @throws IllegalStateException    when {@code maxBackoff} is shorter than a first wait
         */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 (the first call counts), was "
                        + maxAttempts);
            }
            requireNotNegative("initialBackoff", initialBackoff);
            requireNotNegative("throttlingBackoff", throttlingBackoff);
            requireNotNegative("maxBackoff", maxBackoff);
            Bounds.atMost("maxAttempts", maxAttempts, MAX_ATTEMPTS);
            Bounds.atMost("initialBackoff", initialBackoff, MAX_BACKOFF);
            Bounds.atMost("throttlingBackoff", throttlingBackoff, MAX_BACKOFF);
            Bounds.atMost("maxBackoff", maxBackoff, MAX_BACKOFF);
            if (!(multiplier >= 1.0 && multiplier <= MAX_MULTIPLIER)) {
                throw new IllegalArgumentException("multiplier must be between 1.0 and " + MAX_MULTIPLIER + ", was "
                        + multiplier);
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be between 0.0 and 1.0, was " + jitter);
            }
            if (maxTotalTime.isZero() || maxTotalTime.isNegative()) {
                throw new IllegalArgumentException("maxTotalTime must be positive, was " + maxTotalTime);
            }
            Bounds.atMost("maxTotalTime", maxTotalTime, MAX_TOTAL_TIME);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                        + initialBackoff + ": it must be at least as long");
            }
            if (maxBackoff.compareTo(throttlingBackoff) < 0) {
                throw new IllegalStateException("maxBackoff " + maxBackoff + " is shorter than throttlingBackoff "
                        + throttlingBackoff + ": it must be at least as long");
            }
            return new RetryPolicy(this);
        }

        private static void requireNotNegative(String field, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must be zero or positive, was " + d);
            }
        }
    }
}
