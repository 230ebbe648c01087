package io.github.cloudhsmdr.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A lock that keeps two runs of one replicator from overlapping, across threads, processes or nodes,
 * depending on the implementation. It is a lock, not a scheduler: a caller that does not get it
 * <b>skips</b> its run and never waits (the run that holds it copies what this one would).
 *
 * <p><b>Time-based.</b> A lock is held until a point in time, not until its holder says so: it is taken for
 * at most {@code lockAtMostFor}, after which it counts as free even if its holder never released it (a node
 * that died mid-run does not block the replicator for ever). {@code lockAtMostFor} must therefore exceed the
 * longest run: a run still going when its lock expires can overlap the next one. Releasing a lease keeps the
 * lock until at least {@code lockedAt + lockAtLeastFor} (zero by default), which absorbs clock skew between
 * nodes and keeps several schedulers firing the same slot from running it once each, one after the other.
 *
 * <p>Implementations: {@link #NONE} (no lock), {@link #inProcess()} (one process); the {@code cloudhsm-dr-runlock-jdbc}
 * module's {@code JdbcRunLock} (every node sharing one database) and the {@code cloudhsm-dr-runlock-shedlock}
 * module's bridge to any ShedLock {@code LockProvider}. {@link ReplicationTask} takes one per run when given one.
 *
 * <pre>{@code
 * Optional<RunLock.Lease> lease = lock.tryAcquire("prod-dr", Duration.ofHours(2));
 * if (lease.isEmpty()) {
 *     return;                               // another run holds it: skip
 * }
 * try (RunLock.Lease held = lease.get()) {
 *     replicator.replicate();
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface RunLock {

    /** A lock that every caller always gets: no protection at all beyond what the caller adds itself. */
    RunLock NONE = NoRunLock.INSTANCE;

    /**
     * A new lock held in this process's memory, on the system clock: protects runs that share this object,
     * and nothing outside the process.
     */
    static RunLock inProcess() {
        return new InProcessRunLock(Clock.systemUTC());
    }

    /**
     * A new lock held in this process's memory whose times come from {@code clock} (a test clock, for
     * example).
     *
     * @throws NullPointerException when {@code clock} is null
     */
    static RunLock inProcess(Clock clock) {
        return new InProcessRunLock(clock);
    }

    /**
     * Takes lock {@code name} for at most {@code lockAtMostFor}, unless it is held; never waits. The lock
     * is released with {@link Lease#close()}, immediately.
     *
     * @param name          the lock's name, e.g. the replicator's name
     * @param lockAtMostFor how long the lock stays held if it is never released; positive, and longer than
     *                      the longest run
     * @return the lease when the lock was taken; empty when it is held by someone else
     * @throws NullPointerException                     when an argument is null
     * @throws IllegalArgumentException                 when {@code name} is blank or not allowed by the
     *                                                  implementation, or {@code lockAtMostFor} is not positive
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the lock's store cannot be read or written; the
     *                                                  lock is then <em>not</em> held
     */
    default Optional<Lease> tryAcquire(String name, Duration lockAtMostFor) {
        return tryAcquire(name, lockAtMostFor, Duration.ZERO);
    }

    /**
     * Takes lock {@code name} for at most {@code lockAtMostFor}, unless it is held; never waits. Releasing
     * the lease keeps the lock until {@code lockAtLeastFor} after it was taken.
     *
     * @param name           the lock's name, e.g. the replicator's name
     * @param lockAtMostFor  how long the lock stays held if it is never released; positive, and longer than
     *                       the longest run
     * @param lockAtLeastFor the shortest time the lock is held, even when released earlier; zero or
     *                       positive, not longer than {@code lockAtMostFor}
     * @return the lease when the lock was taken; empty when it is held by someone else
     * @throws NullPointerException                     when an argument is null
     * @throws IllegalArgumentException                 when {@code name} is blank or not allowed by the
     *                                                  implementation, or a duration is out of range
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the lock's store cannot be read or written; the
     *                                                  lock is then <em>not</em> held
     */
    Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor);

    /**
     * The argument checks every implementation makes at the start of
     * {@link #tryAcquire(String, Duration, Duration)}, so all of them reject the same arguments with the same
     * messages.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is blank or a duration is out of range
     */
    static void checkArguments(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        RunLocks.checkArguments(name, lockAtMostFor, lockAtLeastFor);
    }

    /**
     * A held lock. {@link #close()} releases it (keeping it until {@code lockAtLeastFor} after it was taken);
     * closing again does nothing. Thread-safe.
     */
    interface Lease extends AutoCloseable {
        /** @return the name of the lock this lease holds. */
        String name();

        /**
         * Releases the lock, or shortens it to {@code lockAtLeastFor} after it was taken. A lease that
         * already expired and was taken by another holder is left to that holder (the implementation logs a
         * WARN: the runs may have overlapped, {@code lockAtMostFor} is too short). Calling it again does
         * nothing.
         *
         * @throws io.github.cloudhsmdr.CloudHsmDrException when the lock's store cannot be written; the lock
         *                                                  then stays held until it expires
         */
        @Override
        void close();
    }
}
