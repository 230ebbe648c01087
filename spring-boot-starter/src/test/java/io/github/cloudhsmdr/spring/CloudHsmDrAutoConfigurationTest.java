package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudHsmDrAutoConfigurationTest {
    private static final String AT = "cloudhsm-dr.replicators.prod-dr.";

    private final MutableClock clock = MutableClock.at("2026-11-01T12:00:00Z");
    private final InMemoryBackupStore store = new InMemoryBackupStore(new CloudHsmModel(clock));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudHsmDrAutoConfiguration.class));

    private ApplicationContextRunner withStore() {
        return runner.withBean(BackupStore.class, () -> store);
    }

    private static String[] minimal(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(AT + "source-region=us-east-1",
                AT + "destination-regions=us-west-2,eu-west-1"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void withoutReplicatorsNothingIsCreatedNotEvenAnAwsStore() {
        runner.run(context -> {
            assertFalse(context.getStartupFailure() != null);
            assertEquals(0, context.getBeansOfType(BackupReplicator.class).size());
            assertEquals(0, context.getBeansOfType(BackupStore.class).size());
            assertEquals(0, context.getBeansOfType(ReplicationSchedules.class).size());
            assertEquals(0, context.getBeansOfType(CompositeHealthContributor.class).size());
        });
    }

    @Test
    void propertiesBecomeANamedReplicatorWithItsTaskMetricsAndHealthOnTheApplicationsStore() {
        withStore().withPropertyValues(minimal(AT + "cluster-ids=cluster-aaaaaaaaaaa",
                AT + "selection.look-back=7d", AT + "retention.keep-daily=7", AT + "retention.keep-weekly=4",
                AT + "retention.zone=Europe/Berlin", AT + "retry.max-attempts=3",
                AT + "recovery-point-objective.warn-after=2h", AT + "recovery-point-objective.critical-after=3h",
                AT + "copy-tags.team=ops", AT + "max-concurrent-calls-per-region=4", AT + "lock-at-most-for=90m",
                AT + "schedule.cron=0 15 * * * *", AT + "schedule.zone=Europe/Berlin")).run(context -> {
            assertEquals(null, context.getStartupFailure());
            BackupReplicator replicator = context.getBean("cloudhsmDr.prod-dr", BackupReplicator.class);
            ReplicatorConfig c = replicator.config();
            assertEquals("prod-dr", c.name());
            assertEquals("us-east-1", c.sourceRegion());
            assertEquals(List.of("us-west-2", "eu-west-1"), c.destinationRegions());
            assertEquals(java.util.Set.of("cluster-aaaaaaaaaaa"), c.clusterIds());
            assertEquals(Selection.allWithin(Duration.ofDays(7)), c.selection());
            RetentionPolicy retention = c.retentionPolicy().orElseThrow();
            assertEquals(7, retention.keepDaily());
            assertEquals(4, retention.keepWeekly());
            assertEquals(ZoneId.of("Europe/Berlin"), retention.zone());
            assertEquals(3, c.retryPolicy().maxAttempts());
            assertEquals(Duration.ofHours(2), c.rpoWarnAfter());
            assertEquals(Duration.ofHours(3), c.rpoCriticalAfter());
            assertEquals("ops", c.copyTags().get("team"));
            assertEquals(4, c.maxConcurrentCallsPerRegion());
            ReplicationMetrics metrics = context.getBean("cloudhsmDr.prod-dr.metrics", ReplicationMetrics.class);
            assertTrue(c.listeners().contains(metrics));
            ReplicationTask task = context.getBean("cloudhsmDr.prod-dr.task", ReplicationTask.class);
            assertSame(replicator, task.replicator());
            assertEquals(Duration.ofMinutes(90), task.lockAtMostFor());
            assertTrue(task.measuresRecoveryPoints());
            ReplicationSchedules.Schedule schedule = context.getBean(ReplicationSchedules.class).schedules().get(task);
            assertEquals("0 15 * * * *", schedule.cron());
            assertEquals(ZoneId.of("Europe/Berlin"), schedule.zone());
            assertNotNull(context.getBean("cloudhsmDrHealthContributor", CompositeHealthContributor.class)
                    .getContributor("prod-dr"));
            assertEquals(0, context.getBeansOfType(AwsBackupStore.class).size(), "the application's store is used");
        });
    }

    @Test
    void withoutAStoreBeanTheAwsStoreIsMadeAndApplicationListenersAndRunLocksAreWiredIn() {
        ReplicationListener listener = new ReplicationListener() {
        };
        RunLock lock = RunLock.inProcess();
        runner.withBean("auditListener", ReplicationListener.class, () -> listener)
                .withBean("sharedLock", RunLock.class, () -> lock)
                .withPropertyValues(minimal(AT + "run-lock=sharedLock", AT + "schedule.interval=1h",
                        AT + "schedule.initial-delay=1h",
                        "cloudhsm-dr.aws.endpoint-override=http://127.0.0.1:9"))
                .run(context -> {
                    assertEquals(1, context.getBeansOfType(AwsBackupStore.class).size());
                    BackupReplicator replicator = context.getBean("cloudhsmDr.prod-dr", BackupReplicator.class);
                    assertTrue(replicator.config().listeners().contains(listener));
                    assertEquals(1, replicator.config().listeners().stream()
                            .filter(l -> l instanceof ReplicationMetrics).count());
                    assertSame(lock, context.getBean("cloudhsmDr.prod-dr.task", ReplicationTask.class).runLock());
                    ReplicationSchedules.Schedule s = context.getBean(ReplicationSchedules.class).schedules().values()
                            .iterator().next();
                    assertEquals(Duration.ofHours(1), s.interval());
                    assertEquals(Duration.ofHours(1), s.initialDelay());
                    assertTrue(context.getBean(ReplicationSchedules.class).isRunning());
                });
    }

    @Test
    void turnedOffByProperty() {
        withStore().withPropertyValues(minimal("cloudhsm-dr.enabled=false"))
                .run(context -> assertEquals(0, context.getBeansOfType(BackupReplicator.class).size()));
    }

    @Test
    void withoutSpringBootHealthThereIsNoHealthContributorAndTheRestWorks() {
        withStore().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withPropertyValues(minimal()).run(context -> {
                    assertEquals(1, context.getBeansOfType(BackupReplicator.class).size());
                    assertFalse(context.containsBean("cloudhsmDrHealthContributor"));
                });
    }

    @Test
    void aDestinationEqualToTheSourceFailsStartUpNamingBothPropertiesAndWhatIsAllowed() {
        FailureAnalysis analysis = failure(withStore().withPropertyValues(AT + "source-region=us-east-1",
                AT + "destination-regions=us-east-1"));
        assertTrue(analysis.getDescription().contains("'" + AT + "source-region, " + AT + "destination-regions'"),
                analysis.getDescription());
        assertTrue(analysis.getDescription().contains("a destination must be another region"), analysis.getDescription());
        assertTrue(analysis.getAction().startsWith("Update '" + AT + "source-region"), analysis.getAction());
    }

    @Test
    void aBadValueNamesItsPropertyItsValueAndTheAllowedRange() {
        FailureAnalysis analysis = failure(withStore().withPropertyValues(
                minimal(AT + "max-concurrent-calls-per-region=20")));
        assertTrue(analysis.getDescription().contains("'" + AT + "max-concurrent-calls-per-region' has the value '20'"),
                analysis.getDescription());
        assertTrue(analysis.getDescription().contains("between 1 and 16"), analysis.getDescription());
    }

    @Test
    void aMissingSourceRegionIsNamed() {
        FailureAnalysis analysis = failure(withStore().withPropertyValues(AT + "destination-regions=us-west-2"));
        assertTrue(analysis.getDescription().contains("'" + AT + "source-region' is not set"), analysis.getDescription());
    }

    @Test
    void retentionErrorsNameTheRetentionProperty() {
        FailureAnalysis anchor = failure(withStore().withPropertyValues(minimal(AT + "retention.keep-within=30d",
                AT + "retention.keep-within-anchor=yesterday")));
        assertTrue(anchor.getDescription().contains("'" + AT + "retention.keep-within-anchor' has the value 'yesterday'"),
                anchor.getDescription());
        assertTrue(anchor.getDescription().contains("[NEWEST_COPY, NOW]"), anchor.getDescription());

        FailureAnalysis noRule = failure(withStore().withPropertyValues(minimal(AT + "retention.min-ready-copies=2")));
        assertTrue(noRule.getDescription().contains("keep-daily"), noRule.getDescription());
    }

    @Test
    void scheduleErrorsNameTheScheduleProperty() {
        FailureAnalysis cron = failure(withStore().withPropertyValues(minimal(AT + "schedule.cron=0 15 * * *")));
        assertTrue(cron.getDescription().contains("'" + AT + "schedule.cron' has the value '0 15 * * *'"),
                cron.getDescription());
        assertTrue(cron.getDescription().contains("six fields"), cron.getDescription());

        FailureAnalysis both = failure(withStore().withPropertyValues(minimal(AT + "schedule.cron=0 15 * * * *",
                AT + "schedule.interval=1h")));
        assertTrue(both.getDescription().contains("not both"), both.getDescription());

        FailureAnalysis zone = failure(withStore().withPropertyValues(minimal(AT + "schedule.cron=0 15 * * * *",
                AT + "schedule.zone=Mars/Olympus")));
        assertTrue(zone.getDescription().contains("'" + AT + "schedule.zone' has the value 'Mars/Olympus'"),
                zone.getDescription());
    }

    @Test
    void anUnknownRunLockBeanIsNamedWithTheOnesThereAre() {
        FailureAnalysis analysis = failure(withStore().withBean("jdbcLock", RunLock.class, RunLock::inProcess)
                .withPropertyValues(minimal(AT + "run-lock=shedLock")));
        assertTrue(analysis.getDescription().contains("'" + AT + "run-lock' has the value 'shedLock'"),
                analysis.getDescription());
        assertTrue(analysis.getDescription().contains("[jdbcLock]"), analysis.getDescription());
    }

    @Test
    void theFailureAnalyzerIsRegisteredForSpringBoot() {
        // Boot's own analyzers need constructor arguments Spring Boot gives them; skip those here
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> { }));
        assertTrue(analyzers.stream().anyMatch(a -> a instanceof InvalidReplicatorPropertyFailureAnalyzer));
    }

    @Test
    void healthIsUnknownBeforeAMeasurementUpOnOkOrWarnAndDownOnCriticalMissingOrUnknown() {
        ReplicationMetrics metrics = ReplicationMetrics.of("dr");
        ReplicatorHealthIndicator indicator = new ReplicatorHealthIndicator(metrics);
        assertEquals(Status.UNKNOWN, indicator.health().getStatus());

        for (RecoveryPointStatus s : RecoveryPointStatus.values()) {
            metrics.onRecoveryPointsMeasured(new RecoveryPointReport("dr", Instant.parse("2026-11-01T00:00:00Z"),
                    Duration.ofHours(28), Duration.ofHours(32), List.of(new RecoveryPoint("cluster-aaaaaaaaaaa",
                    "us-west-2", false, "backup-1", null, Duration.ofHours(1), null, null, s, null)), List.of()));
            Health health = indicator.health();
            Status expected = switch (s) {
                case OK, WARN -> Status.UP;
                case CRITICAL, MISSING, UNKNOWN -> Status.DOWN;
            };
            assertEquals(expected, health.getStatus(), s.name());
            assertEquals(s.name(), health.getDetails().get("worst"));
        }
    }

    private static FailureAnalysis failure(ApplicationContextRunner runner) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure, "start-up should fail");
            result[0] = new InvalidReplicatorPropertyFailureAnalyzer().analyze(failure);
            assertNotNull(result[0], () -> "not analysed: " + failure);
            assertInstanceOf(InvalidReplicatorPropertyException.class, result[0].getCause());
        });
        return result[0];
    }
}
