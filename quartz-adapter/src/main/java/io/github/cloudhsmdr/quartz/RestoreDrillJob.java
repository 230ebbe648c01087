package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.github.cloudhsmdr.drill.RestoreDrillTask;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneId;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The Quartz job that runs one named {@link io.github.cloudhsmdr.drill.RestoreDrill}, e.g. once a month.
 *
 * <p>Stateless; its {@link org.quartz.JobDataMap} holds only the drill's name under {@link #DRILL_NAME_KEY} (fine
 * for a JDBC job store with {@code useProperties=true}); the drill is looked up in the {@link DrillRegistry} of
 * the scheduler's context. {@link DisallowConcurrentExecution}: one firing of a drill at a time. The firing's
 * result is the {@link DrillReport}; a FAIL ends in a {@link JobExecutionException} (no refire: the next month
 * tries again) whose message is the report's summary, so job listeners and monitoring see it. A firing skipped
 * because the drill is already running (here or, with a run lock, elsewhere) returns normally with no result.
 * {@link #interrupt()} interrupts the drill's thread: the drill stops waiting, still tears its cluster down, and
 * reports FAIL.
 *
 * <pre>{@code
 * DrillRegistry.of(scheduler).register(drill);
 * scheduler.scheduleJob(RestoreDrillJob.jobDetail("monthly"),
 *         RestoreDrillJob.monthlyTrigger("monthly", 1, 6, ZoneId.of("UTC")));   // the 1st of each month, 06:00
 * }</pre>
 */
@DisallowConcurrentExecution
public final class RestoreDrillJob implements InterruptableJob {
    /** The {@link org.quartz.JobDataMap} key of the drill's name. */
    public static final String DRILL_NAME_KEY = "cloudhsmdr.drillName";
    /** The job group of drill jobs. */
    public static final String GROUP = "cloudhsm-dr-drills";

    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrillJob.class);

    private final Object lock = new Object();
    private Thread runner;

    /** Creates the job; Quartz calls this for every firing. */
    public RestoreDrillJob() {
    }

    /** @return the durable job detail of drill {@code name}, requesting recovery */
    public static JobDetail jobDetail(String name) {
        return JobBuilder.newJob(RestoreDrillJob.class).withIdentity(jobKey(name)).usingJobData(DRILL_NAME_KEY, name)
                .storeDurably().requestRecovery().build();
    }

    /** @return the job key of drill {@code name} */
    public static JobKey jobKey(String name) {
        return JobKey.jobKey(name, GROUP);
    }

    /**
     * @return a trigger firing drill {@code name} once a month on {@code dayOfMonth} (1–28) at {@code hour}:00 in
     *         {@code zone}; a misfire fires once, not once per missed month
     */
    public static Trigger monthlyTrigger(String name, int dayOfMonth, int hour, ZoneId zone) {
        if (dayOfMonth < 1 || dayOfMonth > 28) {
            throw new IllegalArgumentException("dayOfMonth '" + dayOfMonth + "' is not allowed: expected 1 to 28, "
                    + "days every month has");
        }
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour '" + hour + "' is not allowed: expected 0 to 23");
        }
        return TriggerBuilder.newTrigger().withIdentity(name + "-monthly", GROUP).forJob(jobKey(name))
                .withSchedule(CronScheduleBuilder.monthlyOnDayAndHourAndMinute(dayOfMonth, hour, 0)
                        .inTimeZone(TimeZone.getTimeZone(zone)).withMisfireHandlingInstructionFireAndProceed())
                .build();
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String name = context.getMergedJobDataMap().getString(DRILL_NAME_KEY);
        RestoreDrillTask task = lookUp(context, name);
        synchronized (lock) {
            runner = Thread.currentThread();
        }
        Optional<DrillReport> report;
        try {
            report = task.call();
        } catch (RuntimeException e) {
            throw new JobExecutionException("restore drill '" + name + "' FAILED: it threw " + e, e, false);
        } finally {
            synchronized (lock) {
                runner = null;
            }
            // the interrupt was for this firing only; do not leave it on the pool's worker thread
            Thread.interrupted();
        }
        if (report.isEmpty()) {
            LOG.debug("restore drill {} firing skipped: a run is in progress", name);
            return;
        }
        context.setResult(report.get());
        if (report.get().status() == DrillStatus.FAIL) {
            throw new JobExecutionException(report.get().summary(), false);
        }
    }

    private static RestoreDrillTask lookUp(JobExecutionContext context, String name) throws JobExecutionException {
        if (name == null || name.isBlank()) {
            throw new JobExecutionException("job " + context.getJobDetail().getKey() + " has no drill name under '"
                    + DRILL_NAME_KEY + "': build it with RestoreDrillJob.jobDetail(name)", false);
        }
        Object value;
        try {
            value = context.getScheduler().getContext().get(DrillRegistry.CONTEXT_KEY);
        } catch (SchedulerException e) {
            throw new JobExecutionException("restore drill '" + name + "': cannot read the SchedulerContext", e, false);
        }
        if (!(value instanceof DrillRegistry registry)) {
            throw new JobExecutionException("restore drill '" + name + "': no DrillRegistry in the SchedulerContext: "
                    + "call DrillRegistry.of(scheduler).register(drill) on every node", false);
        }
        return registry.task(name).orElseThrow(() -> new JobExecutionException("restore drill '" + name
                + "' is not registered on this node; registered: " + registry.names(), false));
    }

    /** Interrupts the running drill: it stops waiting, tears down what it created and reports FAIL. */
    @Override
    public void interrupt() {
        synchronized (lock) {
            if (runner != null) {
                runner.interrupt();
            }
        }
    }
}
