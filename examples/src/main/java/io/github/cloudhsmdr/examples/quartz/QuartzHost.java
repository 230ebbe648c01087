package io.github.cloudhsmdr.examples.quartz;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CloudHsmDrException;
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
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.KeyMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long-running process that replicates on a Quartz cron schedule, with an in-memory Quartz scheduler
 * (RAMJobStore) and the {@code cloudhsm-dr-quartz} adapter: {@link ReplicationScheduling} registers the
 * replicator, schedules its {@code ReplicationJob} on the cron expression and, with {@code --run-now}, fires
 * it once at start.
 *
 * <pre>
 * java -cp cloudhsm-dr-examples-all.jar io.github.cloudhsmdr.examples.quartz.QuartzHost \
 *     --source-region us-east-1 --destination-regions us-west-2 --cron "0 15 * * * ?" --run-now
 * </pre>
 *
 * <p>{@code --cron} is a Quartz cron expression with seconds (default {@code 0 0 * * * ?}: every hour on the
 * hour) in {@code --time-zone} (default UTC). A missed firing (the process was down) fires once when the
 * scheduler is back. Besides the schedule options it takes the replicator options of the CLI
 * ({@code --help} lists them). For several hosts sharing one schedule use a clustered JDBC job store instead
 * (see the adapter's SCHEDULING.md): with the RAMJobStore every host runs its own schedule.
 *
 * <p><b>Stopping.</b> SIGTERM or Ctrl-C runs a shutdown hook that puts the scheduler in standby (no new
 * firings), lets a running replication finish for up to {@code --shutdown-timeout} (default 5 minutes),
 * interrupts it after that, shuts Quartz down and closes the replicator and its AWS clients. Exit code 64 for
 * a bad option, named in the message.
 *
 * <p>Thread-safe.
 */
public final class QuartzHost implements AutoCloseable {
    static final String PROGRAM = "QuartzHost";
    /** Every hour on the hour. */
    static final String DEFAULT_CRON = "0 0 * * * ?";
    static final HostOptions OPTIONS = new HostOptions(PROGRAM, List.of(
            new Option("cron", "EXPR", "Quartz cron expression with seconds (default: '0 0 * * * ?', hourly)"),
            new Option("time-zone", "ZONE", "time zone of the cron expression (default: UTC)"),
            new Option("run-now", null, "also run once right after start"),
            HostOptions.SHUTDOWN_TIMEOUT, Monitoring.PORT));

    private static final Logger LOG = LoggerFactory.getLogger(QuartzHost.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final AwsBackupStore store;
    private final BackupReplicator replicator;
    private final Scheduler scheduler;
    private final RunningFirings running;
    private final Duration shutdownTimeout;
    private final Optional<Instant> nextRun;
    private final Monitoring monitoring;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QuartzHost(AwsBackupStore store, BackupReplicator replicator, Scheduler scheduler, RunningFirings running,
            Duration shutdownTimeout, Optional<Instant> nextRun, Monitoring monitoring) {
        this.monitoring = monitoring;
        this.store = store;
        this.replicator = replicator;
        this.scheduler = scheduler;
        this.running = running;
        this.shutdownTimeout = shutdownTimeout;
        this.nextRun = nextRun;
    }

    /**
     * Builds the replicator the options describe, schedules it on a new RAMJobStore scheduler and starts it.
     *
     * @param settings  the parsed options ({@link #OPTIONS})
     * @param clock     the replicator's clock (Quartz itself runs on the system clock)
     * @param sleeper   how the replicator waits
     * @param listeners listeners to add to the replicator
     * @return the running host; close it to stop
     * @throws ConfigurationException naming a missing or bad option
     * @throws CloudHsmDrException   when Quartz cannot be started
     */
    public static QuartzHost start(Settings settings, Clock clock, Sleeper sleeper,
            List<ReplicationListener> listeners) {
        Objects.requireNonNull(settings, "settings");
        ReplicatorSettings config = settings.replicatorSettings();
        String cron = settings.optional("cron").orElse(DEFAULT_CRON);
        ZoneId zone = zone(settings);
        Duration shutdownTimeout = HostOptions.shutdownTimeout(settings);
        boolean runNow = settings.bool("run-now", false);
        try {
            ReplicationScheduling.cronTrigger(config.name(), cron, zone);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(settings.nameOf("cron"), e.getMessage(), e);
        }

        AwsBackupStore store = Stores.open(settings);
        BackupReplicator replicator = null;
        Scheduler scheduler = null;
        Monitoring monitoring = null;
        try {
            monitoring = Monitoring.start(settings, config.name());
            replicator = HostOptions.buildReplicator(config, store, clock, sleeper, monitoring.and(listeners));
            scheduler = new StdSchedulerFactory(quartzProperties(config.name())).getScheduler();
            RunningFirings running = new RunningFirings("cloudhsm-dr-host-running");
            JobKey job = ReplicationScheduling.jobKey(config.name());
            scheduler.getListenerManager().addJobListener(running, KeyMatcher.keyEquals(job));
            ReplicationScheduling.register(scheduler, replicator);
            Optional<Instant> next = ReplicationScheduling.scheduleCron(scheduler, config.name(), cron, zone);
            scheduler.start();
            if (runNow) {
                ReplicationScheduling.triggerNow(scheduler, config.name());
            }
            LOG.info("{} started replicator={} source={} destinations={} cron='{}' zone={} nextRun={}{}; stop with "
                    + "SIGTERM", PROGRAM, config.name(), config.sourceRegion(), config.destinationRegions(), cron, zone,
                    next.map(Object::toString).orElse("none"), runNow ? " (and one run now)" : "");
            return new QuartzHost(store, replicator, scheduler, running, shutdownTimeout, next, monitoring);
        } catch (SchedulerException e) {
            cleanUp(scheduler, replicator, store, monitoring);
            throw new CloudHsmDrException("cannot start the Quartz scheduler of replicator '" + config.name() + "': "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(scheduler, replicator, store, monitoring);
            throw e;
        }
    }

    /** Releases what a failed start created. */
    private static void cleanUp(Scheduler scheduler, BackupReplicator replicator, AwsBackupStore store,
            Monitoring monitoring) {
        if (monitoring != null) {
            monitoring.close();
        }
        if (scheduler != null) {
            try {
                scheduler.shutdown(false);
            } catch (SchedulerException e) {
                LOG.debug("Quartz shutdown after a failed start failed: {}", e.toString());
            }
        }
        if (replicator != null) {
            replicator.close();
        }
        store.close();
    }

    private static ZoneId zone(Settings settings) {
        String text = settings.optional("time-zone").orElse("UTC");
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new ConfigurationException(settings.nameOf("time-zone"), "'" + text
                    + "' is not a time zone: use a region id such as Europe/Berlin, or UTC", e);
        }
    }

    /** An in-memory scheduler, its name unique in this JVM (Quartz keeps schedulers in a JVM-wide repository). */
    static Properties quartzProperties(String replicatorName) {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME,
                "cloudhsm-dr-" + replicatorName + "-" + INSTANCES.incrementAndGet());
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return p;
    }

    /** @return the next scheduled run when the host started, if the cron expression has one. */
    public Optional<Instant> nextRun() {
        return nextRun;
    }

    /** @return the {@code /metrics} and {@code /health} endpoints (address empty unless turned on). */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** @return the Quartz scheduler (for an admin endpoint: {@code ReplicationScheduling.triggerNow}). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** @return true until the host is closed. */
    public boolean isRunning() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * Stops firing, lets a running replication finish within the shutdown timeout (interrupting it after
     * that), shuts Quartz down and closes the replicator and its AWS clients. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String name = replicator.name();
        boolean finished = true;
        try {
            scheduler.standby();
            finished = running.awaitIdle(shutdownTimeout);
            if (!finished) {
                scheduler.interrupt(ReplicationScheduling.jobKey(name));
                finished = running.awaitIdle(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = running.running() == 0;
        } catch (SchedulerException e) {
            LOG.warn("{} replicator={}: Quartz refused to stop firing cleanly: {}", PROGRAM, name, e.toString());
        } finally {
            try {
                scheduler.shutdown(finished);
            } catch (SchedulerException e) {
                LOG.warn("{} replicator={}: Quartz shutdown failed: {}", PROGRAM, name, e.toString());
            }
            replicator.close();
            store.close();
            monitoring.close();
        }
        LOG.info("{} stopped replicator={}{}", PROGRAM, name,
                finished ? "" : "; the running replication did not finish within " + shutdownTimeout
                        + " and was interrupted");
    }

    /**
     * Starts the host and returns; Quartz's threads keep the process alive until SIGTERM.
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
