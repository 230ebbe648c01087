package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.scheduling.ReplicationTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs each scheduled replicator's {@link ReplicationTask} on Spring's {@link TaskScheduler}: the application's
 * own when it has exactly one, otherwise one this bean makes (one thread per scheduled replicator, named
 * {@code cloudhsm-dr-*}). Starts with the context and stops before the replicators are closed: stopping cancels
 * the schedules and lets a run in progress finish. {@link ReplicationTask#run()} never throws, so a failed run
 * never cancels its schedule, and its guard keeps runs of one replicator from overlapping.
 */
public final class ReplicationSchedules implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSchedules.class);

    /**
     * One replicator's schedule: a cron expression in a zone, or an interval after an initial delay.
     *
     * @param replicatorName the replicator
     * @param cron           the cron expression, or null
     * @param zone           the cron expression's zone, or null
     * @param interval       the interval from the end of one run to the start of the next, or null
     * @param initialDelay   the delay before the first run of an interval schedule, or null
     */
    public record Schedule(String replicatorName, String cron, ZoneId zone, Duration interval, Duration initialDelay) {
        @Override
        public String toString() {
            return cron != null ? "cron '" + cron + "' in " + zone : "every " + interval + " after " + initialDelay;
        }
    }

    private final Map<ReplicationTask, Schedule> schedules;
    private final TaskScheduler given;
    private final List<ScheduledFuture<?>> futures = new ArrayList<>();
    private ThreadPoolTaskScheduler own;
    private boolean running;

    /**
     * @param schedules the tasks to run and when
     * @param scheduler the application's scheduler, or null to make one
     */
    public ReplicationSchedules(Map<ReplicationTask, Schedule> schedules, TaskScheduler scheduler) {
        this.schedules = Map.copyOf(schedules);
        this.given = scheduler;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        TaskScheduler scheduler = given;
        if (scheduler == null && !schedules.isEmpty()) {
            own = new ThreadPoolTaskScheduler();
            own.setPoolSize(schedules.size());
            own.setThreadNamePrefix("cloudhsm-dr-");
            own.setWaitForTasksToCompleteOnShutdown(true);
            own.setAwaitTerminationSeconds(30);
            own.initialize();
            scheduler = own;
        }
        for (Map.Entry<ReplicationTask, Schedule> e : schedules.entrySet()) {
            Schedule s = e.getValue();
            ScheduledFuture<?> future = s.cron() != null
                    ? scheduler.schedule(e.getKey(), new CronTrigger(s.cron(), s.zone()))
                    : scheduler.scheduleWithFixedDelay(e.getKey(),
                            scheduler.getClock().instant().plus(s.initialDelay()), s.interval());
            futures.add(future);
            LOG.info("replicator={} scheduled on {}: {}", s.replicatorName(), own != null ? "its own TaskScheduler"
                    : "the application's TaskScheduler", s);
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        futures.forEach(f -> f.cancel(false));
        futures.clear();
        if (own != null) {
            own.shutdown();
            own = null;
        }
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** @return the schedules, by task. */
    public Map<ReplicationTask, Schedule> schedules() {
        return schedules;
    }
}
