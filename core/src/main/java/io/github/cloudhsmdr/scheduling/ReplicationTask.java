package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.internal.Bounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a {@link BackupReplicator}, shaped for whatever scheduler the host already has: Spring's
 * {@code @Scheduled}, a {@link java.util.concurrent.ScheduledExecutorService}, the {@code main} of a
 * Kubernetes CronJob, or a JDK {@code ScheduledExecutorService}.
 *
 * <p><b>Never two runs at once.</b> A task guards its replicator in-process: when it is invoked while a
 * previous invocation is still running (a slow run, a scheduler with several threads, a manual trigger),
 * the second invocation does not wait and does not run; it logs a WARN line, counts itself in
 * {@link #skippedRuns()} and {@link #call()} returns an empty {@link Optional}
 * ({@link #attempt()}: {@link RunOutcome.SkipReason#IN_PROGRESS_IN_THIS_PROCESS}). The guard is per task
 * object, so use one task per replicator.
 *
 * <p><b>Across processes: a {@link RunLock}.</b> The in-process guard does not reach other processes. Give
 * the task a shared lock ({@link Builder#runLock(RunLock)}, e.g. a {@code JdbcRunLock} on a database every
 * node reaches) and each run first takes lock {@code lockName} (default: the replicator's name) for at most
 * {@code lockAtMostFor}, releasing it when the run ends. When another run holds it, this invocation is
 * skipped the same way, logged at INFO (several nodes firing the same schedule is the normal case with a
 * lock) and counted in {@link #skippedRuns()} and {@link #skippedByRunLock()}
 * ({@link RunOutcome.SkipReason#RUN_LOCK_HELD_ELSEWHERE}). {@code lockAtMostFor} (default
 * {@link #DEFAULT_LOCK_AT_MOST_FOR}) must exceed the longest run: a lock outlived by its run expires and
 * another node may start; a run that took longer is logged at WARN. A lock that cannot be read (a database
 * error) fails the invocation like a throwing replicator; a lock that cannot be released is logged at WARN
 * and stays held until it expires, and the run's report stands.
 *
 * <p><b>Recovery points after every run.</b> Unless built with {@link Builder#measureRecoveryPoints(boolean)
 * measureRecoveryPoints(false)}, each invocation that ran the replicator (whatever its status, and also when it
 * threw) then calls {@link BackupReplicator#measureRecoveryPoints()}, so the replicator's listeners (metrics,
 * alerts) and {@link #lastRecoveryPoints()} always hold the recovery points as they were right after the latest
 * run. The measurement only reads; it happens while the run still holds the in-process guard and the run lock. A
 * measurement that throws is logged at WARN and changes nothing else: the run's report or exception stands. A
 * skipped invocation measures nothing.
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
 *
 * // several hosts, one run at a time among them
 * ReplicationTask shared = ReplicationTask.builder(replicator)
 *         .runLock(JdbcRunLock.builder(dataSource).usingDbTime().build())
 *         .lockAtMostFor(Duration.ofHours(2))
 *         .build();
 * }</pre>
 */
public final class ReplicationTask implements Runnable, Callable<Optional<ReplicationReport>> {
    /** The default {@code lockAtMostFor}: two hours. */
    public static final Duration DEFAULT_LOCK_AT_MOST_FOR = Duration.ofHours(2);
    /** The longest {@code lockAtMostFor} (and so {@code lockAtLeastFor}): 7 days. */
    public static final Duration MAX_LOCK_AT_MOST_FOR = Duration.ofDays(7);
    /** The longest {@code lockName}, in characters: what every shipped run lock can store. */
    public static final int MAX_LOCK_NAME_LENGTH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationTask.class);

    private final BackupReplicator replicator;
    private final String name;
    private final RunLock runLock;
    private final String lockName;
    private final Duration lockAtMostFor;
    private final Duration lockAtLeastFor;
    private final boolean measureRecoveryPoints;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong completedRuns = new AtomicLong();
    private final AtomicLong skippedRuns = new AtomicLong();
    private final AtomicLong skippedByRunLock = new AtomicLong();
    private final AtomicLong abortedRuns = new AtomicLong();
    private final AtomicReference<ReplicationReport> lastReport = new AtomicReference<>();
    private final AtomicReference<RecoveryPointReport> lastRecoveryPoints = new AtomicReference<>();

    private ReplicationTask(Builder b, String name) {
        this.replicator = b.replicator;
        this.name = name;
        this.runLock = b.runLock;
        this.lockName = b.lockName != null ? b.lockName : name;
        this.lockAtMostFor = b.lockAtMostFor;
        this.lockAtLeastFor = b.lockAtLeastFor;
        this.measureRecoveryPoints = b.measureRecoveryPoints;
    }

    /**
     * Wraps a replicator, with no {@link RunLock} (the in-process guard only).
     *
     * @param replicator the replicator to run; not closed by the task
     * @return a new task with its own overlap guard and counters
     * @throws NullPointerException when {@code replicator} or its name is null
     */
    public static ReplicationTask of(BackupReplicator replicator) {
        return builder(replicator).build();
    }

    /**
     * Starts a builder for a task running {@code replicator}, e.g. with a {@link RunLock}.
     *
     * @param replicator the replicator to run; not closed by the task
     * @throws NullPointerException when {@code replicator} is null
     */
    public static Builder builder(BackupReplicator replicator) {
        return new Builder(Objects.requireNonNull(replicator, "replicator"));
    }

    /**
     * Runs the replicator once, unless a run of this task is already in progress or the run lock is held
     * elsewhere.
     *
     * @return the run's report (whatever its status), or empty when the run was skipped
     * @throws RuntimeException whatever the replicator threw, unchanged and not logged
     * @throws IllegalStateException when the replicator returned no report
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the run lock could not be read (the replicator did
     *                                                  not run)
     */
    @Override
    public Optional<ReplicationReport> call() {
        RunOutcome outcome = attempt();
        return outcome instanceof RunOutcome.Completed done ? Optional.of(done.report()) : Optional.empty();
    }

    /**
     * Runs the replicator once, like {@link #call()}, and says why when it skipped the run.
     *
     * @return {@link RunOutcome.Completed} with the report, or {@link RunOutcome.Skipped} with the reason
     * @throws RuntimeException whatever the replicator threw, unchanged and not logged
     * @throws IllegalStateException when the replicator returned no report
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the run lock could not be read (the replicator did
     *                                                  not run)
     */
    public RunOutcome attempt() {
        return attemptMeasuring(measureRecoveryPoints);
    }

    /**
     * Runs the replicator once, like {@link #attempt()}, measuring recovery points afterwards when
     * {@code measureRecoveryPoints} is true, whatever this task was built with: for adapters whose own
     * configuration decides (the Quartz job's data, for one).
     *
     * @param measureRecoveryPoints whether to call {@link BackupReplicator#measureRecoveryPoints()} after the run
     * @return {@link RunOutcome.Completed} with the report, or {@link RunOutcome.Skipped} with the reason
     * @throws RuntimeException whatever the replicator threw, unchanged and not logged
     * @throws IllegalStateException when the replicator returned no report
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the run lock could not be read (the replicator did
     *                                                  not run)
     */
    public RunOutcome attemptMeasuring(boolean measureRecoveryPoints) {
        if (!running.compareAndSet(false, true)) {
            long skipped = skippedRuns.incrementAndGet();
            LOG.warn("replicator={} run skipped: the previous run is still in progress in this process "
                    + "(skippedRuns={})", name, skipped);
            return new RunOutcome.Skipped(name, RunOutcome.SkipReason.IN_PROGRESS_IN_THIS_PROCESS);
        }
        RunLock.Lease lease = null;
        try {
            if (runLock != RunLock.NONE) {
                Optional<RunLock.Lease> acquired;
                try {
                    acquired = runLock.tryAcquire(lockName, lockAtMostFor, lockAtLeastFor);
                } catch (RuntimeException e) {
                    abortedRuns.incrementAndGet();
                    throw e;
                }
                if (acquired.isEmpty()) {
                    long skipped = skippedRuns.incrementAndGet();
                    long byLock = skippedByRunLock.incrementAndGet();
                    LOG.info("replicator={} run skipped: run lock '{}' is held by another run, normally on another "
                            + "node ({}) (skippedRuns={} skippedByRunLock={})", name, lockName, runLock, skipped,
                            byLock);
                    return new RunOutcome.Skipped(name, RunOutcome.SkipReason.RUN_LOCK_HELD_ELSEWHERE);
                }
                lease = acquired.get();
            }
            ReplicationReport report;
            try {
                report = runReplicator();
            } catch (RuntimeException e) {
                measureIf(measureRecoveryPoints);
                throw e;
            }
            measureIf(measureRecoveryPoints);
            if (lease != null && report.duration().compareTo(lockAtMostFor) > 0) {
                LOG.warn("replicator={} run took {}, longer than lockAtMostFor {}: run lock '{}' expired during the "
                        + "run and another run may have started meanwhile; raise lockAtMostFor above the longest "
                        + "run", name, report.duration(), lockAtMostFor, lockName);
            }
            return new RunOutcome.Completed(report);
        } finally {
            // the lock first: a thread let in by the in-process guard must not find our lease still held
            if (lease != null) {
                release(lease);
            }
            running.set(false);
        }
    }

    private ReplicationReport runReplicator() {
        try {
            ReplicationReport report = replicator.replicate();
            if (report == null) {
                throw new IllegalStateException("replicator '" + name + "' returned no report from replicate()");
            }
            lastReport.set(report);
            completedRuns.incrementAndGet();
            return report;
        } catch (RuntimeException | Error e) {
            abortedRuns.incrementAndGet();
            throw e;
        }
    }

    private void measureIf(boolean measure) {
        if (!measure) {
            return;
        }
        try {
            RecoveryPointReport points = replicator.measureRecoveryPoints();
            if (points != null) {
                lastRecoveryPoints.set(points);
            }
        } catch (RuntimeException e) {
            LOG.warn("replicator={} recovery points could not be measured after the run; the run's outcome stands",
                    name, e);
        }
    }

    private void release(RunLock.Lease lease) {
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.warn("replicator={} run lock '{}' could not be released; it stays held until it expires "
                    + "(lockAtMostFor {} after the run started)", name, lockName, lockAtMostFor, e);
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

    /**
     * @return how many invocations were skipped because a run was already in progress, in this process or
     *         (holding the run lock) elsewhere
     */
    public long skippedRuns() {
        return skippedRuns.get();
    }

    /** @return how many invocations were skipped because the run lock was held elsewhere (part of {@link #skippedRuns()}). */
    public long skippedByRunLock() {
        return skippedByRunLock.get();
    }

    /** @return the run lock taken for each run; {@link RunLock#NONE} when there is none. */
    public RunLock runLock() {
        return runLock;
    }

    /** @return the name of the run lock taken for each run (default: the replicator's name). */
    public String lockName() {
        return lockName;
    }

    /** @return how long a run lock stays held if it is never released. */
    public Duration lockAtMostFor() {
        return lockAtMostFor;
    }

    /** @return how long a run lock stays held at least, even when the run ended earlier. */
    public Duration lockAtLeastFor() {
        return lockAtLeastFor;
    }

    /** @return how many runs ended with an exception instead of a report (a run lock that could not be read included). */
    public long abortedRuns() {
        return abortedRuns.get();
    }

    /** @return whether each run is followed by {@link BackupReplicator#measureRecoveryPoints()} (default true). */
    public boolean measuresRecoveryPoints() {
        return measureRecoveryPoints;
    }

    /**
     * @return the recovery points measured after the most recent run that measured them, if any (see
     *         {@link Builder#measureRecoveryPoints(boolean)})
     */
    public Optional<RecoveryPointReport> lastRecoveryPoints() {
        return Optional.ofNullable(lastRecoveryPoints.get());
    }

    /** @return the report of the most recent run that returned one, if any. */
    public Optional<ReplicationReport> lastReport() {
        return Optional.ofNullable(lastReport.get());
    }

    @Override
    public String toString() {
        return "ReplicationTask[replicator=" + name + ", running=" + running.get() + ", runLock=" + runLock
                + ", completedRuns=" + completedRuns.get() + ", skippedRuns=" + skippedRuns.get()
                + ", skippedByRunLock=" + skippedByRunLock.get() + ", abortedRuns=" + abortedRuns.get()
                + ", measureRecoveryPoints=" + measureRecoveryPoints + "]";
    }

    /**
     * Builds a {@link ReplicationTask}. Every setting is checked in {@link #build()}. Not thread-safe.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code runLock}</td><td>{@link RunLock#NONE}: the in-process guard only</td></tr>
     *   <tr><td>{@code lockName}</td><td>the replicator's name</td></tr>
     *   <tr><td>{@code lockAtMostFor}</td><td>{@link ReplicationTask#DEFAULT_LOCK_AT_MOST_FOR} (2 hours);
     *       must exceed the longest run</td></tr>
     *   <tr><td>{@code lockAtLeastFor}</td><td>zero</td></tr>
     *   <tr><td>{@code measureRecoveryPoints}</td><td>true: measure recovery points after every run</td></tr>
     * </table>
     */
    public static final class Builder {
        private final BackupReplicator replicator;
        private RunLock runLock = RunLock.NONE;
        private String lockName;
        private Duration lockAtMostFor = DEFAULT_LOCK_AT_MOST_FOR;
        private Duration lockAtLeastFor = Duration.ZERO;
        private boolean measureRecoveryPoints = true;

        private Builder(BackupReplicator replicator) {
            this.replicator = replicator;
        }

        /**
         * The lock each run takes first, shared with the other processes that may run this replicator (e.g.
         * a {@code JdbcRunLock}); a run that does not get it is skipped. Default {@link RunLock#NONE}.
         */
        public Builder runLock(RunLock runLock) {
            this.runLock = Objects.requireNonNull(runLock, "runLock");
            return this;
        }

        /**
         * The name of the run lock; default the replicator's name. The same on every node. 1 to
         * {@value #MAX_LOCK_NAME_LENGTH} characters.
         */
        public Builder lockName(String lockName) {
            this.lockName = Objects.requireNonNull(lockName, "lockName");
            return this;
        }

        /**
         * How long the run lock stays held if it is never released (a node died mid-run); positive and longer
         * than the longest run, at most {@link ReplicationTask#MAX_LOCK_AT_MOST_FOR}. Default
         * {@link ReplicationTask#DEFAULT_LOCK_AT_MOST_FOR}.
         */
        public Builder lockAtMostFor(Duration lockAtMostFor) {
            this.lockAtMostFor = Objects.requireNonNull(lockAtMostFor, "lockAtMostFor");
            return this;
        }

        /**
         * The shortest time the run lock is held, even when a run ends earlier: absorbs clock skew between
         * nodes and keeps nodes firing the same slot from running it one after the other. Default zero.
         */
        public Builder lockAtLeastFor(Duration lockAtLeastFor) {
            this.lockAtLeastFor = Objects.requireNonNull(lockAtLeastFor, "lockAtLeastFor");
            return this;
        }

        /**
         * Whether every run is followed by {@link BackupReplicator#measureRecoveryPoints()}, so the replicator's
         * listeners (metrics, health) see the recovery points right after each run. Default true; turn it off
         * when something else measures them on its own schedule.
         */
        public Builder measureRecoveryPoints(boolean measureRecoveryPoints) {
            this.measureRecoveryPoints = measureRecoveryPoints;
            return this;
        }

        /**
         * Checks every setting and builds the task.
         *
         * @throws NullPointerException     when the replicator's name is null
         * @throws IllegalArgumentException when {@code lockAtMostFor} is not positive, {@code lockAtLeastFor}
         *                                  is negative, either is longer than {@link #MAX_LOCK_AT_MOST_FOR}, or
         *                                  {@code lockName} is blank or longer than {@link #MAX_LOCK_NAME_LENGTH}
         * @throws IllegalStateException    when {@code lockAtLeastFor} is longer than {@code lockAtMostFor}
         */
        public ReplicationTask build() {
            String name = Objects.requireNonNull(replicator.name(), "replicator.name()");
            if (lockAtMostFor.isNegative() || lockAtMostFor.isZero()) {
                throw new IllegalArgumentException("lockAtMostFor of replicator '" + name + "' must be positive "
                        + "(longer than the longest run), was " + lockAtMostFor);
            }
            if (lockAtLeastFor.isNegative()) {
                throw new IllegalArgumentException("lockAtLeastFor of replicator '" + name
                        + "' must be zero or positive, was " + lockAtLeastFor);
            }
            Bounds.atMost("lockAtMostFor of replicator '" + name + "'", lockAtMostFor, MAX_LOCK_AT_MOST_FOR);
            Bounds.atMost("lockAtLeastFor of replicator '" + name + "'", lockAtLeastFor, MAX_LOCK_AT_MOST_FOR);
            if (lockAtLeastFor.compareTo(lockAtMostFor) > 0) {
                throw new IllegalStateException("lockAtLeastFor of replicator '" + name + "' (" + lockAtLeastFor
                        + ") must not be longer than its lockAtMostFor (" + lockAtMostFor + ")");
            }
            if (lockName != null && lockName.isBlank()) {
                throw new IllegalArgumentException("lockName of replicator '" + name + "' must not be blank");
            }
            if (lockName != null && lockName.length() > MAX_LOCK_NAME_LENGTH) {
                throw new IllegalArgumentException("lockName of replicator '" + name + "' is " + lockName.length()
                        + " characters long, at most " + MAX_LOCK_NAME_LENGTH + " are allowed: '" + lockName + "'");
            }
            return new ReplicationTask(this, name);
        }
    }
}
