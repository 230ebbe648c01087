package io.github.cloudhsmdr;

import io.github.cloudhsmdr.internal.Bounds;

import java.time.Duration;
import java.util.Objects;

/**
 * Which READY source backups a replicator copies to each destination.
 *
 * <ul>
 *   <li>{@link #allWithin(Duration)} (the default, with 14 days): every READY backup created within the
 *       look-back window that is not yet in the destination. A run after downtime catches up on all
 *       it missed inside the window.</li>
 *   <li>{@link #latest()}: only the newest READY backup of each cluster.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Selection {
    /** The default look-back window. */
    public static final Duration DEFAULT_LOOK_BACK = Duration.ofDays(14);
    /** The longest look-back window, 3650 days: older backups are not looked for. */
    public static final Duration MAX_LOOK_BACK = Duration.ofDays(3650);

    private final boolean latestOnly;
    private final Duration lookBack;

    private Selection(boolean latestOnly, Duration lookBack) {
        this.latestOnly = latestOnly;
        this.lookBack = lookBack;
    }

    /** @return a selection of the newest READY backup per cluster. */
    public static Selection latest() {
        return new Selection(true, null);
    }

    /**
     * @param lookBack how far back from now to look; positive and at most {@link #MAX_LOOK_BACK}
     * @return a selection of every READY backup created within {@code lookBack} of now
     * @throws IllegalArgumentException when {@code lookBack} is not positive or longer than {@link #MAX_LOOK_BACK}
     */
    public static Selection allWithin(Duration lookBack) {
        Objects.requireNonNull(lookBack, "lookBack");
        if (lookBack.isZero() || lookBack.isNegative()) {
            throw new IllegalArgumentException("selection.lookBack must be positive, was " + lookBack);
        }
        Bounds.atMost("selection.lookBack", lookBack, MAX_LOOK_BACK);
        return new Selection(false, lookBack);
    }

    /** @return the default selection: {@code allWithin(14 days)}. */
    public static Selection defaults() {
        return allWithin(DEFAULT_LOOK_BACK);
    }

    /** @return true for {@link #latest()}. */
    public boolean latestOnly() {
        return latestOnly;
    }

    /** @return the look-back window, or {@code null} for {@link #latest()}. */
    public Duration lookBack() {
        return lookBack;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && s.latestOnly == latestOnly && Objects.equals(s.lookBack, lookBack);
    }

    @Override
    public int hashCode() {
        return Objects.hash(latestOnly, lookBack);
    }

    @Override
    public String toString() {
        return latestOnly ? "latest" : "allWithin(" + lookBack + ")";
    }
}
