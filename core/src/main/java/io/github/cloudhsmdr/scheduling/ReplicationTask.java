package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a {@link BackupReplicator}, shaped for whatever scheduler the host already has: Spring's
 * {@code @Scheduled}, a {@link java.util.concurrent.ScheduledExecutorService}, the {@code main} of a
 * Kubernetes CronJob, or this package's {@link ReplicationScheduler}.
 *
 * <p><b>Never two runs at once.</b> A task guards its replicator in-process: when it is invoked while a
 * previous invocation is still running (a slow run, a scheduler with several threads, a manual trigger),
 * the second invocation does not wait and does not run; it logs a WARN line, counts itself in
 * {@link #skippedRuns()} and {@link #call()} returns an empty {@link Optional}. The guard is per task
 * object, so use one task per replicator. It does not reach across processes: for several hosts use the
 * clustered Quartz adapter ({@code cloudhsm-dr-quartz}), which runs each firing on one node only.
 *
 * <p><b>Two entry points, two error contracts.</b>
 * <ul>
 *   <li>{@link #call()} returns the report and lets an exception thrown by the replicator propagate
 *       unchanged (it does not log it): for callers that decide what a failure means, e.g. a CronJob
 *       main that turns the outcome into an exit code.</li>
 *   <li>{@link #run()} never lets a {@link RuntimeException} out: a throwing replicator is logged at
 *       ERROR and counted in {@link #abortedRuns()}. This matters because
 *       {@link java.util.concurrent.ScheduledExecutorService#scheduleWithFixedDelay} silently cancels a
 *       periodic task whose run throws, so one bad run would otherwise stop all later ones. {@link Error}s
 *       are not caught.</li>
 * </ul>
 * The replicator logs its own one-line INFO summary per run and a WARN line per failure; this task adds
 * nothing to that, so nothing is logged twice. A PARTIAL or FAILED report is a normal return, not an
 * exception: look at {@link ReplicationReport#status()}, {@link #lastReport()}, or register a
 * {@link io.github.cloudhsmdr.ReplicationListener} on the replicator for alerts.
 *
 * <p>Thread-safe. The task does not own the replicator: it never closes it.
 *
 * <pre>{@code
 * ReplicationTask task = ReplicationTask.of(replicator);
 * executor.scheduleWithFixedDelay(task, 0, 1, TimeUnit.HOURS);   // run() never throws
 * }</pre>
 */
public final class ReplicationTask implements Runnable, Callable<Optional<ReplicationReport>> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationTask.class);

    private final BackupReplicator replicator;
    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong completedRuns = new AtomicLong();
    private final AtomicLong skippedRuns = new AtomicLong();
    private final AtomicLong abortedRuns = new AtomicLong();
    private final AtomicReference<ReplicationReport> lastReport = new AtomicReference<>();

    private ReplicationTask(BackupReplicator replicator) {
        this.replicator = replicator;
        this.name = Objects.requireNonNull(replicator.name(), "replicator.name()");
    }

    /**
     * Wraps a replicator.
     *
     * @param replicator the replicator to run; not closed by the task
     * @return a new task with its own overlap guard and counters
     * @throws NullPointerException when {@code replicator} or its name is null
     */
    public static ReplicationTask of(BackupReplicator replicator) {
        return new ReplicationTask(Objects.requireNonNull(replicator, "replicator"));
    }

    /**
     * Runs the replicator once, unless a run of this task is already in progress.
     *
     * @return the run's report (whatever its status), or empty when the run was skipped because another
     *         one was still in progress
     * @throws RuntimeException whatever the replicator threw, unchanged and not logged
     * @throws IllegalStateException when the replicator returned no report
     */
    @Override
    public Optional<ReplicationReport> call() {
        if (!running.compareAndSet(false, true)) {
            long skipped = skippedRuns.incrementAndGet();
            LOG.warn("replicator={} run skipped: the previous run is still in progress (skippedRuns={})",
                    name, skipped);
            return Optional.empty();
        }
        try {
            ReplicationReport report = replicator.replicate();
            if (report == null) {
                throw new IllegalStateException("replicator '" + name + "' returned no report from replicate()");
            }
            lastReport.set(report);
            completedRuns.incrementAndGet();
            return Optional.of(report);
        } catch (RuntimeException | Error e) {
            abortedRuns.incrementAndGet();
            throw e;
        } finally {
            running.set(false);
        }
    }

    /**
     * Runs the replicator once, like {@link #call()}, but never throws a {@link RuntimeException}: a
     * throwing replicator is logged at ERROR and counted in {@link #abortedRuns()}, so a periodic
     * scheduler keeps the task scheduled.
     */
    @Override
    public void run() {
        try {
            call();
        } catch (RuntimeException e) {
            LOG.error("replicator={} run ended with an exception instead of a report; later runs go ahead "
                    + "(abortedRuns={})", name, abortedRuns.get(), e);
        }
    }

    /** @return the replicator's name. */
    public String name() {
        return name;
    }

    /** @return the replicator this task runs. */
    public BackupReplicator replicator() {
        return replicator;
    }

    /** @return true while a run of this task is in progress. */
    public boolean isRunning() {
        return running.get();
    }

    /** @return how many runs returned a report (of any status). */
    public long completedRuns() {
        return completedRuns.get();
    }

    /** @return how many invocations were skipped because a run was already in progress. */
    public long skippedRuns() {
        return skippedRuns.get();
    }

    /** @return how many runs ended with an exception instead of a report. */
    public long abortedRuns() {
        return abortedRuns.get();
    }

    /** @return the report of the most recent run that returned one, if any. */
    public Optional<ReplicationReport> lastReport() {
        return Optional.ofNullable(lastReport.get());
    }

    @Override
    public String toString() {
        return "ReplicationTask[replicator=" + name + ", running=" + running.get() + ", completedRuns="
                + completedRuns.get() + ", skippedRuns=" + skippedRuns.get() + ", abortedRuns="
                + abortedRuns.get() + "]";
    }
}
