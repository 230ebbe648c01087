package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunOutcome;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * The Quartz job that runs one named {@link io.github.cloudhsmdr.BackupReplicator}. Build its
 * {@link org.quartz.JobDetail} and triggers with {@link ReplicationScheduling}.
 *
 * <p><b>Where things live.</b> The job is stateless (Quartz creates an instance per firing through the
 * no-arg constructor). Its {@link org.quartz.JobDataMap} holds one string, the replicator's name under
 * {@link #REPLICATOR_NAME_KEY}, so it works with a JDBC job store and
 * {@code org.quartz.jobStore.useProperties=true}. The replicator itself is looked up in the
 * {@link ReplicatorRegistry} found in the scheduler's context under {@link ReplicatorRegistry#CONTEXT_KEY}.
 *
 * <p><b>Once at a time.</b> {@link DisallowConcurrentExecution} makes Quartz run one firing of a job at a
 * time, cluster-wide with a clustered JDBC job store (for a job with several triggers see the limit
 * described in {@link ReplicationScheduling}); the registry's {@link ReplicationTask} also keeps two
 * firings naming the same replicator from overlapping in one JVM, and, when the replicator was registered
 * with a {@link io.github.cloudhsmdr.scheduling.RunLock}, on any two nodes sharing the lock.
 *
 * <p><b>Skipped firings are not errors.</b> A firing that finds a run of its replicator in progress (in this
 * JVM, or holding the run lock elsewhere) does not run it and does not wait: the job returns normally and
 * the firing's result ({@link JobExecutionContext#getResult()}) is a {@link RunOutcome.Skipped} naming the
 * replicator and the {@link RunOutcome.SkipReason reason} ({@code IN_PROGRESS_IN_THIS_PROCESS} or
 * {@code RUN_LOCK_HELD_ELSEWHERE}); the task logs it and counts it ({@link ReplicationTask#skippedRuns()},
 * {@link ReplicationTask#skippedByRunLock()}). The run in progress copies what the skipped one would have.
 *
 * <p><b>Outcomes.</b> Every run that returns a report sets it as the firing's result
 * ({@link JobExecutionContext#getResult()}), a {@link ReplicationReport}.
 * <ul>
 *   <li>SUCCESS: the job returns normally.</li>
 *   <li>PARTIAL and FAILED: the job throws a {@link ReplicationJobException} whose message says "PARTIAL" or
 *       "FAILED" and names the replicator and its first failures, so job listeners and monitoring see it;
 *       {@link ReplicationJobException#status()} tells the two apart. Quartz logs it (JobRunShell, INFO),
 *       the job itself does not, and the replicator has logged each failure already.</li>
 *   <li>A replicator that throws, a run lock that cannot be read (its database is down: the replicator does
 *       not run), or a name missing from this node's registry (a misconfigured node), also ends in a
 *       {@link ReplicationJobException}, with the cause, or with the registered names.</li>
 * </ul>
 * The exception never asks for an immediate re-fire (the replicator already retried what it could) and
 * never unschedules the trigger: the next firing tries again, so a node that registers the replicator
 * late recovers by itself.
 *
 * <p><b>Recovery points after every run.</b> A firing that ran the replicator then measures its recovery points
 * ({@link io.github.cloudhsmdr.BackupReplicator#measureRecoveryPoints()}), so the replicator's listeners (metrics,
 * alerts) stay fresh; turn it off per job with {@link #MEASURE_RECOVERY_POINTS_KEY} or per replicator with a task
 * built with {@code measureRecoveryPoints(false)}. A measurement that fails is logged and leaves the firing's
 * outcome alone.
 *
 * <p><b>Interruption.</b> {@link #interrupt()} (e.g. {@link Scheduler#interrupt(org.quartz.JobKey)})
 * interrupts the thread running the replicator, which stops waiting and reports what it did.
 *
 * <p><b>Recovery.</b> With {@code requestsRecovery} (set by {@link ReplicationScheduling#jobDetail(String)}),
 * a run left unfinished by a node that died is run again by another node
 * ({@link JobExecutionContext#isRecovering()}); the replicator finds the copies the dead run already
 * started in their destinations and does not copy them again.
 */
@DisallowConcurrentExecution
public final class ReplicationJob implements InterruptableJob {
    /** The {@link org.quartz.JobDataMap} key of the replicator's name. */
    public static final String REPLICATOR_NAME_KEY = "cloudhsmdr.replicatorName";

    /**
     * The optional {@link org.quartz.JobDataMap} key that says whether a run is followed by
     * {@link io.github.cloudhsmdr.BackupReplicator#measureRecoveryPoints()}: {@code "true"} or {@code "false"}
     * (a string, for {@code useProperties=true}). Without it the registered {@link ReplicationTask}'s setting
     * applies, which is on unless the task was built with {@code measureRecoveryPoints(false)}. Set it with
     * {@link ReplicationScheduling#jobDetail(String, boolean)}.
     */
    public static final String MEASURE_RECOVERY_POINTS_KEY = "cloudhsmdr.measureRecoveryPoints";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationJob.class);
    private static final int FAILURES_IN_MESSAGE = 3;

    private final Object lock = new Object();
    private Thread runner;
    private boolean interruptRequested;

    /** Creates the job; Quartz calls this for every firing. */
    public ReplicationJob() {
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String name = context.getMergedJobDataMap().getString(REPLICATOR_NAME_KEY);
        if (name == null || name.isBlank()) {
            throw new ReplicationJobException(String.valueOf(name), null, "job " + context.getJobDetail().getKey()
                    + " has no replicator name in its JobDataMap under '" + REPLICATOR_NAME_KEY
                    + "': build it with ReplicationScheduling.jobDetail(name)", null);
        }
        ReplicationTask task = lookUp(context, name);
        boolean measure = measureRecoveryPoints(context, name, task);
        if (context.isRecovering()) {
            LOG.info("replicator={} recovering a run left unfinished by a failed scheduler instance: "
                            + "originalScheduledFireTime={} fireInstanceId={}", name,
                    originalFireTime(context), context.getFireInstanceId());
        } else {
            LOG.debug("replicator={} firing: scheduledFireTime={} fireInstanceId={}", name,
                    context.getScheduledFireTime(), context.getFireInstanceId());
        }

        synchronized (lock) {
            if (interruptRequested) {
                throw new ReplicationJobException(name, null, "replicator '" + name
                        + "' run FAILED: the job was interrupted before it started", null);
            }
            runner = Thread.currentThread();
        }
        RunOutcome outcome;
        boolean interrupted;
        try {
            outcome = task.attemptMeasuring(measure);
        } catch (RuntimeException e) {
            throw new ReplicationJobException(name, null, "replicator '" + name + "' run FAILED: it threw "
                    + e.getClass().getName() + ": " + e.getMessage() + interruptedNote(), e);
        } finally {
            synchronized (lock) {
                runner = null;
                interrupted = interruptRequested;
                if (interrupted) {
                    // the flag was set for this run only; do not leave it on the pool's worker thread
                    Thread.interrupted();
                }
            }
        }
        if (outcome instanceof RunOutcome.Skipped skipped) {
            // another run of this replicator is in progress here or elsewhere (logged and counted by the task)
            context.setResult(skipped);
            return;
        }
        ReplicationReport report = ((RunOutcome.Completed) outcome).report();
        context.setResult(report);
        if (report.status() == RunStatus.SUCCESS) {
            LOG.debug("replicator={} firing done: {}", name, report.summary());
            return;
        }
        throw new ReplicationJobException(name, report, describe(name, report, interrupted), null);
    }

    private static boolean measureRecoveryPoints(JobExecutionContext context, String name, ReplicationTask task)
            throws JobExecutionException {
        Object value = context.getMergedJobDataMap().get(MEASURE_RECOVERY_POINTS_KEY);
        if (value == null) {
            return task.measuresRecoveryPoints();
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ReplicationJobException(name, null, "job " + context.getJobDetail().getKey() + " has '" + value
                + "' under '" + MEASURE_RECOVERY_POINTS_KEY + "' in its JobDataMap: allowed are true and false", null);
    }

    private ReplicationTask lookUp(JobExecutionContext context, String name) throws JobExecutionException {
        Scheduler scheduler = context.getScheduler();
        String where = schedulerName(scheduler);
        Object value;
        try {
            value = scheduler.getContext().get(ReplicatorRegistry.CONTEXT_KEY);
        } catch (SchedulerException e) {
            throw new ReplicationJobException(name, null, "replicator '" + name
                    + "' run FAILED: cannot read the SchedulerContext of " + where, e);
        }
        if (!(value instanceof ReplicatorRegistry registry)) {
            throw new ReplicationJobException(name, null, "replicator '" + name + "' run FAILED: " + where
                    + " has no ReplicatorRegistry in its SchedulerContext under '" + ReplicatorRegistry.CONTEXT_KEY
                    + "'" + (value == null ? "" : " (found a " + value.getClass().getName() + ")")
                    + ": call ReplicationScheduling.registry(scheduler).register(replicator) on every node", null);
        }
        return registry.task(name).orElseThrow(() -> new ReplicationJobException(name, null, "replicator '"
                + name + "' run FAILED: it is not registered on " + where + "; registered: " + registry.names()
                + ". Register it on every node of the scheduler; the trigger stays scheduled and the next firing "
                + "tries again", null));
    }

    private static String schedulerName(Scheduler scheduler) {
        try {
            return "scheduler '" + scheduler.getSchedulerName() + "' (instance '" + scheduler.getSchedulerInstanceId()
                    + "')";
        } catch (SchedulerException e) {
            return "the scheduler";
        }
    }

    private static Object originalFireTime(JobExecutionContext context) {
        String millis = context.getMergedJobDataMap()
                .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
        try {
            return millis == null ? context.getScheduledFireTime() : Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return millis;
        }
    }

    private String interruptedNote() {
        synchronized (lock) {
            return interruptRequested ? " (the job was interrupted)" : "";
        }
    }

    static String describe(String name, ReplicationReport report, boolean interrupted) {
        StringBuilder sb = new StringBuilder("replicator '").append(name).append("' run ").append(report.status());
        if (interrupted) {
            sb.append(" (the job was interrupted)");
        }
        sb.append(": ").append(report.summary());
        List<Failure> failures = report.allFailures();
        if (!failures.isEmpty()) {
            sb.append("; first failures: ");
            for (int i = 0; i < Math.min(FAILURES_IN_MESSAGE, failures.size()); i++) {
                Failure f = failures.get(i);
                if (i > 0) {
                    sb.append(" | ");
                }
                sb.append(f.kind()).append(' ').append(f.operation()).append(": ").append(f.message());
            }
            if (failures.size() > FAILURES_IN_MESSAGE) {
                sb.append(" | and ").append(failures.size() - FAILURES_IN_MESSAGE).append(" more");
            }
        }
        return sb.toString();
    }

    /**
     * Interrupts the thread running the replicator; when the run has not started yet, it will not start.
     */
    @Override
    public void interrupt() {
        synchronized (lock) {
            interruptRequested = true;
            if (runner != null) {
                LOG.debug("interrupting replication run on thread {}", runner.getName());
                runner.interrupt();
            }
        }
    }
}
