package io.github.cloudhsmdr.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RunLock#inProcess()}: the same time-based semantics as {@code JdbcRunLock}, held in a map of this
 * object. Thread-safe (one monitor).
 */
final class InProcessRunLock implements RunLock {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessRunLock.class);

    /** Who holds a lock and until when. */
    private record Holder(Object lease, Instant lockedAt, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Holder> holders = new HashMap<>();

    InProcessRunLock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        RunLocks.checkArguments(name, lockAtMostFor, lockAtLeastFor);
        Instant now = clock.instant();
        synchronized (holders) {
            Holder current = holders.get(name);
            if (current != null && current.lockedUntil().isAfter(now)) {
                return Optional.empty();
            }
            InProcessLease lease = new InProcessLease(name, now.plus(lockAtLeastFor));
            holders.put(name, new Holder(lease, now, now.plus(lockAtMostFor)));
            return Optional.of(lease);
        }
    }

    @Override
    public String toString() {
        return "RunLock.inProcess";
    }

    private final class InProcessLease extends AbstractLease {
        private final Instant heldAtLeastUntil;

        InProcessLease(String name, Instant heldAtLeastUntil) {
            super(name);
            this.heldAtLeastUntil = heldAtLeastUntil;
        }

        @Override
        protected void release() {
            String name = name();
            Instant now = clock.instant();
            synchronized (holders) {
                Holder current = holders.get(name);
                if (current == null || current.lease() != this) {
                    LOG.warn("lock={} was held past its lockAtMostFor and taken by another run before this run "
                            + "released it: the two runs may have overlapped; raise lockAtMostFor above the "
                            + "longest run", name);
                    return;
                }
                Instant until = heldAtLeastUntil.isAfter(now) ? heldAtLeastUntil : now;
                holders.put(name, new Holder(this, current.lockedAt(), until));
            }
        }

        @Override
        public String toString() {
            return "RunLock.inProcess lease[" + name() + "]";
        }
    }
}
