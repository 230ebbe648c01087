package io.github.cloudhsmdr.runlock.shedlock;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.scheduling.AbstractLease;
import io.github.cloudhsmdr.scheduling.RunLock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RunLock} on a ShedLock {@link LockProvider}: a team that already runs ShedLock (on JDBC, DynamoDB,
 * Redis, MongoDB, ZooKeeper, …) guards replication runs with the provider and the lock table it has, instead of
 * a second lock store. The semantics are ShedLock's, which are the {@link RunLock} contract: a lock held until
 * {@code lockAtMostFor} after it was taken, released on close but held at least {@code lockAtLeastFor}; a caller
 * that does not get it skips its run.
 *
 * <pre>{@code
 * LockProvider provider = new JdbcLockProvider(dataSource);          // the ShedLock provider you already run
 * ReplicationTask task = ReplicationTask.builder(replicator)
 *         .runLock(ShedLockRunLock.of(provider))
 *         .build();
 * }</pre>
 *
 * <p>Lock names are the replicator's name; the provider's own limits apply (for example 64 characters for
 * ShedLock's JDBC providers' default table). Errors of the provider are thrown as {@link CloudHsmDrException}
 * with the provider's exception as the cause; the lock is then not held. Thread-safe when the provider is.
 */
public final class ShedLockRunLock implements RunLock {
    private final LockProvider provider;
    private final Clock clock;

    private ShedLockRunLock(LockProvider provider, Clock clock) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param provider the ShedLock provider to take locks from
     * @return a run lock on {@code provider}, with lock times from the system clock
     */
    public static ShedLockRunLock of(LockProvider provider) {
        return new ShedLockRunLock(provider, Clock.systemUTC());
    }

    /**
     * @param provider the ShedLock provider to take locks from
     * @param clock    where the time a lock is taken comes from (ShedLock computes its lock-until times from it)
     * @return a run lock on {@code provider}
     */
    public static ShedLockRunLock of(LockProvider provider, Clock clock) {
        return new ShedLockRunLock(provider, clock);
    }

    @Override
    public Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        RunLock.checkArguments(name, lockAtMostFor, lockAtLeastFor);
        LockConfiguration configuration = new LockConfiguration(clock.instant(), name, lockAtMostFor, lockAtLeastFor);
        Optional<SimpleLock> lock;
        try {
            lock = provider.lock(configuration);
        } catch (RuntimeException e) {
            throw new CloudHsmDrException("ShedLock provider " + provider.getClass().getName()
                    + " could not take lock '" + name + "': " + e.getMessage(), e);
        }
        return lock.map(l -> new ShedLockLease(name, l));
    }

    @Override
    public String toString() {
        return "ShedLockRunLock[" + provider.getClass().getName() + "]";
    }

    private static final class ShedLockLease extends AbstractLease {
        private final SimpleLock lock;

        ShedLockLease(String name, SimpleLock lock) {
            super(name);
            this.lock = lock;
        }

        @Override
        protected void release() {
            try {
                lock.unlock();
            } catch (RuntimeException e) {
                throw new CloudHsmDrException("ShedLock could not release lock '" + name()
                        + "'; it stays held until it expires: " + e.getMessage(), e);
            }
        }
    }
}
