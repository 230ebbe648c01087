package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import io.github.cloudhsmdr.scheduling.RunOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReplicationJob} on a real RAMJobStore scheduler; the tests wait for firings, never sleep. */
class ReplicationJobTest {
    private final RecordingJobListener listener = new RecordingJobListener();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Scheduler> schedulers = new ArrayList<>();

    @AfterEach
    void shutDown() throws SchedulerException {
        release.countDown();
        for (Scheduler s : schedulers) {
            s.shutdown(false);
        }
    }

    /**
     * Triggers {@code name} now. A firing ends a moment after its listeners ran, and until then triggerNow
     * answers false (the one-off trigger is still COMPLETE), so this asks again, for at most 10 s.
     */
    private static void triggerOnceTheLastFiringEnded(Scheduler scheduler, String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ReplicationScheduling.triggerNow(scheduler, name)) {
            assertTrue(System.nanoTime() < deadline, "once the run ended, a new one can start");
            Thread.onSpinWait();
        }
    }

    private Scheduler startScheduler(int threads, FakeReplicator... replicators) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "test-" + UUID.randomUUID());
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        schedulers.add(scheduler);
        scheduler.getListenerManager().addJobListener(listener);
        for (FakeReplicator r : replicators) {
            ReplicationScheduling.register(scheduler, r);
        }
        scheduler.start();
        return scheduler;
    }

    @Test
    void cronTriggerRunsTheRegisteredReplicatorEveryFiring() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        Scheduler scheduler = startScheduler(2, replicator);

        ReplicationScheduling.scheduleCron(scheduler, "dr", "0/1 * * * * ?", ZoneOffset.UTC);

        RecordingJobListener.Execution first = listener.next();
        RecordingJobListener.Execution second = listener.next();
        for (RecordingJobListener.Execution e : List.of(first, second)) {
            assertNull(e.exception());
            assertEquals(RunStatus.SUCCESS, ((ReplicationReport) e.result()).status());
            assertEquals(ReplicationScheduling.jobKey("dr"), e.context().getJobDetail().getKey());
        }
        assertTrue(second.context().getScheduledFireTime().after(first.context().getScheduledFireTime()));
        assertTrue(replicator.runs() >= 2);
    }

    @Test
    void intervalTriggerFiresAtOnceAndRepeats() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        Scheduler scheduler = startScheduler(2, replicator);

        ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ofMillis(20));

        for (int i = 0; i < 3; i++) {
            assertNull(listener.next().exception());
        }
        assertTrue(replicator.runs() >= 3);
        assertEquals(1, replicator.maxActive());
    }

    @Test
    void everyFiringMeasuresRecoveryPointsUnlessTheJobOrTheTaskSaysNot() throws Exception {
        FakeReplicator byDefault = FakeReplicator.returning("dr", RunStatus.PARTIAL);
        FakeReplicator jobSaysNo = FakeReplicator.returning("quiet", RunStatus.SUCCESS);
        FakeReplicator taskSaysNo = FakeReplicator.returning("own", RunStatus.SUCCESS);
        Scheduler scheduler = startScheduler(2, byDefault, jobSaysNo);
        ReplicationScheduling.registry(scheduler)
                .register(ReplicationTask.builder(taskSaysNo).measureRecoveryPoints(false).build());
        scheduler.addJob(ReplicationScheduling.jobDetail("quiet", false), true);

        ReplicationScheduling.triggerNow(scheduler, "dr");
        assertInstanceOf(ReplicationJobException.class, listener.next().exception());
        ReplicationScheduling.triggerNow(scheduler, "quiet");
        assertNull(listener.next().exception());
        ReplicationScheduling.triggerNow(scheduler, "own");
        assertNull(listener.next().exception());

        assertEquals(1, byDefault.measurements(), "measured after the PARTIAL run, by default");
        assertEquals(0, jobSaysNo.measurements());
        assertEquals(0, taskSaysNo.measurements());
        assertEquals(1, jobSaysNo.runs());
        assertEquals(1, taskSaysNo.runs());
        assertEquals("false", scheduler.getJobDetail(ReplicationScheduling.jobKey("quiet")).getJobDataMap()
                .getString(ReplicationJob.MEASURE_RECOVERY_POINTS_KEY));
    }

    @Test
    void aMeasureSettingOtherThanTrueOrFalseFailsTheFiringNamingTheKey() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        Scheduler scheduler = startScheduler(2, replicator);
        JobDetail job = ReplicationScheduling.jobDetail("dr");
        job.getJobDataMap().put(ReplicationJob.MEASURE_RECOVERY_POINTS_KEY, "yes");
        scheduler.addJob(job, true);

        ReplicationScheduling.triggerNow(scheduler, "dr");

        JobExecutionException ex = listener.next().exception();
        assertTrue(ex.getMessage().contains("'yes' under 'cloudhsmdr.measureRecoveryPoints'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("allowed are true and false"), ex.getMessage());
        assertEquals(0, replicator.runs());
    }

    @Test
    void failedRunThrowsNamingReplicatorStatusAndFirstFailuresWithoutRefiring() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("nightly", RunStatus.FAILED,
                FakeReplicator.failure("copy of backup-aaaaaaaaaaa to us-west-2 failed: throttled"),
                FakeReplicator.failure("f2"), FakeReplicator.failure("f3"), FakeReplicator.failure("f4"));
        Scheduler scheduler = startScheduler(2, replicator);

        ReplicationScheduling.triggerNow(scheduler, "nightly");

        RecordingJobListener.Execution e = listener.next();
        ReplicationJobException ex = assertInstanceOf(ReplicationJobException.class, e.exception());
        assertTrue(ex.getMessage().startsWith("replicator 'nightly' run FAILED: replicator=nightly"), ex.getMessage());
        assertTrue(ex.getMessage().contains("first failures: UNKNOWN CopyBackupToRegion: copy of backup-aaaaaaaaaaa"
                + " to us-west-2 failed: throttled | "), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("| and 1 more"), ex.getMessage());
        assertEquals(RunStatus.FAILED, ex.status());
        assertEquals("nightly", ex.replicatorName());
        assertSame(e.result(), ex.report().orElseThrow());
        assertFalse(ex.refireImmediately());
        assertFalse(ex.unscheduleAllTriggers());
        assertFalse(ex.unscheduleFiringTrigger());
        assertEquals(1, replicator.runs(), "not re-fired");
    }

    @Test
    void partialRunIsToldApartFromAFailedOne() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.PARTIAL,
                FakeReplicator.failure("eu-west-1 unreachable"));
        Scheduler scheduler = startScheduler(2, replicator);

        ReplicationScheduling.triggerNow(scheduler, "dr");

        RecordingJobListener.Execution e = listener.next();
        ReplicationJobException ex = assertInstanceOf(ReplicationJobException.class, e.exception());
        assertEquals(RunStatus.PARTIAL, ex.status());
        assertTrue(ex.getMessage().startsWith("replicator 'dr' run PARTIAL: "), ex.getMessage());
        assertTrue(ex.getMessage().contains("eu-west-1 unreachable"), ex.getMessage());
        assertEquals(RunStatus.PARTIAL, ((ReplicationReport) e.result()).status());
    }

    @Test
    void throwingReplicatorBecomesAJobExecutionExceptionWithItsCause() throws Exception {
        IllegalStateException boom = new IllegalStateException("credentials expired");
        Scheduler scheduler = startScheduler(2, new FakeReplicator("dr", n -> {
            throw boom;
        }));

        ReplicationScheduling.triggerNow(scheduler, "dr");

        JobExecutionException ex = listener.next().exception();
        assertInstanceOf(ReplicationJobException.class, ex);
        assertSame(boom, ex.getCause());
        assertEquals("replicator 'dr' run FAILED: it threw java.lang.IllegalStateException: credentials expired",
                ex.getMessage());
        assertFalse(ex.refireImmediately());
    }

    @Test
    void missingReplicatorFailsTheFiringNamingTheRegisteredOnesAndTheNextFiringTriesAgain() throws Exception {
        FakeReplicator other = FakeReplicator.returning("other", RunStatus.SUCCESS);
        Scheduler scheduler = startScheduler(2, other);
        ReplicationScheduling.scheduleEvery(scheduler, "late", Duration.ofMillis(20));

        JobExecutionException ex = listener.next().exception();

        assertTrue(ex.getMessage().contains("replicator 'late' run FAILED: it is not registered on scheduler '"),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("registered: [other]"), ex.getMessage());
        assertFalse(ex.unscheduleAllTriggers());
        // still scheduled and not in ERROR: NORMAL, or BLOCKED while the next 20 ms firing is running
        Trigger.TriggerState state = scheduler.getTriggerState(ReplicationScheduling.triggerKey("late"));
        assertTrue(state == Trigger.TriggerState.NORMAL || state == Trigger.TriggerState.BLOCKED, state.name());

        FakeReplicator late = FakeReplicator.returning("late", RunStatus.SUCCESS);
        ReplicationScheduling.register(scheduler, late);
        RecordingJobListener.Execution e;
        do {
            e = listener.next();
        } while (e.exception() != null);
        assertEquals(RunStatus.SUCCESS, ((ReplicationReport) e.result()).status());
        assertTrue(late.runs() >= 1);
    }

    @Test
    void schedulerWithoutARegistryFailsTheFiringSayingHowToInstallOne() throws Exception {
        Scheduler scheduler = startScheduler(2);

        ReplicationScheduling.triggerNow(scheduler, "dr");

        JobExecutionException ex = listener.next().exception();
        assertTrue(ex.getMessage().contains("has no ReplicatorRegistry in its SchedulerContext under '"
                + ReplicatorRegistry.CONTEXT_KEY + "'"), ex.getMessage());
    }

    @Test
    void jobWithoutAReplicatorNameFailsClearly() throws Exception {
        Scheduler scheduler = startScheduler(2, FakeReplicator.returning("dr", RunStatus.SUCCESS));
        JobDetail bare = JobBuilder.newJob(ReplicationJob.class).withIdentity("bare").storeDurably().build();
        scheduler.addJob(bare, false);

        scheduler.triggerJob(bare.getKey());

        JobExecutionException ex = listener.next().exception();
        assertTrue(ex.getMessage().contains("has no replicator name in its JobDataMap under '"
                + ReplicationJob.REPLICATOR_NAME_KEY + "'"), ex.getMessage());
    }

    @Test
    void interruptReachesTheReplicatorAndDoesNotLeakToTheWorkerThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        FakeReplicator slow = new FakeReplicator("slow", n -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return FakeReplicator.report(n, RunStatus.SUCCESS);
        });
        AtomicBoolean startedInterrupted = new AtomicBoolean(true);
        FakeReplicator next = new FakeReplicator("next", n -> {
            startedInterrupted.set(Thread.currentThread().isInterrupted());
            return FakeReplicator.report(n, RunStatus.SUCCESS);
        });
        // one worker thread, so the next firing runs on the thread that was interrupted
        Scheduler scheduler = startScheduler(1, slow, next);
        ReplicationScheduling.triggerNow(scheduler, "slow");
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        assertTrue(scheduler.interrupt(ReplicationScheduling.jobKey("slow")));

        ReplicationJobException ex = assertInstanceOf(ReplicationJobException.class, listener.next().exception());
        assertEquals(RunStatus.FAILED, ex.status());
        assertTrue(ex.getMessage().startsWith("replicator 'slow' run FAILED (the job was interrupted): "),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("interrupted while copying"), ex.getMessage());

        ReplicationScheduling.triggerNow(scheduler, "next");
        assertNull(listener.next().exception());
        assertFalse(startedInterrupted.get(), "the interrupt flag was cleared after the interrupted run");
    }

    @Test
    void firingsOfOneReplicatorNeverOverlapTheyWaitTheirTurn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        FakeReplicator replicator = new FakeReplicator("dr", n -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return FakeReplicator.report(n, RunStatus.SUCCESS);
        });
        Scheduler scheduler = startScheduler(2, replicator);
        ReplicationScheduling.triggerNow(scheduler, "dr");
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        // plain Quartz one-off triggers queue up behind the running firing
        scheduler.triggerJob(ReplicationScheduling.jobKey("dr"));
        scheduler.triggerJob(ReplicationScheduling.jobKey("dr"));
        release.countDown();

        for (int i = 0; i < 3; i++) {
            assertNull(listener.next().exception());
        }
        assertEquals(3, replicator.runs());
        assertEquals(1, replicator.maxActive());
    }

    @Test
    void triggerNowAddsNoFiringWhileARunIsInProgress() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        FakeReplicator replicator = new FakeReplicator("dr", n -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return FakeReplicator.report(n, RunStatus.SUCCESS);
        });
        Scheduler scheduler = startScheduler(2, replicator);
        assertTrue(ReplicationScheduling.triggerNow(scheduler, "dr"));
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        assertFalse(ReplicationScheduling.triggerNow(scheduler, "dr"));
        assertFalse(ReplicationScheduling.triggerNow(scheduler, "dr"));

        release.countDown();
        assertNull(listener.next().exception());
        triggerOnceTheLastFiringEnded(scheduler, "dr");
        assertNull(listener.next().exception());
        assertEquals(2, replicator.runs());
        assertEquals(1, replicator.maxActive());
    }

    @Test
    void aSecondJobNamingABusyReplicatorIsSkippedInProcess() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        FakeReplicator replicator = new FakeReplicator("dr", n -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return FakeReplicator.report(n, RunStatus.SUCCESS);
        });
        Scheduler scheduler = startScheduler(2, replicator);
        ReplicationScheduling.triggerNow(scheduler, "dr");
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        JobKey otherKey = JobKey.jobKey("dr-manual", "ops");
        scheduler.addJob(JobBuilder.newJob(ReplicationJob.class).withIdentity(otherKey)
                .usingJobData(ReplicationJob.REPLICATOR_NAME_KEY, "dr").storeDurably().build(), false);

        scheduler.triggerJob(otherKey);

        RecordingJobListener.Execution skipped = listener.next();
        assertEquals(otherKey, skipped.context().getJobDetail().getKey());
        assertNull(skipped.exception());
        assertEquals(new RunOutcome.Skipped("dr", RunOutcome.SkipReason.IN_PROGRESS_IN_THIS_PROCESS),
                skipped.result());
        assertEquals(1, ReplicationScheduling.registry(scheduler).task("dr").orElseThrow().skippedRuns());
        release.countDown();
        assertNull(listener.next().exception());
        assertEquals(1, replicator.runs());
    }

    @Test
    void aFiringWhoseRunLockIsHeldOnAnotherNodeEndsNormallySayingSkipped() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        RunLock shared = RunLock.inProcess();
        RunLock.Lease otherNode = shared.tryAcquire("dr", Duration.ofHours(1)).orElseThrow();
        Scheduler scheduler = startScheduler(2);
        ReplicationScheduling.register(scheduler, replicator, shared);

        ReplicationScheduling.triggerNow(scheduler, "dr");
        RecordingJobListener.Execution skipped = listener.next();
        otherNode.close();
        triggerOnceTheLastFiringEnded(scheduler, "dr");
        RecordingJobListener.Execution ran = listener.next();

        assertNull(skipped.exception(), "a skipped firing is not an error");
        assertEquals(new RunOutcome.Skipped("dr", RunOutcome.SkipReason.RUN_LOCK_HELD_ELSEWHERE), skipped.result());
        assertNull(ran.exception());
        assertEquals(RunStatus.SUCCESS, ((ReplicationReport) ran.result()).status());
        assertEquals(1, replicator.runs());
        ReplicationTask task = ReplicationScheduling.registry(scheduler).task("dr").orElseThrow();
        assertEquals(1, task.skippedByRunLock());
        assertEquals(1, task.skippedRuns());
    }

    @Test
    void aRunLockThatCannotBeReadFailsTheFiringWithoutRunningTheReplicator() throws Exception {
        FakeReplicator replicator = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        CloudHsmDrException down = new CloudHsmDrException("cannot acquire run lock 'dr' in table CLOUDHSM_DR_LOCK: "
                + "connection refused");
        RunLock broken = (name, atMost, atLeast) -> {
            throw down;
        };
        Scheduler scheduler = startScheduler(2);
        ReplicationScheduling.register(scheduler, replicator, broken);

        ReplicationScheduling.triggerNow(scheduler, "dr");

        JobExecutionException ex = listener.next().exception();
        assertInstanceOf(ReplicationJobException.class, ex);
        assertSame(down, ex.getCause());
        assertTrue(ex.getMessage().startsWith("replicator 'dr' run FAILED: ")
                && ex.getMessage().contains("cannot acquire run lock 'dr' in table CLOUDHSM_DR_LOCK"), ex.getMessage());
        assertEquals(0, replicator.runs());
    }
}
