package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.scheduling.RunLock;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

/**
 * Schedules {@link BackupReplicator}s on a Quartz {@link Scheduler}: a RAMJobStore scheduler in one
 * process, or a clustered JDBC job store where each firing runs on exactly one node.
 *
 * <p><b>Setup on every node</b>, before {@link Scheduler#start()}: {@link #register(Scheduler, BackupReplicator)}
 * each replicator (the live objects are never persisted). <b>Scheduling</b> may then be done from any node:
 * {@link #scheduleCron(Scheduler, String, String, ZoneId)} or {@link #scheduleEvery(Scheduler, String, Duration)}.
 *
 * <p><b>What is scheduled.</b> One job per replicator, key {@code cloudhsm-dr.<name>} ({@link #jobKey}), and
 * one trigger per replicator with the same key ({@link #triggerKey}). The job is
 * <ul>
 *   <li>durable ({@code storeDurably()}): it stays defined while no trigger points at it, so
 *       {@link #triggerNow} works and re-scheduling never loses it;</li>
 *   <li>recoverable ({@code requestRecovery(true)}): when a node dies mid-run, another node of the cluster
 *       runs the firing again ({@code JobExecutionContext.isRecovering()}); the replicator's idempotence
 *       (copies are found in their destinations by source backup id) makes the second run copy only what
 *       the first did not;</li>
 *   <li>non-concurrent ({@link ReplicationJob} is {@code @DisallowConcurrentExecution});</li>
 *   <li>described by strings only (the replicator's name), so {@code org.quartz.jobStore.useProperties=true}
 *       works.</li>
 * </ul>
 *
 * <p><b>Misfires: a missed run fires once, not once per missed slot.</b> When the scheduler was down (or
 * every thread busy) past {@code org.quartz.jobStore.misfireThreshold} (default 60 s):
 * <ul>
 *   <li>cron triggers use {@code MISFIRE_INSTRUCTION_FIRE_ONCE_NOW}
 *       ({@code withMisfireHandlingInstructionFireAndProceed}): one run now, then the normal schedule;</li>
 *   <li>interval triggers use {@code MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT}
 *       ({@code withMisfireHandlingInstructionNowWithExistingCount}): one run now, and the interval counts
 *       from then on (the cadence shifts to the catch-up run rather than waiting up to a full interval).</li>
 * </ul>
 * One catch-up run is enough because a run copies every backup still missing in its destinations, however
 * many slots were missed.
 *
 * <p><b>Idempotent scheduling.</b> Scheduling a name that is already scheduled with the same job and
 * trigger definition changes nothing (so restarting nodes that all schedule at start-up neither reset the
 * schedule nor fire early); a different definition replaces the job and its trigger in one step
 * ({@code scheduleJob(job, Set.of(trigger), true)}): there is never more than one schedule per replicator
 * (one-off firings from {@link #triggerNow} come and go besides it).
 *
 * <p><b>Never two runs at once: Quartz's limit, and the run lock.</b> With one trigger per job (what these
 * helpers define), Quartz's clustered JDBC store runs one firing of a replicator at a time across the
 * cluster. A job with <em>several</em> triggers due at about the same time is not fully protected by Quartz:
 * Quartz 2.5.2 can run two of them at once on different nodes, because a node whose acquired trigger was
 * blocked by another node's firing releases it as WAITING ({@code JobStoreSupport.releaseAcquiredTrigger},
 * see quartz-scheduler/quartz#674). Extra triggers come from {@link #triggerNow}, from triggers you add
 * yourself, and from the recovery trigger Quartz adds when a node dies. Within one JVM the
 * {@link ReplicatorRegistry}'s guard skips the overlapping run. Across nodes, register the replicators
 * with a shared run lock ({@link #register(Scheduler, BackupReplicator, RunLock)} with a
 * {@code JdbcRunLock} (cloudhsm-dr-runlock-jdbc) on the job store's database): each run takes it first
 * and a firing that finds it held on another node is skipped, so runs never overlap anywhere. Without it,
 * the replicator's copy lookup makes a duplicate copy unlikely but not impossible. Either way
 * {@link #triggerNow} adds no firing while a run is in progress or another one-off firing is pending, so a
 * burst of calls starts one run, not a queue.
 *
 * <p>Errors from Quartz are rethrown as {@link CloudHsmDrException} naming the replicator and the
 * operation, with the {@link SchedulerException} as cause. All methods are thread-safe.
 */
