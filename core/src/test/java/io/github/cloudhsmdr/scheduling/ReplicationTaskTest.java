package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationTaskTest {

    @Test
    void callReturnsTheReplicatorsReportWhateverItsStatus() {
        TestReplicator replicator = new TestReplicator("dr", () -> RunStatus.PARTIAL);
        ReplicationTask task = ReplicationTask.of(replicator);

        Optional<ReplicationReport> report = task.call();

        assertEquals(RunStatus.PARTIAL, report.orElseThrow().status());
        assertEquals(report, task.lastReport());
        assertEquals(1, task.completedRuns());
        assertEquals(0, task.skippedRuns());
        assertEquals("dr", task.name());
    }

    @Test
    void invocationWhileARunIsInProgressIsSkippedNotQueued() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestReplicator replicator = new TestReplicator("dr", () -> {
            entered.countDown();
            await(release);
            return RunStatus.SUCCESS;
        });
        ReplicationTask task = ReplicationTask.of(replicator);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<ReplicationReport>> first = pool.submit((Callable<Optional<ReplicationReport>>) task);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            assertTrue(task.isRunning());

            Optional<ReplicationReport> second = task.call();
            task.run();

            assertTrue(second.isEmpty());
            assertEquals(2, task.skippedRuns());
            release.countDown();
            assertEquals(RunStatus.SUCCESS, first.get(10, TimeUnit.SECONDS).orElseThrow().status());
            assertEquals(1, replicator.runs());
            assertFalse(task.isRunning());
            assertTrue(task.call().isPresent(), "the guard is released after the run");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentInvocationsNeverRunTheReplicatorTwiceAtOnce() throws Exception {
        TestReplicator replicator = new TestReplicator("dr", () -> {
            Thread.yield();
            return RunStatus.SUCCESS;
        });
        ReplicationTask task = ReplicationTask.of(replicator);
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    await(go);
                    for (int i = 0; i < perThread; i++) {
                        task.run();
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, replicator.maxActive());
        assertEquals(threads * perThread, task.completedRuns() + task.skippedRuns());
        assertEquals(replicator.runs(), task.completedRuns());
    }

    @Test
    void runNeverThrowsAndCountsAThrowingReplicator() {
        TestReplicator replicator = TestReplicator.throwingFirst("dr", RunStatus.SUCCESS);
        ReplicationTask task = ReplicationTask.of(replicator);

        task.run();
        task.run();

        assertEquals(1, task.abortedRuns());
        assertEquals(1, task.completedRuns());
        assertEquals(RunStatus.SUCCESS, task.lastReport().orElseThrow().status());
    }

    @Test
    void callRethrowsTheReplicatorsExceptionUnchangedAndReleasesTheGuard() {
        IllegalStateException boom = new IllegalStateException("boom");
        ReplicationTask task = ReplicationTask.of(new TestReplicator("dr", () -> {
            throw boom;
        }));

        IllegalStateException thrown = assertThrows(IllegalStateException.class, task::call);

        assertSame(boom, thrown);
        assertEquals(1, task.abortedRuns());
        assertFalse(task.isRunning());
        assertTrue(task.lastReport().isEmpty());
    }

    @Test
    void aReplicatorReturningNoReportIsAnErrorNamingIt() {
        ReplicationTask task = ReplicationTask.of(new TestReplicator("nightly", () -> RunStatus.SUCCESS) {
            @Override
            public ReplicationReport replicate() {
                return null;
            }
        });

        IllegalStateException e = assertThrows(IllegalStateException.class, task::call);

        assertTrue(e.getMessage().contains("'nightly'"), e.getMessage());
        assertEquals(1, task.abortedRuns());
    }

    @Test
    void rejectsANullReplicator() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ReplicationTask.of(null));
        assertEquals("replicator", e.getMessage());
    }

    /** A lock that records what it was asked and hands out leases that record their release. */
    private static final class RecordingLock implements RunLock {
        final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean held;
        volatile RuntimeException acquireFailure;
        volatile RuntimeException releaseFailure;

        @Override
        public Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
            calls.add("acquire " + name + " " + lockAtMostFor + " " + lockAtLeastFor);
            if (acquireFailure != null) {
                throw acquireFailure;
            }
            if (held) {
                return Optional.empty();
            }
            return Optional.of(new Lease() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public void close() {
                    calls.add("release " + name);
                    if (releaseFailure != null) {
                        throw releaseFailure;
                    }
                }
            });
        }
    }

    @Test
    void aRunWhoseLockIsHeldElsewhereIsSkippedCountedAndSaysWhy() {
        TestClock clock = new TestClock("2026-11-28T06:00:00Z");
        RunLock lock = RunLock.inProcess(clock);
        TestReplicator replicator = TestReplicator.succeeding("dr");
        ReplicationTask task = ReplicationTask.builder(replicator).runLock(lock).build();
        RunLock.Lease otherNode = lock.tryAcquire("dr", Duration.ofHours(1)).orElseThrow();

        RunOutcome outcome = task.attempt();
        Optional<ReplicationReport> viaCall = task.call();

        assertEquals(new RunOutcome.Skipped("dr", RunOutcome.SkipReason.RUN_LOCK_HELD_ELSEWHERE), outcome);
        assertTrue(viaCall.isEmpty());
        assertEquals(0, replicator.runs());
        assertEquals(0, replicator.measurements(), "a skipped run measures nothing");
        assertEquals(2, task.skippedRuns());
        assertEquals(2, task.skippedByRunLock());
        assertFalse(task.isRunning(), "the in-process guard is released after a skip");
        otherNode.close();
        RunOutcome ran = task.attempt();
        assertEquals(RunStatus.SUCCESS, ((RunOutcome.Completed) ran).report().status());
        assertEquals("dr", ran.replicatorName());
        assertEquals(1, replicator.runs());
    }

    @Test
    void eachRunTakesTheLockWithItsSettingsAndReleasesItAfterwardsEvenWhenTheReplicatorThrows() {
        RecordingLock lock = new RecordingLock();
        AtomicInteger calls = new AtomicInteger();
        ReplicationTask task = ReplicationTask.builder(new TestReplicator("dr", () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("boom");
            }
            return RunStatus.SUCCESS;
        })).runLock(lock).lockName("cloudhsm-dr.dr").lockAtMostFor(Duration.ofMinutes(90))
                .lockAtLeastFor(Duration.ofMinutes(1)).build();

        task.call();
        assertThrows(IllegalStateException.class, task::call);

        assertEquals(List.of("acquire cloudhsm-dr.dr PT1H30M PT1M", "release cloudhsm-dr.dr",
                "acquire cloudhsm-dr.dr PT1H30M PT1M", "release cloudhsm-dr.dr"), lock.calls);
        assertSame(lock, task.runLock());
        assertEquals("cloudhsm-dr.dr", task.lockName());
        assertEquals(Duration.ofMinutes(90), task.lockAtMostFor());
        assertEquals(Duration.ofMinutes(1), task.lockAtLeastFor());
    }

    @Test
    void theLockDefaultsToTheReplicatorsNameForTwoHoursAndNoneMeansNoLock() {
        RecordingLock lock = new RecordingLock();
        ReplicationTask locked = ReplicationTask.builder(TestReplicator.succeeding("dr")).runLock(lock).build();
        ReplicationTask plain = ReplicationTask.of(TestReplicator.succeeding("dr"));

        locked.call();

        assertEquals(List.of("acquire dr PT2H PT0S", "release dr"), lock.calls);
        assertEquals(ReplicationTask.DEFAULT_LOCK_AT_MOST_FOR, Duration.ofHours(2));
        assertSame(RunLock.NONE, plain.runLock());
        assertTrue(plain.call().isPresent());
    }

    @Test
    void anInProcessOverlapIsSkippedBeforeTheLockIsAsked() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingLock lock = new RecordingLock();
        ReplicationTask task = ReplicationTask.builder(new TestReplicator("dr", () -> {
            entered.countDown();
            await(release);
            return RunStatus.SUCCESS;
        })).runLock(lock).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RunOutcome> first = pool.submit(task::attempt);
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            RunOutcome second = task.attempt();

            assertEquals(RunOutcome.SkipReason.IN_PROGRESS_IN_THIS_PROCESS, ((RunOutcome.Skipped) second).reason());
            assertEquals(1, task.skippedRuns());
            assertEquals(0, task.skippedByRunLock());
            assertEquals(1, lock.calls.size(), "only the first run asked the lock: " + lock.calls);
            release.countDown();
            assertInstanceOf(RunOutcome.Completed.class, first.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLockThatCannotBeReadFailsTheRunWithoutRunningTheReplicator() {
        RecordingLock lock = new RecordingLock();
        lock.acquireFailure = new CloudHsmDrException("cannot acquire run lock 'dr' in table CLOUDHSM_DR_LOCK: down");
        TestReplicator replicator = TestReplicator.succeeding("dr");
        ReplicationTask task = ReplicationTask.builder(replicator).runLock(lock).build();

        CloudHsmDrException thrown = assertThrows(CloudHsmDrException.class, task::call);
        task.run(); // logged, not thrown

        assertSame(lock.acquireFailure, thrown);
        assertEquals(0, replicator.runs());
        assertEquals(2, task.abortedRuns());
        assertEquals(0, task.skippedRuns());
        assertFalse(task.isRunning());
    }

    @Test
    void aLockThatCannotBeReleasedIsLoggedAndTheReportStands() {
        RecordingLock lock = new RecordingLock();
        lock.releaseFailure = new CloudHsmDrException("cannot release run lock 'dr': down");
        ReplicationTask task = ReplicationTask.builder(new TestReplicator("dr", () -> RunStatus.PARTIAL))
                .runLock(lock).build();

        Optional<ReplicationReport> report = task.call();

        assertEquals(RunStatus.PARTIAL, report.orElseThrow().status());
        assertEquals(1, task.completedRuns());
        assertEquals(0, task.abortedRuns());
        assertEquals(List.of("acquire dr PT2H PT0S", "release dr"), lock.calls);
    }

    @Test
    void lockDurationsAreValidated() {
        TestReplicator replicator = TestReplicator.succeeding("dr");

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ReplicationTask.builder(replicator).lockAtMostFor(Duration.ZERO).build());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ReplicationTask.builder(replicator).lockAtLeastFor(Duration.ofSeconds(-1)).build());
        IllegalStateException contradiction = assertThrows(IllegalStateException.class,
                () -> ReplicationTask.builder(replicator).lockAtMostFor(Duration.ofMinutes(5))
                        .lockAtLeastFor(Duration.ofMinutes(6)).build());
        assertThrows(IllegalArgumentException.class, () -> ReplicationTask.builder(replicator).lockName(" ").build());

        assertEquals("lockAtMostFor of replicator 'dr' must be positive (longer than the longest run), was PT0S",
                zero.getMessage());
        assertTrue(negative.getMessage().contains("lockAtLeastFor") && negative.getMessage().contains("PT-1S"),
                negative.getMessage());
        assertTrue(contradiction.getMessage().contains("PT6M") && contradiction.getMessage().contains("PT5M"),
                contradiction.getMessage());
    }

    @Test
    void everyRunIsFollowedByARecoveryPointMeasurementByDefault() {
        TestReplicator replicator = new TestReplicator("dr", () -> RunStatus.FAILED);
        ReplicationTask task = ReplicationTask.of(replicator);
        assertTrue(task.measuresRecoveryPoints());
        assertTrue(task.lastRecoveryPoints().isEmpty());

        task.call();
        task.call();

        assertEquals(2, replicator.runs());
        assertEquals(2, replicator.measurements(), "a FAILED run is measured too");
        assertEquals(Instant.parse("2025-01-01T00:00:02Z"), task.lastRecoveryPoints().orElseThrow().measuredAt(),
                "measured after the second run");
    }

    @Test
    void measuringCanBeTurnedOffOnTheTaskOrForOneAttempt() {
        TestReplicator replicator = TestReplicator.succeeding("dr");
        ReplicationTask off = ReplicationTask.builder(replicator).measureRecoveryPoints(false).build();
        ReplicationTask on = ReplicationTask.of(replicator);

        off.call();
        on.attemptMeasuring(false);
        assertEquals(0, replicator.measurements());
        assertTrue(off.lastRecoveryPoints().isEmpty());
        assertFalse(off.measuresRecoveryPoints());

        off.attemptMeasuring(true);
        assertEquals(1, replicator.measurements());
        assertTrue(off.lastRecoveryPoints().isPresent());
    }

    @Test
    void aThrowingRunIsMeasuredAndAThrowingMeasurementLeavesTheOutcomeAlone() {
        TestReplicator replicator = TestReplicator.throwingFirst("dr", RunStatus.PARTIAL);
        ReplicationTask task = ReplicationTask.of(replicator);

        assertThrows(IllegalStateException.class, task::call);
        assertEquals(1, replicator.measurements());
        replicator.failMeasurementsWith(new IllegalStateException("region unreadable"));

        Optional<ReplicationReport> report = task.call();

        assertEquals(RunStatus.PARTIAL, report.orElseThrow().status());
        assertEquals(2, replicator.measurements());
        assertEquals(Instant.parse("2025-01-01T00:00:01Z"), task.lastRecoveryPoints().orElseThrow().measuredAt(),
                "the failed measurement keeps the last one that worked");
        assertFalse(task.isRunning());
    }

    static void await(CountDownLatch latch) {
        TestReplicator.await(latch);
    }
}
