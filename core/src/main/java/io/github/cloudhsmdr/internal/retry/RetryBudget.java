package io.github.cloudhsmdr.internal.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The time budget of one run for retrying: a deadline taken from the clock when the run starts and shared by
 * every call of that run. A retry is allowed only when its wait ends no later than the deadline. Thread-safe.
 */
public final class RetryBudget {
    private final Clock clock;
    private final Instant deadline;

    private RetryBudget(Clock clock, Instant deadline) {
        this.clock = clock;
        this.deadline = deadline;
    }

    /**
     * @param clock        the run's clock
     * @param maxTotalTime how long the run may spend
     * @return a budget ending {@code maxTotalTime} from now
     */
    public static RetryBudget start(Clock clock, Duration maxTotalTime) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxTotalTime, "maxTotalTime");
        return new RetryBudget(clock, clock.instant().plus(maxTotalTime));
    }

    /** @return when the budget ends. */
    public Instant deadline() {
        return deadline;
    }

    /** @return the time left, zero when spent. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** @return true when a wait of {@code wait} starting now ends no later than the deadline. */
    public boolean allows(Duration wait) {
        return !clock.instant().plus(wait).isAfter(deadline);
    }

    @Override
    public String toString() {
        return "RetryBudget[deadline=" + deadline + "]";
    }
}