public final class ReplicationScheduling {
    /** The group of every job and trigger these helpers create. */
    public static final String GROUP = "cloudhsm-dr";
    /** The longest interval of {@link #intervalTrigger(String, Duration)}: 366 days. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(366);

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationScheduling.class);

    private ReplicationScheduling() {
    }

    /**
     * Returns the {@link ReplicatorRegistry} of {@code scheduler}, installing an empty one in its
     * {@link SchedulerContext} under {@link ReplicatorRegistry#CONTEXT_KEY} when there is none.
     *
     * @throws IllegalStateException when something else is stored under that key
     * @throws CloudHsmDrException   when the scheduler's context cannot be read
     */
    public static ReplicatorRegistry registry(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        SchedulerContext context;
        try {
            context = scheduler.getContext();
        } catch (SchedulerException e) {
            throw new CloudHsmDrException("cannot read the SchedulerContext to install the replicator registry", e);
        }
        synchronized (context) {
            Object value = context.get(ReplicatorRegistry.CONTEXT_KEY);
            if (value == null) {
                ReplicatorRegistry registry = new ReplicatorRegistry();
                context.put(ReplicatorRegistry.CONTEXT_KEY, registry);
                return registry;
            }
            if (value instanceof ReplicatorRegistry registry) {
                return registry;
            }
            throw new IllegalStateException("SchedulerContext key '" + ReplicatorRegistry.CONTEXT_KEY
                    + "' holds a " + value.getClass().getName() + ", not a ReplicatorRegistry");
        }
    }

    /**
     * Registers {@code replicator} in the registry of {@code scheduler} (see {@link #registry(Scheduler)}).
     * Do this on every node, before the scheduler starts.
     *
     * @return the registry
     */
    public static ReplicatorRegistry register(Scheduler scheduler, BackupReplicator replicator) {
        return registry(scheduler).register(replicator);
    }

    /**
     * Registers {@code replicator} in the registry of {@code scheduler}, every run taking {@code runLock}
     * first (see {@link ReplicatorRegistry#register(BackupReplicator, RunLock)}): in a cluster, a
     * {@code JdbcRunLock} (cloudhsm-dr-runlock-jdbc) on the job store's database, so that no two runs of
     * the replicator overlap on any nodes. Do this on every node, before the scheduler starts.
     *
     * @return the registry
     */
    public static ReplicatorRegistry register(Scheduler scheduler, BackupReplicator replicator, RunLock runLock) {
        return registry(scheduler).register(replicator, runLock);
    }

    /** @return the key of the job of replicator {@code replicatorName}. */
    public static JobKey jobKey(String replicatorName) {
        return JobKey.jobKey(requireName(replicatorName), GROUP);
    }

    /** @return the key of the trigger of replicator {@code replicatorName}. */
    public static TriggerKey triggerKey(String replicatorName) {
        return TriggerKey.triggerKey(requireName(replicatorName), GROUP);
    }

    /**
     * The durable, recoverable job definition for replicator {@code replicatorName}; its data is the name
     * alone.
     */
    public static JobDetail jobDetail(String replicatorName) {
        return jobBuilder(replicatorName).build();
    }

    /**
     * The durable, recoverable job definition for replicator {@code replicatorName}, saying whether each run is
     * followed by a measurement of the replicator's recovery points (under
     * {@link ReplicationJob#MEASURE_RECOVERY_POINTS_KEY}); {@link #jobDetail(String)} leaves it to the registered
     * task, which measures by default. Store it with {@link #schedule(Scheduler, JobDetail, Trigger)}.
     */
    public static JobDetail jobDetail(String replicatorName, boolean measureRecoveryPoints) {
        return jobBuilder(replicatorName)
                .usingJobData(ReplicationJob.MEASURE_RECOVERY_POINTS_KEY, Boolean.toString(measureRecoveryPoints))
                .build();
    }

    private static JobBuilder jobBuilder(String replicatorName) {
        return JobBuilder.newJob(ReplicationJob.class)
                .withIdentity(jobKey(replicatorName))
                .withDescription("cloudhsm-dr replication run of replicator '" + replicatorName + "'")
                .usingJobData(ReplicationJob.REPLICATOR_NAME_KEY, replicatorName)
                .storeDurably()
                .requestRecovery(true);
    }

