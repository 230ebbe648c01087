package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.BackupReplicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small built-in scheduler for hosts that have none: runs a {@link ReplicationTask} every
 * {@code interval} on a {@link ScheduledExecutorService}.
 *
 * <p><b>Timing.</b> The first pass runs {@code initialDelay} (plus jitter) after {@link #start()}; each
 * later pass runs {@code interval} (plus jitter) after the previous pass <em>ended</em> (fixed delay), so
 * passes never overlap and a slow pass pushes the next one back instead of queueing a burst. Jitter is a
 * random extra delay, drawn anew for every pass uniformly from {@code [0, jitter]} (millisecond
 * granularity), that spreads the calls of many hosts started at the same moment; the {@link Random} is
 * injectable so tests are repeatable.
 *
 * <p><b>Failures.</b> A pass runs {@link ReplicationTask#run()}, which never throws, so a failing or
 * throwing replicator does not stop the schedule; see the task's counters and
 * {@link ReplicationTask#lastReport()}.
 *
 * <p><b>Stopping.</b> {@link #shutdown(Duration)} (and {@link #close()}, which uses the builder's
 * {@code shutdownTimeout}) stops scheduling passes, lets a pass that is running finish within the timeout,
 * interrupts it when it does not, and then shuts the executor down, but only when the scheduler created
 * it: an executor handed to {@link Builder#executor(ScheduledExecutorService)} stays running. The default
 * executor has one non-daemon thread named {@code cloudhsm-dr-scheduler-<replicator name>}: it keeps the
 * JVM alive until the scheduler is closed. The replicator is never closed by the scheduler.
 *
 * <p>Built schedulers are thread-safe; builders are not.
 *
 * <pre>{@code
 * ReplicationScheduler scheduler = ReplicationScheduler.builder(replicator)
 *         .interval(Duration.ofHours(1))
 *         .jitter(Duration.ofMinutes(5))
 *         .build();
 * scheduler.start();
 * Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
 * }</pre>
 */
public final class ReplicationScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationScheduler.class);

    private enum State { NEW, STARTED, CLOSED }

    private final ReplicationTask task;
    private final Duration interval;
    private final Duration initialDelay;
    private final Duration jitter;
    private final Duration shutdownTimeout;
    private final Random random;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;

    private final Object lock = new Object();
    private State state = State.NEW;
    private ScheduledFuture<?> pending;
    private Thread passThread;
    private long passes;

    private ReplicationScheduler(Builder b, ScheduledExecutorService executor, boolean ownsExecutor) {
        this.task = b.task;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.jitter = b.jitter;
        this.shutdownTimeout = b.shutdownTimeout;
        this.random = b.random;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
    }

    /**
     * Starts a builder for a scheduler running {@code replicator} through a new {@link ReplicationTask}.
     *
     * @throws NullPointerException when {@code replicator} is null
     */
    public static Builder builder(BackupReplicator replicator) {
        return new Builder(ReplicationTask.of(Objects.requireNonNull(replicator, "replicator")));
    }

    /**
     * Starts a builder for a scheduler running {@code task}, e.g. one whose counters you already watch.
     *
     * @throws NullPointerException when {@code task} is null
     */
    public static Builder builder(ReplicationTask task) {
        return new Builder(Objects.requireNonNull(task, "task"));
    }

    /**
     * Schedules the first pass, {@code initialDelay} plus jitter from now.
     *
     * @throws IllegalStateException when the scheduler was already started or closed
     * @throws RejectedExecutionException when a supplied executor is already shut down
     */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("scheduler of replicator '" + task.name() + "' cannot start: it is "
                        + (state == State.STARTED ? "already started" : "closed") + "; build a new one");
            }
            state = State.STARTED;
            Duration first = initialDelay.plusMillis(jitterMillis());
            LOG.info("replicator={} scheduler started: firstPassIn={} interval={} jitter={}", task.name(), first,
                    interval, jitter);
            pending = executor.schedule(this::pass, first.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one pass and schedules the next one, unless the scheduler was closed meanwhile. */
    private void pass() {
        synchronized (lock) {
            if (state != State.STARTED) {
                return;
            }
            passThread = Thread.currentThread();
        }
        try {
            task.run();
        } finally {
            synchronized (lock) {
                passThread = null;
                passes++;
                lock.notifyAll();
                if (state == State.STARTED) {
                    scheduleNext();
                }
            }
        }
    }

    private void scheduleNext() {
        long delay = interval.toMillis() + jitterMillis();
        try {
            pending = executor.schedule(this::pass, delay, TimeUnit.MILLISECONDS);
            LOG.debug("replicator={} next pass in {} ms", task.name(), delay);
        } catch (RejectedExecutionException e) {
            state = State.CLOSED;
            LOG.warn("replicator={} scheduler stopped: the executor refused the next pass (was it shut down "
                    + "without closing this scheduler?)", task.name(), e);
        }
    }

    private long jitterMillis() {
        long bound = jitter.toMillis();
        return bound == 0 ? 0 : random.nextLong(bound + 1);
    }

    /**
     * Stops the scheduler: no new pass starts; a pass that is running may finish within {@code timeout}
     * and is interrupted when it does not; then the executor is shut down if the scheduler created it.
     * Calling it again is harmless.
     *
     * @param timeout how long to wait for a running pass; zero interrupts it at once
     * @return true when no pass was running on return (it finished, or none was running); false when a
     *         pass was still running and was interrupted, or the calling thread was interrupted while
     *         waiting
     * @throws NullPointerException     when {@code timeout} is null
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public boolean shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
        }
        boolean finished;
        synchronized (lock) {
            boolean wasStarted = state == State.STARTED;
            state = State.CLOSED;
            if (pending != null) {
                pending.cancel(false);
            }
            long deadline = System.nanoTime() + saturatedNanos(timeout);
            boolean interrupted = false;
            // a pass that closes its own scheduler must not wait for itself
            while (passThread != null && passThread != Thread.currentThread() && !interrupted) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.currentThread().interrupt();
                }
            }
            finished = passThread == null || passThread == Thread.currentThread();
            if (!finished) {
                passThread.interrupt();
            }
            if (wasStarted) {
                LOG.info("replicator={} scheduler stopped after {} passes{}", task.name(), passes,
                        finished ? "" : "; the running pass did not finish within " + timeout + " and was interrupted");
            }
        }
        if (ownsExecutor) {
            if (finished) {
                executor.shutdown();
            } else {
                executor.shutdownNow();
            }
        }
        return finished;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** {@link #shutdown(Duration)} with the builder's {@code shutdownTimeout}. */
    @Override
    public void close() {
        shutdown(shutdownTimeout);
    }

    /** @return the task this scheduler runs (its counters and last report). */
    public ReplicationTask task() {
        return task;
    }

    /** @return true after {@link #start()} and before the scheduler was closed or stopped. */
    public boolean isStarted() {
        synchronized (lock) {
            return state == State.STARTED;
        }
    }

    /** @return how many passes have ended (skipped or aborted ones included). */
    public long passes() {
        synchronized (lock) {
            return passes;
        }
    }

    @Override
    public String toString() {
        return "ReplicationScheduler[replicator=" + task.name() + ", interval=" + interval + ", initialDelay="
                + initialDelay + ", jitter=" + jitter + ", ownsExecutor=" + ownsExecutor + "]";
    }

    /**
     * Builds a {@link ReplicationScheduler}. Every setting is checked in {@link #build()}. Not thread-safe.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code interval}</td><td>required, at least 1 ms</td></tr>
     *   <tr><td>{@code initialDelay}</td><td>zero</td></tr>
     *   <tr><td>{@code jitter}</td><td>zero: no jitter</td></tr>
     *   <tr><td>{@code random}</td><td>a new {@link Random}</td></tr>
     *   <tr><td>{@code shutdownTimeout}</td><td>5 minutes (used by {@code close()})</td></tr>
     *   <tr><td>{@code executor}</td><td>a single-thread executor the scheduler creates and shuts down</td></tr>
     * </table>
     */
    public static final class Builder {
        private final ReplicationTask task;
        private Duration interval;
        private Duration initialDelay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private Duration shutdownTimeout = Duration.ofMinutes(5);
        private Random random = new Random();
        private ScheduledExecutorService executor;

        private Builder(ReplicationTask task) {
            this.task = task;
        }

        /** Time from the end of one pass to the start of the next (before jitter); required, at least 1 ms. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Time from {@link ReplicationScheduler#start()} to the first pass (before jitter); default zero. */
        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
            return this;
        }

        /** Upper bound of the random extra delay added to every pass; default zero (no jitter). */
        public Builder jitter(Duration jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** The source of jitter; pass a seeded {@link Random} for repeatable delays. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How long {@link ReplicationScheduler#close()} lets a running pass finish; default 5 minutes. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Runs passes on {@code executor} instead of an executor of the scheduler's own. The scheduler never
         * shuts a supplied executor down.
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Checks every setting and builds the scheduler (not started yet).
         *
         * @throws NullPointerException     when {@code interval} was not set
         * @throws IllegalArgumentException when a duration is out of range
         */
        public ReplicationScheduler build() {
            Objects.requireNonNull(interval, "interval is required");
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
            }
            requireNotNegative("initialDelay", initialDelay);
            requireNotNegative("jitter", jitter);
            requireNotNegative("shutdownTimeout", shutdownTimeout);
            if (executor != null) {
                return new ReplicationScheduler(this, executor, false);
            }
            String threadName = "cloudhsm-dr-scheduler-" + task.name();
            ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(false);
                return t;
            });
            return new ReplicationScheduler(this, own, true);
        }

        private static void requireNotNegative(String field, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must be zero or positive, was " + d);
            }
        }
    }
}
