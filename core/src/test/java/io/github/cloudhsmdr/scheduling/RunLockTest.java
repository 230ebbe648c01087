package io.github.cloudhsmdr.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RunLock#NONE} and {@link RunLock#inProcess}. */
class RunLockTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final TestClock clock = new TestClock("2026-11-28T06:00:00Z");

    @Test
    void noneIsAlwaysAcquired() {
        RunLock.Lease first = RunLock.NONE.tryAcquire("dr", HOUR).orElseThrow();
        RunLock.Lease second = RunLock.NONE.tryAcquire("dr", HOUR).orElseThrow();

        first.close();
        second.close();
        assertEquals("dr", first.name());
        assertThrows(IllegalArgumentException.class, () -> RunLock.NONE.tryAcquire("dr", Duration.ZERO));
    }

    @Test
    void inProcessSkipsWhileHeldAndIsFreeOnceReleased() {
        RunLock lock = RunLock.inProcess(clock);

        RunLock.Lease lease = lock.tryAcquire("dr", HOUR).orElseThrow();
        Optional<RunLock.Lease> second = lock.tryAcquire("dr", HOUR);
        Optional<RunLock.Lease> other = lock.tryAcquire("other", HOUR);
        lease.close();

        assertTrue(second.isEmpty());
        assertTrue(other.isPresent());
        assertTrue(lock.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void inProcessExpiresAfterLockAtMostForAndHonoursLockAtLeastFor() {
        RunLock lock = RunLock.inProcess(clock);
        lock.tryAcquire("dr", Duration.ofMinutes(10)).orElseThrow(); // never released

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertTrue(lock.tryAcquire("dr", HOUR).isEmpty());
        clock.advance(Duration.ofMillis(1));
        RunLock.Lease lease = lock.tryAcquire("dr", HOUR, Duration.ofMinutes(5)).orElseThrow();

        clock.advance(Duration.ofMinutes(1));
        lease.close();
        assertTrue(lock.tryAcquire("dr", HOUR).isEmpty(), "held until lockAtLeastFor after it was taken");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(lock.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void inProcessLateReleaseLeavesTheNextHoldersLock() {
        RunLock lock = RunLock.inProcess(clock);
        RunLock.Lease overran = lock.tryAcquire("dr", Duration.ofMinutes(1)).orElseThrow();
        clock.advance(Duration.ofMinutes(2));
        RunLock.Lease next = lock.tryAcquire("dr", HOUR).orElseThrow();

        overran.close();

        assertTrue(lock.tryAcquire("dr", HOUR).isEmpty(), "the next holder keeps it");
        next.close();
        assertTrue(lock.tryAcquire("dr", HOUR).isPresent());
    }
}