    /**
     * A cron trigger for replicator {@code replicatorName}, in {@code zone}, with fire-once-now misfire
     * handling.
     *
     * @param cronExpression a Quartz cron expression (with seconds), e.g. {@code "0 15 * * * ?"} for every
     *                       hour at minute 15
     * @throws IllegalArgumentException when the expression is not a valid Quartz cron expression
     */
    public static CronTrigger cronTrigger(String replicatorName, String cronExpression, ZoneId zone) {
        Objects.requireNonNull(cronExpression, "cronExpression");
        Objects.requireNonNull(zone, "zone");
        try {
            CronExpression.validateExpression(cronExpression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("cronExpression '" + cronExpression + "' for replicator '"
                    + replicatorName + "' is not a valid Quartz cron expression (" + e.getMessage()
                    + "): expected seconds minutes hours day-of-month month day-of-week [year], e.g. '0 15 * * * ?'",
                    e);
        }
        return TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(replicatorName))
                .forJob(jobKey(replicatorName))
                .withDescription("cron '" + cronExpression + "' in " + zone)
                .withSchedule(CronScheduleBuilder.cronSchedule(cronExpression)
                        .inTimeZone(TimeZone.getTimeZone(zone))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
    }

    /**
     * A trigger for replicator {@code replicatorName} firing now and then every {@code interval}, forever,
     * with fire-once-now misfire handling.
     *
     * @throws IllegalArgumentException when {@code interval} is shorter than 1 ms or longer than
     *                                  {@link #MAX_INTERVAL}
     */
    public static SimpleTrigger intervalTrigger(String replicatorName, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval for replicator '" + replicatorName + "' must be at most "
                    + MAX_INTERVAL + " (366 days), was " + interval);
        }
        if (interval.isNegative() || interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval for replicator '" + replicatorName
                    + "' must be at least 1 ms, was " + interval);
        }
        return TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(replicatorName))
                .forJob(jobKey(replicatorName))
                .withDescription("every " + interval)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
    }

    /**
     * Runs replicator {@code replicatorName} on the cron schedule {@code cronExpression} in {@code zone}.
     * Idempotent: see the class comment.
     *
     * @return the next fire time, if the schedule has one
     * @throws IllegalArgumentException when the expression is not valid
     * @throws CloudHsmDrException      when Quartz refuses
     */
    public static Optional<Instant> scheduleCron(Scheduler scheduler, String replicatorName, String cronExpression,
            ZoneId zone) {
        return schedule(scheduler, jobDetail(replicatorName), cronTrigger(replicatorName, cronExpression, zone));
    }

    /**
     * Runs replicator {@code replicatorName} now and then every {@code interval}. Idempotent: when the same
     * interval is already scheduled, the existing schedule is kept (no immediate run).
     *
     * @return the next fire time
     * @throws IllegalArgumentException when the interval is shorter than 1 ms or longer than {@link #MAX_INTERVAL}
     * @throws CloudHsmDrException      when Quartz refuses
     */
    public static Optional<Instant> scheduleEvery(Scheduler scheduler, String replicatorName, Duration interval) {
        return schedule(scheduler, jobDetail(replicatorName), intervalTrigger(replicatorName, interval));
    }

    /**
     * Stores {@code job} with {@code trigger} as its only trigger, unless the same definitions are stored
     * already. Use it with a customised {@link #jobDetail} or trigger (priority, calendar, start time).
     *
     * @return the trigger's next fire time, if any
     * @throws CloudHsmDrException when Quartz refuses
     */
    public static Optional<Instant> schedule(Scheduler scheduler, JobDetail job, Trigger trigger) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(trigger, "trigger");
        if (!job.getKey().equals(trigger.getJobKey())) {
            throw new IllegalArgumentException("trigger " + trigger.getKey() + " is for job " + trigger.getJobKey()
                    + ", not for " + job.getKey());
        }
        String name = job.getKey().getName();
        try {
            Trigger existing = scheduler.getTrigger(trigger.getKey());
            if (existing != null && sameTrigger(existing, trigger)
                    && sameJob(scheduler.getJobDetail(job.getKey()), job)) {
                LOG.debug("replicator={} already scheduled with {}; unchanged", name, existing.getDescription());
                return nextFireTime(existing);
            }
            if (existing != null && !sameKind(existing, trigger)) {
                // JDBC job stores update a replaced trigger's row in place and cannot change its kind
                // (cron <-> interval): remove the old trigger first; the durable job stays
                scheduler.unscheduleJob(trigger.getKey());
            }
            scheduler.scheduleJob(job, Set.of(trigger), true);
            Trigger stored = scheduler.getTrigger(trigger.getKey());
            Optional<Instant> next = stored == null ? Optional.empty() : nextFireTime(stored);
            LOG.info("replicator={} scheduled: {} job={} nextFireTime={}", name, trigger.getDescription(),
                    job.getKey(), next.map(Object::toString).orElse("none"));
            return next;
        } catch (SchedulerException e) {
            throw new CloudHsmDrException("cannot schedule replicator '" + name + "' (" + trigger.getDescription()
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * Fires replicator {@code replicatorName} once now, on whichever node acquires it, defining its durable
     * job first if it is not scheduled yet, <b>unless</b> a run of it is in progress (in the cluster) or a
     * one-off firing of it is already pending: that run copies what this one would, and a second trigger
     * of the job is exactly what lets two runs overlap in a cluster (see "Never two runs at once, and its
     * limit" in the class comment). Repeated calls, such as a double click on an admin button, therefore
     * start one run, not a queue of runs.
     *
     * @return true when a firing was added; false when a run was in progress or a firing already pending
     * @throws CloudHsmDrException when Quartz refuses
     */
    public static boolean triggerNow(Scheduler scheduler, String replicatorName) {
        Objects.requireNonNull(scheduler, "scheduler");
        JobKey key = jobKey(replicatorName);
        try {
            if (!scheduler.checkExists(key)) {
                scheduler.addJob(jobDetail(replicatorName), true);
            } else {
                Optional<String> busy = busy(scheduler, key);
                if (busy.isPresent()) {
                    LOG.debug("replicator={} not triggered now: {}", replicatorName, busy.get());
                    return false;
                }
            }
            scheduler.triggerJob(key);
            LOG.debug("replicator={} triggered now", replicatorName);
            return true;
        } catch (SchedulerException e) {
            throw new CloudHsmDrException("cannot trigger replicator '" + replicatorName + "' now: "
                    + e.getMessage(), e);
        }
    }

    /** Why {@code key} should not get another one-off firing now, if it should not. */
    private static Optional<String> busy(Scheduler scheduler, JobKey key) throws SchedulerException {
        for (JobExecutionContext running : scheduler.getCurrentlyExecutingJobs()) {
            if (running.getJobDetail().getKey().equals(key)) {
                return Optional.of("a run is in progress on this node");
            }
        }
        TriggerKey schedule = triggerKey(key.getName());
        for (Trigger t : scheduler.getTriggersOfJob(key)) {
            Trigger.TriggerState state = scheduler.getTriggerState(t.getKey());
            // a non-concurrent job's triggers are BLOCKED while it runs anywhere in the cluster, and a
            // one-off trigger that fired stays COMPLETE until its run ends
            if (state == Trigger.TriggerState.BLOCKED || state == Trigger.TriggerState.COMPLETE) {
                return Optional.of("a run is in progress (trigger " + t.getKey() + " is " + state + ")");
            }
            if (!t.getKey().equals(schedule) && state == Trigger.TriggerState.NORMAL) {
                return Optional.of("a one-off firing is already pending (trigger " + t.getKey() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Removes the job and trigger of replicator {@code replicatorName} (a run in progress finishes).
     *
     * @return true when there was a job to remove
     * @throws CloudHsmDrException when Quartz refuses
     */
    public static boolean unschedule(Scheduler scheduler, String replicatorName) {
        Objects.requireNonNull(scheduler, "scheduler");
        try {
            boolean removed = scheduler.deleteJob(jobKey(replicatorName));
            if (removed) {
                LOG.info("replicator={} unscheduled", replicatorName);
            }
            return removed;
        } catch (SchedulerException e) {
            throw new CloudHsmDrException("cannot unschedule replicator '" + replicatorName + "': "
                    + e.getMessage(), e);
        }
    }

    private static Optional<Instant> nextFireTime(Trigger trigger) {
        Date next = trigger.getNextFireTime();
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    private static boolean sameJob(JobDetail a, JobDetail b) {
        return a != null
                && a.getJobClass().equals(b.getJobClass())
                && a.isDurable() == b.isDurable()
                && a.requestsRecovery() == b.requestsRecovery()
                && Objects.equals(a.getDescription(), b.getDescription())
                && a.getJobDataMap().getWrappedMap().equals(b.getJobDataMap().getWrappedMap());
    }

    private static boolean sameKind(Trigger a, Trigger b) {
        return (a instanceof CronTrigger && b instanceof CronTrigger)
                || (a instanceof SimpleTrigger && b instanceof SimpleTrigger)
                || a.getClass().equals(b.getClass());
    }

    private static boolean sameTrigger(Trigger a, Trigger b) {
        if (a.getMisfireInstruction() != b.getMisfireInstruction() || a.getPriority() != b.getPriority()
                || !Objects.equals(a.getCalendarName(), b.getCalendarName())
                || !Objects.equals(a.getEndTime(), b.getEndTime())
                || !a.getJobDataMap().getWrappedMap().equals(b.getJobDataMap().getWrappedMap())) {
            return false;
        }
        if (a instanceof CronTrigger ca && b instanceof CronTrigger cb) {
            return ca.getCronExpression().equals(cb.getCronExpression())
                    && ca.getTimeZone().getID().equals(cb.getTimeZone().getID());
        }
        if (a instanceof SimpleTrigger sa && b instanceof SimpleTrigger sb) {
            return sa.getRepeatInterval() == sb.getRepeatInterval() && sa.getRepeatCount() == sb.getRepeatCount();
        }
        return false;
    }

    private static String requireName(String replicatorName) {
        Objects.requireNonNull(replicatorName, "replicatorName");
        if (replicatorName.isBlank()) {
            throw new IllegalArgumentException("replicatorName must not be blank: give the replicator's name()");
        }
        return replicatorName;
    }
}
