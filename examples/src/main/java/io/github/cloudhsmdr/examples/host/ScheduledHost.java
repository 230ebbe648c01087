package io.github.cloudhsmdr.examples.host;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.examples.support.ConfigurationException;
import io.github.cloudhsmdr.examples.support.HostLauncher;
import io.github.cloudhsmdr.examples.support.HostOptions;
import io.github.cloudhsmdr.examples.support.HostOptions.Option;
import io.github.cloudhsmdr.examples.support.Monitoring;
import io.github.cloudhsmdr.examples.support.Settings;
import io.github.cloudhsmdr.examples.support.Stores;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.settings.Durations;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A long-running process that replicates on a fixed cadence with a JDK {@link ScheduledExecutorService} running
 * a {@link ReplicationTask}: for a VM or a container with no scheduler of its own. The executor's fixed delay
 * keeps runs from overlapping and the task never throws, so a failed run does not stop the schedule.
 *
 * <pre>
 * java -cp cloudhsm-dr-examples-all.jar io.github.cloudhsmdr.examples.host.ScheduledHost \
 *     --source-region us-east-1 --destination-regions us-west-2 --every 60m --jitter 5m
 * </pre>
 *
 * <p>The first run starts after {@code --initial-delay} (default 0); each later one {@code --every}
 * (default 60 minutes) after the previous one <em>ended</em>. The first run is put off by a random part of
 * {@code --jitter} (default 5 minutes), and since every later run follows the one before at a fixed delay, hosts
 * started together stay apart and do not call CloudHSM together. Runs never overlap, and a run that
 * fails or throws does not stop the schedule. Besides the schedule options it takes the replicator options of
 * the CLI ({@code --help} lists them).
 *
 * <p><b>Stopping.</b> SIGTERM (what {@code docker stop} and Kubernetes send) or Ctrl-C runs a shutdown hook
 * that stops scheduling runs, lets a run in progress finish for up to {@code --shutdown-timeout} (default 5
 * minutes; keep it under the platform's grace period), interrupts it after that (it stops waiting and reports
 * what it did), and closes the replicator and its AWS clients. Copies a cut-off run started are found by the
 * next run, never made twice. Exit code 64 for a bad option, named in the message.
 *
 * <p>Thread-safe.
 */
public final class ScheduledHost implements AutoCloseable {
    static final String PROGRAM = "ScheduledHost";
    static final HostOptions OPTIONS = new HostOptions(PROGRAM, List.of(
            new Option("every", "DURATION", "from the end of one run to the start of the next (default: 60m)"),
            new Option("jitter", "DURATION", "random extra delay before every run, up to this (default: 5m)"),
            new Option("initial-delay", "DURATION", "delay before the first run (default: 0)"),
            HostOptions.SHUTDOWN_TIMEOUT, Monitoring.PORT));

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledHost.class);

    private final AwsBackupStore store;
    private final BackupReplicator replicator;
    private final ReplicationTask task;
    private final ScheduledExecutorService executor;
    private final Duration shutdownTimeout;
    private final Monitoring monitoring;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScheduledHost(AwsBackupStore store, BackupReplicator replicator, Duration shutdownTimeout,
            Monitoring monitoring) {
        this.store = store;
        this.replicator = replicator;
        this.monitoring = monitoring;
        this.task = ReplicationTask.of(replicator);
        this.shutdownTimeout = shutdownTimeout;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloudhsm-dr-" + replicator.name());
            t.setDaemon(false);
            return t;
        });
    }

    /**
     * Builds the replicator the options describe and starts its schedule.
     *
     * @param settings  the parsed options ({@link #OPTIONS})
     * @param clock     the replicator's clock
     * @param sleeper   how the replicator waits
     * @param listeners listeners to add to the replicator
     * @return the running host; close it to stop
     * @throws ConfigurationException naming a missing or bad option
     */
    public static ScheduledHost start(Settings settings, Clock clock, Sleeper sleeper,
            List<ReplicationListener> listeners) {
        Objects.requireNonNull(settings, "settings");
        ReplicatorSettings config = settings.replicatorSettings();
        Duration every = settings.positiveDuration("every").orElse(Duration.ofMinutes(60));
        Duration jitter = settings.duration("jitter").orElse(Duration.ofMinutes(5));
        Duration initialDelay = settings.duration("initial-delay").orElse(Duration.ZERO);
        Duration shutdownTimeout = HostOptions.shutdownTimeout(settings);
        AwsBackupStore store = Stores.open(settings);
        BackupReplicator replicator;
        Monitoring monitoring = null;
        try {
            monitoring = Monitoring.start(settings, config.name());
            replicator = HostOptions.buildReplicator(config, store, clock, sleeper, monitoring.and(listeners));
        } catch (RuntimeException e) {
            if (monitoring != null) {
                monitoring.close();
            }
            store.close();
            throw e;
        }
        ScheduledHost host = new ScheduledHost(store, replicator, shutdownTimeout, monitoring);
        long firstDelayMillis = initialDelay.toMillis()
                + (jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1));
        host.executor.scheduleWithFixedDelay(host.task, firstDelayMillis, every.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("{} started replicator={} source={} destinations={} every={} jitter={}; stop with SIGTERM",
                PROGRAM, config.name(), config.sourceRegion(), config.destinationRegions(), Durations.compact(every),
                Durations.compact(jitter));
        return host;
    }

    /** @return the {@code /metrics} and {@code /health} endpoints (address empty unless turned on). */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** @return the task the schedule runs: its counters and last report. */
    public ReplicationTask task() {
        return task;
    }

    /** @return true until the host is closed. */
    public boolean isRunning() {
        return !executor.isShutdown();
    }

    /**
     * Stops the schedule, lets a running run finish within the shutdown timeout (interrupting it after that),
     * then closes the replicator and its AWS clients. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.shutdown();
            if (!executor.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} run of replicator={} still going after the shutdown timeout {}: interrupting it",
                        PROGRAM, replicator.name(), Durations.compact(shutdownTimeout));
                executor.shutdownNow();
                executor.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            LOG.info("{} stopped after {} runs of replicator={}", PROGRAM, task.completedRuns(), replicator.name());
            replicator.close();
            store.close();
            monitoring.close();
        }
    }

    /**
     * Starts the host and returns; the scheduler's thread keeps the process alive until SIGTERM.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        int code = launch(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses, starts and installs the shutdown hook; returns a non-zero exit code when it did not start. */
    static int launch(String[] args, PrintStream out, PrintStream err) {
        return HostLauncher.launch(PROGRAM, OPTIONS, args, out, err,
                settings -> start(settings, Clock.systemUTC(), Sleeper.SYSTEM, List.of()));
    }
}
