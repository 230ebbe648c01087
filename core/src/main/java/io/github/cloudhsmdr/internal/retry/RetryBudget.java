package io.github.cloudhsmdr.internal.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * The retry budget of one run: how much time, summed over all its calls, the run may spend waiting between
 * attempts. A retry is allowed only when its wait still fits. Only waits for retries count: a run that waits
 * for copies to turn READY, or simply takes long, keeps its budget for the failures that come later.
 * Thread-safe: the calls of a run's destinations draw on it at the same time.
 */
public final class RetryBudget {
    private final Duration total;
    private Duration spent = Duration.ZERO;

    private RetryBudget(Duration total) {
        this.total = total;
    }

    /** @return a fresh budget of {@code maxTotalTime} waiting time. */
    public static RetryBudget of(Duration maxTotalTime) {
        Objects.requireNonNull(maxTotalTime, "maxTotalTime");
        return new RetryBudget(maxTotalTime);
    }

    /** @return the waiting time left, zero when spent. */
    public synchronized Duration remaining() {
        return total.minus(spent);
    }

    /**
     * Reserves {@code wait} when it still fits.
     *
     * @return true when the wait fits and was taken from the budget
     */
    public synchronized boolean tryReserve(Duration wait) {
        if (spent.plus(wait).compareTo(total) > 0) {
            return false;
        }
        spent = spent.plus(wait);
        return true;
    }

    @Override
    public synchronized String toString() {
        return "RetryBudget[spent=" + spent + " of " + total + "]";
    }
}
