package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The definitions {@link ReplicationScheduling} stores, on a scheduler that is never started. */
class ReplicationSchedulingTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private Scheduler scheduler;

    @BeforeEach
    void createScheduler() throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "definitions-" + UUID.randomUUID());
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        scheduler = new StdSchedulerFactory(p).getScheduler();
    }

    @AfterEach
    void shutDown() throws SchedulerException {
        scheduler.shutdown(false);
    }

    @Test
    void jobIsDurableRecoverableNonConcurrentAndHoldsOnlyStrings() {
        JobDetail job = ReplicationScheduling.jobDetail("dr");

        assertEquals(ReplicationJob.class, job.getJobClass());
        assertTrue(job.isDurable());
        assertTrue(job.requestsRecovery());
        assertTrue(job.isConcurrentExecutionDisallowed());
        assertFalse(job.isPersistJobDataAfterExecution());
        assertEquals(1, job.getJobDataMap().size());
        assertEquals("dr", job.getJobDataMap().get(ReplicationJob.REPLICATOR_NAME_KEY));
        job.getJobDataMap().values().forEach(v -> assertInstanceOf(String.class, v));
        assertEquals("cloudhsm-dr.dr", job.getKey().toString());
    }

    @Test
    void missedRunsFireOnceNotOncePerMissedSlot() {
        CronTrigger cron = ReplicationScheduling.cronTrigger("dr", "0 0 * * * ?", PARIS);
        SimpleTrigger interval = ReplicationScheduling.intervalTrigger("dr", Duration.ofHours(1));

        assertEquals(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW, cron.getMisfireInstruction());
        assertEquals(SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT,
                interval.getMisfireInstruction());
        assertEquals(SimpleTrigger.REPEAT_INDEFINITELY, interval.getRepeatCount());
        assertEquals(Duration.ofHours(1).toMillis(), interval.getRepeatInterval());
        assertEquals(PARIS.getId(), cron.getTimeZone().getID());
        assertTrue(cron.getJobDataMap().isEmpty() && interval.getJobDataMap().isEmpty());
    }

    @Test
    void anIntervalBeyondItsBoundIsRefusedNamingTheValueAndTheBound() {
        Duration huge = Duration.ofMillis(Long.MAX_VALUE - 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplicationScheduling.intervalTrigger("dr", huge));
        assertTrue(e.getMessage().contains("interval") && e.getMessage().contains(huge.toString())
                && e.getMessage().contains("366"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ReplicationScheduling.intervalTrigger("dr", Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Duration.ofDays(366).toMillis(),
                ReplicationScheduling.intervalTrigger("dr", Duration.ofDays(366)).getRepeatInterval());
    }

    @Test
    void cronScheduleFollowsItsTimeZone() throws SchedulerException {
        Instant next = ReplicationScheduling.scheduleCron(scheduler, "dr", "0 30 2 * * ?", PARIS).orElseThrow();

        assertEquals(2, next.atZone(PARIS).getHour());
        assertEquals(30, next.atZone(PARIS).getMinute());
        assertTrue(scheduler.checkExists(ReplicationScheduling.jobKey("dr")));
    }

    @Test
    void schedulingTheSameNameAgainKeepsOneTriggerAndLeavesAnIdenticalScheduleUntouched() throws Exception {
        ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ofHours(1));
        Trigger first = scheduler.getTrigger(ReplicationScheduling.triggerKey("dr"));

        ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ofHours(1));

        Trigger again = scheduler.getTrigger(ReplicationScheduling.triggerKey("dr"));
        assertEquals(first.getStartTime(), again.getStartTime(), "an identical schedule is not reset");
        assertEquals(1, scheduler.getTriggersOfJob(ReplicationScheduling.jobKey("dr")).size());

        ReplicationScheduling.scheduleCron(scheduler, "dr", "0 15 * * * ?", PARIS);
        ReplicationScheduling.scheduleCron(scheduler, "dr", "0 45 * * * ?", PARIS);

        assertEquals(1, scheduler.getTriggersOfJob(ReplicationScheduling.jobKey("dr")).size());
        CronTrigger cron = (CronTrigger) scheduler.getTrigger(ReplicationScheduling.triggerKey("dr"));
        assertEquals("0 45 * * * ?", cron.getCronExpression());

        ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ofMinutes(30));

        SimpleTrigger simple = (SimpleTrigger) scheduler.getTrigger(ReplicationScheduling.triggerKey("dr"));
        assertEquals(Duration.ofMinutes(30).toMillis(), simple.getRepeatInterval());
        assertEquals(1, scheduler.getTriggersOfJob(ReplicationScheduling.jobKey("dr")).size());
        assertEquals(1, scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()).size());
    }

    @Test
    void triggerNowDefinesTheJobAndAddsOnlyOnePendingFiring() throws SchedulerException {
        assertTrue(ReplicationScheduling.triggerNow(scheduler, "dr"));
        assertFalse(ReplicationScheduling.triggerNow(scheduler, "dr"), "a one-off firing is already pending");

        JobDetail job = scheduler.getJobDetail(ReplicationScheduling.jobKey("dr"));
        assertTrue(job.isDurable());
        assertEquals(1, scheduler.getTriggersOfJob(job.getKey()).size());
    }

    @Test
    void triggerNowNextToAScheduleAddsOneFiring() throws SchedulerException {
        ReplicationScheduling.scheduleCron(scheduler, "dr", "0 0 3 * * ?", PARIS);

        assertTrue(ReplicationScheduling.triggerNow(scheduler, "dr"));
        assertFalse(ReplicationScheduling.triggerNow(scheduler, "dr"));

        assertEquals(2, scheduler.getTriggersOfJob(ReplicationScheduling.jobKey("dr")).size());
    }

    @Test
    void unscheduleRemovesJobAndTrigger() throws SchedulerException {
        ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ofHours(1));

        assertTrue(ReplicationScheduling.unschedule(scheduler, "dr"));

        assertFalse(scheduler.checkExists(ReplicationScheduling.jobKey("dr")));
        assertFalse(scheduler.checkExists(ReplicationScheduling.triggerKey("dr")));
        assertFalse(ReplicationScheduling.unschedule(scheduler, "dr"));
    }

    @Test
    void registryIsInstalledOnceInTheSchedulerContext() throws SchedulerException {
        ReplicatorRegistry registry = ReplicationScheduling.registry(scheduler);
        FakeReplicator dr = FakeReplicator.returning("dr", RunStatus.SUCCESS);

        ReplicationScheduling.register(scheduler, dr);
        ReplicationScheduling.register(scheduler, dr);

        assertSame(registry, ReplicationScheduling.registry(scheduler));
        assertSame(registry, scheduler.getContext().get(ReplicatorRegistry.CONTEXT_KEY));
        assertSame(dr, registry.find("dr").orElseThrow());
        assertEquals(1, registry.names().size());
    }

    @Test
    void registeringAnotherReplicatorUnderTheSameNameReplacesIt() {
        ReplicatorRegistry registry = new ReplicatorRegistry();
        FakeReplicator first = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        FakeReplicator second = FakeReplicator.returning("dr", RunStatus.SUCCESS);

        registry.register(first).register(second);

        assertSame(second, registry.find("dr").orElseThrow());
        assertSame(second, registry.unregister("dr").orElseThrow());
        assertTrue(registry.find("dr").isEmpty());
    }

    @Test
    void registeringWithARunLockGivesTheReplicatorsTaskThatLock() throws SchedulerException {
        FakeReplicator dr = FakeReplicator.returning("dr", RunStatus.SUCCESS);
        RunLock shared = RunLock.inProcess();

        ReplicatorRegistry registry = ReplicationScheduling.register(scheduler, dr, shared);
        ReplicationTask task = registry.task("dr").orElseThrow();
        ReplicationScheduling.register(scheduler, dr, shared);

        assertSame(shared, task.runLock());
        assertEquals("dr", task.lockName());
        assertEquals(ReplicationTask.DEFAULT_LOCK_AT_MOST_FOR, task.lockAtMostFor());
        assertSame(task, registry.task("dr").orElseThrow(), "the same registration again keeps the task");
        registry.register(dr, RunLock.inProcess());
        assertNotSame(task, registry.task("dr").orElseThrow(), "another lock replaces it");
        ReplicationTask custom = ReplicationTask.builder(dr).runLock(shared).lockAtMostFor(Duration.ofHours(6))
                .build();
        registry.register(custom);
        assertSame(custom, registry.task("dr").orElseThrow());
        registry.register(dr);
        assertSame(RunLock.NONE, registry.task("dr").orElseThrow().runLock(), "registering without a lock drops it");
    }

    @Test
    void invalidSettingsAreRejectedNamingFieldAndValue() throws SchedulerException {
        scheduler.getContext().put(ReplicatorRegistry.CONTEXT_KEY, "not a registry");

        IllegalArgumentException cron = assertThrows(IllegalArgumentException.class,
                () -> ReplicationScheduling.scheduleCron(scheduler, "dr", "every hour", PARIS));
        assertTrue(cron.getMessage().startsWith("cronExpression 'every hour' for replicator 'dr' is not a valid"
                + " Quartz cron expression"), cron.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> ReplicationScheduling.scheduleEvery(scheduler, "dr", Duration.ZERO));
        assertEquals("interval for replicator 'dr' must be at least 1 ms, was PT0S", interval.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> ReplicationScheduling.jobDetail(" "));
        assertTrue(blank.getMessage().startsWith("replicatorName must not be blank"));
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> ReplicationScheduling.registry(scheduler));
        assertTrue(wrongType.getMessage().contains("java.lang.String"), wrongType.getMessage());
    }
}
