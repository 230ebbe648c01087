package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.RunStatus;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link RunLock} implementation must do for {@link ReplicationTask}s, checked the same way for each. */
public final class RunLockContract {
    private RunLockContract() {
    }

    /**
     * Two tasks of replicator "dr" whose locks share one store (two nodes): while a's run holds the lock, b's attempt
     * is skipped as held elsewhere and runs nothing; once a's run ended, b runs.
     */
    public static void twoTasksSharingTheLockRunOneAtATime(RunLock nodeA, RunLock nodeB) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestReplicator onA = new TestReplicator("dr", () -> {
            entered.countDown();
            TestReplicator.await(release);
            return RunStatus.SUCCESS;
        });
        TestReplicator onB = TestReplicator.succeeding("dr");
        ReplicationTask taskA = ReplicationTask.builder(onA).runLock(nodeA).build();
        ReplicationTask taskB = ReplicationTask.builder(onB).runLock(nodeB).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RunOutcome> first = pool.submit(taskA::attempt);
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            RunOutcome second = taskB.attempt();

            assertEquals(new RunOutcome.Skipped("dr", RunOutcome.SkipReason.RUN_LOCK_HELD_ELSEWHERE), second);
            assertEquals(0, onB.runs());
            assertEquals(1, taskB.skippedByRunLock());
            release.countDown();
            assertInstanceOf(RunOutcome.Completed.class, first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RunOutcome.Completed.class, taskB.attempt(), "released when a's run ended");
            assertEquals(1, onB.runs());
        } finally {
            pool.shutdownNow();
        }
    }
}
