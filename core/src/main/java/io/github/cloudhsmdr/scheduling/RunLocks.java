package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.internal.Bounds;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the {@link RunLock} implementations. */
final class RunLocks {
    private RunLocks() {
    }

    /**
     * Checks the arguments of {@link RunLock#tryAcquire(String, Duration, Duration)}.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is blank or a duration is out of range
     */
    static void checkArguments(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lockAtMostFor, "lockAtMostFor");
        Objects.requireNonNull(lockAtLeastFor, "lockAtLeastFor");
        if (name.isBlank()) {
            throw new IllegalArgumentException("lock name must not be blank: give the replicator's name()");
        }
        checkDurations("lock '" + name + "'", lockAtMostFor, lockAtLeastFor);
    }

    /**
     * Checks {@code lockAtMostFor} (positive) and {@code lockAtLeastFor} (between zero and lockAtMostFor).
     *
     * @param owner what the durations belong to, for the message
     * @throws IllegalArgumentException when a duration is out of range
     */
    static void checkDurations(String owner, Duration lockAtMostFor, Duration lockAtLeastFor) {
        if (lockAtMostFor.isNegative() || lockAtMostFor.isZero()) {
            throw new IllegalArgumentException("lockAtMostFor of " + owner + " must be positive (longer than the "
                    + "longest run), was " + lockAtMostFor);
        }
        Bounds.atMost("lockAtMostFor of " + owner, lockAtMostFor, ReplicationTask.MAX_LOCK_AT_MOST_FOR);
        if (lockAtLeastFor.isNegative() || lockAtLeastFor.compareTo(lockAtMostFor) > 0) {
            throw new IllegalArgumentException("lockAtLeastFor of " + owner + " must be between zero and "
                    + "lockAtMostFor (" + lockAtMostFor + "), was " + lockAtLeastFor);
        }
    }
}
