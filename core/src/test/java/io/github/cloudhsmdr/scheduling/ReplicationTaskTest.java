package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import org.junit.jupiter.api.Test;

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
        AtomicInteger calls = new AtomicInteger();
        TestReplicator replicator = new TestReplicator("dr", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return RunStatus.SUCCESS;
        });
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

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
