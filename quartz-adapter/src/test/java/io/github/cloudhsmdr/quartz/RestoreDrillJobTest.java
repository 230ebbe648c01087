package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.github.cloudhsmdr.drill.RestoreDrill;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RestoreDrillJob} on a real RAMJobStore scheduler, the drill on the in-memory model and virtual time. */
class RestoreDrillJobTest {
    private final RecordingJobListener listener = new RecordingJobListener();
    private Scheduler scheduler;
    private MutableClock clock;
    private CloudHsmModel model;
    private String source;

    @BeforeEach
    void setUp() throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "drill-" + UUID.randomUUID());
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.getListenerManager().addJobListener(listener);
        clock = MutableClock.at("2026-12-01T06:00:00Z");
        model = new CloudHsmModel(clock, 5);
        source = model.addCluster("us-east-1").clusterId();
        model.addBackup(Backup.builder("backup-jobcopyabcdefg", "us-west-2").clusterId(source)
                .createTimestamp(clock.instant().minus(Duration.ofHours(4))).sourceRegion("us-east-1")
                .sourceBackup("backup-jobsourceabcde").sourceCluster(source).hsmType("hsm2m.medium").mode("FIPS")
                .state(BackupState.READY).build());
    }

    @AfterEach
    void shutDown() throws SchedulerException {
        scheduler.shutdown(false);
    }

    private RestoreDrill drill(String sourceCluster) {
        return RestoreDrill.builder().backupStore(new InMemoryBackupStore(model)).name("monthly")
                .sourceCluster(sourceCluster).sourceRegion("us-east-1").region("us-west-2")
                .subnetIds("subnet-0a1b2c3d").clock(clock).sleeper(clock::advance).build();
    }

    /** Registers a drill of {@code sourceCluster}, fires job {@code jobName} once and returns the firing. */
    private RecordingJobListener.Execution fire(String sourceCluster, String jobName) throws Exception {
        DrillRegistry.of(scheduler).register(drill(sourceCluster));
        scheduler.addJob(RestoreDrillJob.jobDetail(jobName), false);
        scheduler.start();
        scheduler.triggerJob(RestoreDrillJob.jobKey(jobName));
        return listener.next();
    }

    @Test
    void aPassingDrillIsTheFiringsResult() throws Exception {
        RecordingJobListener.Execution e = fire(source, "monthly");
        assertNull(e.exception());
        DrillReport report = assertInstanceOf(DrillReport.class, e.result());
        assertEquals(DrillStatus.PASS, report.status(), report.describe());
    }

    @Test
    void aFailingDrillEndsInAJobExecutionExceptionWithTheSummary() throws Exception {
        RecordingJobListener.Execution e = fire("cluster-nocopiesanywhere", "monthly");
        assertNotNull(e.exception());
        assertTrue(e.exception().getMessage().contains("FAIL") && e.exception().getMessage().contains("no READY backup"),
                e.exception().getMessage());
        assertEquals(DrillStatus.FAIL, ((DrillReport) e.result()).status());
    }

    @Test
    void anUnregisteredDrillFailsTheFiringNamingWhatIsRegistered() throws Exception {
        RecordingJobListener.Execution e = fire(source, "other");
        assertTrue(e.exception().getMessage().contains("[monthly]"), e.exception().getMessage());
    }

    @Test
    void theMonthlyTriggerFiresOnTheGivenDayAndHour() {
        CronTrigger t = (CronTrigger) RestoreDrillJob.monthlyTrigger("monthly", 1, 6, ZoneId.of("Europe/Berlin"));
        assertEquals("0 0 6 1 * ?", t.getCronExpression());
        assertEquals("Europe/Berlin", t.getTimeZone().getID());
        assertEquals(RestoreDrillJob.jobKey("monthly"), t.getJobKey());
        assertThrows(IllegalArgumentException.class, () -> RestoreDrillJob.monthlyTrigger("m", 31, 6,
                ZoneId.of("UTC")));
    }
}
