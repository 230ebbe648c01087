package io.github.cloudhsmdr.drill;

import io.github.cloudhsmdr.scheduling.RunLock;
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
 * One run of a {@link RestoreDrill}, shaped for whatever scheduler the host has (a monthly cron in Spring, a
 * {@link java.util.concurrent.ScheduledExecutorService}, a Kubernetes CronJob's {@code main}); the Quartz module
 * wraps it in a job.
 *
 * <p>Never two drills of one name at once: an invocation while a run of this task is in progress is skipped
 * ({@link #call()} returns empty), and with a {@link RunLock} shared by the hosts (lock name
 * {@code drill:<name>}) an invocation that finds the lock held elsewhere is skipped too. This matters more than
 * for replication: a second drill of the same name would tear the first one's cluster down as a leftover.
 *
 * <p>{@link #call()} returns the report (a FAIL is a normal return, not an exception); {@link #run()} never lets a
 * {@link RuntimeException} out, so a periodic scheduler keeps the task scheduled. Thread-safe.
 *
 * <pre>{@code
 * RestoreDrillTask task = RestoreDrillTask.of(drill);
 * // Spring: @Scheduled(cron = "0 0 6 1 * *", zone = "UTC") void drill() { task.run(); }   // monthly
 * }</pre>
 */
public final class RestoreDrillTask implements Runnable, Callable<Optional<DrillReport>> {
    /** Default {@code lockAtMostFor}: four hours, longer than a drill with its three one-hour timeouts. */
    public static final Duration DEFAULT_LOCK_AT_MOST_FOR = Duration.ofHours(4);

    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrillTask.class);

    private final RestoreDrill drill;
    private final RunLock runLock;
    private final Duration lockAtMostFor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong completedRuns = new AtomicLong();
    private final AtomicLong skippedRuns = new AtomicLong();
    private final AtomicReference<DrillReport> lastReport = new AtomicReference<>();

    private RestoreDrillTask(RestoreDrill drill, RunLock runLock, Duration lockAtMostFor) {
        this.drill = drill;
        this.runLock = runLock;
        this.lockAtMostFor = lockAtMostFor;
    }

    /** @return a task with the in-process guard only */
    public static RestoreDrillTask of(RestoreDrill drill) {
        return of(drill, RunLock.NONE, DEFAULT_LOCK_AT_MOST_FOR);
    }

    /**
     * @param drill         the drill
     * @param runLock       a lock shared by every host that may run this drill, or {@link RunLock#NONE}
     * @param lockAtMostFor how long the lock stays held if never released; must exceed the longest drill
     * @return the task
     */
    public static RestoreDrillTask of(RestoreDrill drill, RunLock runLock, Duration lockAtMostFor) {
        Objects.requireNonNull(lockAtMostFor, "lockAtMostFor");
        if (lockAtMostFor.isNegative() || lockAtMostFor.isZero()) {
            throw new IllegalArgumentException("lockAtMostFor '" + lockAtMostFor + "' is not allowed: expected a "
                    + "positive duration longer than the longest drill");
        }
        return new RestoreDrillTask(Objects.requireNonNull(drill, "drill"), Objects.requireNonNull(runLock, "runLock"),
                lockAtMostFor);
    }

    /** @return the lock name runs take: {@code drill:<name>} */
    public String lockName() {
        return "drill:" + drill.name();
    }

    /**
     * Runs the drill once unless a run is in progress here or holds the run lock elsewhere.
     *
     * @return the report, or empty when skipped
     * @throws RuntimeException when the run lock cannot be read (the drill did not run)
     */
    @Override
    public Optional<DrillReport> call() {
        if (!running.compareAndSet(false, true)) {
            skippedRuns.incrementAndGet();
            LOG.warn("restore drill {} skipped: the previous run is still in progress in this process", drill.name());
            return Optional.empty();
        }
        try {
            Optional<RunLock.Lease> lease = runLock == RunLock.NONE ? Optional.empty()
                    : runLock.tryAcquire(lockName(), lockAtMostFor);
            if (runLock != RunLock.NONE && lease.isEmpty()) {
                skippedRuns.incrementAndGet();
                LOG.info("restore drill {} skipped: run lock '{}' is held by another run", drill.name(), lockName());
                return Optional.empty();
            }
            try {
                DrillReport report = drill.run();
                lastReport.set(report);
                completedRuns.incrementAndGet();
                return Optional.of(report);
            } finally {
                lease.ifPresent(l -> {
                    try {
                        l.close();
                    } catch (RuntimeException e) {
                        LOG.warn("restore drill {}: run lock '{}' could not be released; it expires by itself",
                                drill.name(), lockName(), e);
                    }
                });
            }
        } finally {
            running.set(false);
        }
    }

    /** Runs the drill like {@link #call()}, but never throws a {@link RuntimeException} (logged at ERROR). */
    @Override
    public void run() {
        try {
            call();
        } catch (RuntimeException e) {
            LOG.error("restore drill {} ended with an exception instead of a report; later runs go ahead", drill.name(), e);
        }
    }

    /** @return the drill this task runs */
    public RestoreDrill drill() {
        return drill;
    }

    /** @return how many runs returned a report */
    public long completedRuns() {
        return completedRuns.get();
    }

    /** @return how many invocations were skipped */
    public long skippedRuns() {
        return skippedRuns.get();
    }

    /** @return the most recent report, if any */
    public Optional<DrillReport> lastReport() {
        return Optional.ofNullable(lastReport.get());
    }
}
