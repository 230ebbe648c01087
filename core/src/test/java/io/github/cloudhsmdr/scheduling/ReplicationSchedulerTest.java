package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.RunStatus;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationSchedulerTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSchedulerTest.class);
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ManualScheduledExecutor executor = new ManualScheduledExecutor();

    @Test
    void firstPassRunsAfterTheInitialDelayThenOneIntervalAfterEachPass() {
        TestReplicator replicator = TestReplicator.succeeding("dr");
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofHours(1)).initialDelay(Duration.ofMinutes(5)).executor(executor).build();

        scheduler.start();
        assertEquals(List.of(Duration.ofMinutes(5).toMillis()), executor.delays());
        assertEquals(0, replicator.runs(), "nothing runs before the executor fires");

        assertTrue(executor.runNext());
        assertTrue(executor.runNext());

        assertEquals(2, replicator.runs());
        assertEquals(List.of(Duration.ofMinutes(5).toMillis(), HOUR, HOUR), executor.delays());
        assertEquals(1, executor.pending().size(), "exactly one next pass is pending");
        assertEquals(2, scheduler.passes());
    }

    @Test
    void jitterAddsASeededRandomDelayWithinItsBoundToEveryPass() {
        long seed = System.nanoTime();
        LOG.info("jitter test seed={}", seed);
        long jitter = Duration.ofMinutes(10).toMillis();
        ReplicationScheduler scheduler = ReplicationScheduler.builder(TestReplicator.succeeding("dr"))
                .interval(Duration.ofHours(1)).jitter(Duration.ofMinutes(10)).random(new Random(seed))
                .executor(executor).build();

        scheduler.start();
        for (int i = 0; i < 50; i++) {
            executor.runNext();
        }

        Random expected = new Random(seed);
        List<Long> delays = executor.delays();
        assertEquals(51, delays.size());
        assertEquals(expected.nextLong(jitter + 1), delays.get(0), "seed=" + seed);
        for (long d : delays.subList(1, delays.size())) {
            assertEquals(HOUR + expected.nextLong(jitter + 1), d, "seed=" + seed);
            assertTrue(d >= HOUR && d <= HOUR + jitter, "delay " + d + " out of bounds, seed=" + seed);
        }
        assertTrue(delays.stream().distinct().count() > 1, "jitter varies between passes, seed=" + seed);
    }

    @Test
    void aThrowingOrFailingReplicatorDoesNotStopTheSchedule() {
        AtomicBoolean throwNext = new AtomicBoolean(true);
        TestReplicator replicator = new TestReplicator("dr", () -> {
            if (throwNext.getAndSet(false)) {
                throw new IllegalStateException("boom");
            }
            return RunStatus.FAILED;
        });
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofMinutes(1)).executor(executor).build();

        scheduler.start();
        executor.runNext();
        executor.runNext();

        assertEquals(1, scheduler.task().abortedRuns());
        assertEquals(RunStatus.FAILED, scheduler.task().lastReport().orElseThrow().status());
        assertEquals(1, executor.pending().size());
        assertTrue(scheduler.isStarted());
    }

    @Test
    void closeCancelsThePendingPassAndLeavesASuppliedExecutorRunning() {
        TestReplicator replicator = TestReplicator.succeeding("dr");
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofMinutes(1)).executor(executor).build();
        scheduler.start();
        executor.runNext();

        scheduler.close();

        assertTrue(executor.pending().isEmpty());
        assertFalse(executor.runNext());
        assertFalse(executor.isShutdown());
        assertFalse(scheduler.isStarted());
        assertEquals(1, replicator.runs());
        assertThrows(IllegalStateException.class, scheduler::start);
    }

    @Test
    void shutdownLetsTheRunningPassFinishAndSchedulesNoOther() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        TestReplicator replicator = new TestReplicator("dr", () -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                sawInterrupt.set(true);
            }
            return RunStatus.SUCCESS;
        });
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofMinutes(1)).executor(executor).build();
        scheduler.start();
        CompletableFuture<Boolean> pass = CompletableFuture.supplyAsync(executor::runNext);
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        Thread[] stopper = new Thread[1];
        CompletableFuture<Boolean> stopped = new CompletableFuture<>();
        stopper[0] = new Thread(() -> stopped.complete(scheduler.shutdown(Duration.ofSeconds(30))));
        stopper[0].start();
        awaitWaiting(stopper[0]);
        assertFalse(stopped.isDone(), "shutdown waits for the running pass");

        release.countDown();

        assertTrue(stopped.get(10, TimeUnit.SECONDS), "the pass finished within the timeout");
        assertTrue(pass.get(10, TimeUnit.SECONDS));
        assertFalse(sawInterrupt.get());
        assertEquals(1, scheduler.task().completedRuns());
        assertTrue(executor.pending().isEmpty(), "no pass after shutdown");
    }

    @Test
    void shutdownInterruptsAPassThatDoesNotFinishInTime() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TestReplicator replicator = new TestReplicator("dr", () -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                return RunStatus.SUCCESS;
            } catch (InterruptedException e) {
                interrupted.countDown();
                return RunStatus.FAILED;
            }
        });
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofMinutes(1)).executor(executor).build();
        scheduler.start();
        CompletableFuture<Boolean> pass = CompletableFuture.supplyAsync(executor::runNext);
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        assertFalse(scheduler.shutdown(Duration.ZERO));

        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the replicator saw the interruption");
        assertTrue(pass.get(10, TimeUnit.SECONDS));
        assertEquals(RunStatus.FAILED, scheduler.task().lastReport().orElseThrow().status());
        assertTrue(executor.pending().isEmpty());
    }

    @Test
    void aPassThatClosesItsOwnSchedulerDoesNotWaitForItself() {
        ReplicationScheduler[] self = new ReplicationScheduler[1];
        TestReplicator replicator = new TestReplicator("dr", () -> {
            self[0].close();
            return RunStatus.SUCCESS;
        });
        self[0] = ReplicationScheduler.builder(replicator).interval(Duration.ofMinutes(1))
                .shutdownTimeout(Duration.ofMinutes(10)).executor(executor).build();
        self[0].start();

        assertTrue(executor.runNext());

        assertEquals(1, replicator.runs());
        assertTrue(executor.pending().isEmpty());
    }

    @Test
    void ownExecutorRunsPassesAndItsThreadEndsOnClose() throws Exception {
        CountDownLatch threePasses = new CountDownLatch(3);
        TestReplicator replicator = new TestReplicator("own-executor", () -> {
            threePasses.countDown();
            return RunStatus.SUCCESS;
        });
        ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
                .interval(Duration.ofMillis(1)).build();
        scheduler.start();

        assertTrue(threePasses.await(10, TimeUnit.SECONDS));
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cloudhsm-dr-scheduler-own-executor")).findFirst().orElseThrow();
        assertFalse(worker.isDaemon());

        scheduler.close();

        worker.join(10_000);
        assertFalse(worker.isAlive(), "the scheduler's own executor thread ended");
        assertEquals(1, replicator.maxActive());
    }

    @Test
    void builderRejectsOutOfRangeSettingsNamingTheField() {
        ReplicationScheduler.Builder b = ReplicationScheduler.builder(TestReplicator.succeeding("dr"));

        NullPointerException missing = assertThrows(NullPointerException.class, b::build);
        assertTrue(missing.getMessage().contains("interval"));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> b.interval(Duration.ZERO).build());
        assertEquals("interval must be at least 1 ms, was PT0S", zero.getMessage());
        IllegalArgumentException jitter = assertThrows(IllegalArgumentException.class,
                () -> b.interval(Duration.ofMinutes(1)).jitter(Duration.ofSeconds(-1)).build());
        assertEquals("jitter must be zero or positive, was PT-1S", jitter.getMessage());
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class,
                () -> b.jitter(Duration.ZERO).initialDelay(Duration.ofSeconds(-2)).build());
        assertTrue(delay.getMessage().startsWith("initialDelay"));
    }

    @Test
    void startingTwiceIsRefused() {
        ReplicationScheduler scheduler = ReplicationScheduler.builder(TestReplicator.succeeding("dr"))
                .interval(Duration.ofMinutes(1)).executor(executor).build();
        scheduler.start();

        IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::start);

        assertTrue(e.getMessage().contains("already started"), e.getMessage());
        assertEquals(1, executor.delays().size());
    }

    /** Waits (spinning, bounded) until {@code t} blocks in a wait: the event the test is after. */
    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread " + t.getName() + " did not start waiting; state " + t.getState());
            }
            Thread.onSpinWait();
        }
    }
}
