package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static io.github.cloudhsmdr.it.chaos.ChaosWorld.DESTINATIONS;
import static io.github.cloudhsmdr.it.chaos.ChaosWorld.NAME;
import static io.github.cloudhsmdr.it.chaos.ChaosWorld.POLICY;
import static io.github.cloudhsmdr.it.chaos.ChaosWorld.SELECTION;
import static io.github.cloudhsmdr.it.chaos.ChaosWorld.SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Chaos: the replicator with retention runs day after simulated day against the CloudHSM emulator over HTTP (the
 * real {@code AwsBackupStore} and AWS SDK client) while seeded faults hit it — throttling (30 % of requests),
 * internal failures (5 %), service errors (2 %), latency, a destination region down for a whole day, copies that
 * fail inside AWS, copies that stay unlisted for a while (eventual consistency), copy responses cut off after the
 * copy was made, process restarts and an operator pinning copies — followed by a tail of fault-free days. After
 * every run the invariants of {@link Invariants} are checked; a failure names the seed and the day.
 *
 * <p>Everything runs on one virtual clock: the emulator's model, the replicator's clock and sleeper, the emulator's
 * latency. No fault here withholds a response for real time (the cut-off copy response closes the connection).
 *
 * <p>The default is a fixed seed and {@value ChaosSettings#DEFAULT_DAYS} days; the figures are logged at the end
 * (in {@code src-it/target/surefire-reports/io.github.cloudhsmdr.it.chaos.ChaosTest-output.txt}). A long randomised
 * run:
 *
 * <pre>
 * mvn -o -B -pl src-it -am verify -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dchaos.days=365 -Dchaos.seed=random
 * </pre>
 *
 * Other settings: {@code -Dchaos.tail=<fault-free days>} (default {@value ChaosSettings#DEFAULT_TAIL_DAYS}) and
 * {@code -Dchaos.destinationThreads=<n>} (default 1; with more, destinations are worked on at once, and the same seed
 * no longer replays the same sequence of faults). To replay a failure, pass the seed and settings it printed.
 */
class ChaosTest {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosTest.class);
    /** The replicator's default recovery point objective: critical after 32 h. */
    private static final Duration CRITICAL_AFTER = Duration.ofHours(32);

    @Test
    void replicatorKeepsItsInvariantsThroughDaysOfFaults() {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        LOG.info("Chaos run seed={}; replay with {}", settings.seed(), settings.replayArguments());
        long wallStart = System.nanoTime();
        try (ChaosWorld world = new ChaosWorld(settings.seed())) {
            world.seed();
            new Run(settings, world).all(wallStart);
        }
    }

    /** One chaos run: the day loop and its checks. */
    private static final class Run {
        private final ChaosSettings settings;
        private final ChaosWorld world;
        private final Invariants invariants;
        private final ChaosFigures figures = new ChaosFigures();
        private final ReplicationListener listener;
        private BackupReplicator replicator;
        private DayPlan today;

        Run(ChaosSettings settings, ChaosWorld world) {
            this.settings = settings;
            this.world = world;
            this.invariants = new Invariants(world.model(), NAME, SOURCE, DESTINATIONS, POLICY, SELECTION.lookBack());
            this.listener = new ReplicationListener() {
                @Override
                public void onRetry(RetryEvent event) {
                    figures.retried(event);
                }

                @Override
                public void onCopyDeleted(Deletion deletion) {
                    invariants.copyDeleted(deletion);
                }
            };
        }

        void all(long wallStart) {
            List<DayPlan> days = DayPlan.draw(settings.seed(), settings, DESTINATIONS, world.clusters.size());
            check(invariants.observe(), "before the first run", null);
            replicator = world.newReplicator(settings, listener);
            ReplicationReport last = null;
            try {
                for (DayPlan day : days) {
                    last = day(day);
                    if (day.day() == 0) {
                        continue; // the first day catches up on the history: its lag says nothing about the faults
                    }
                    figures.measureRecoveryPoints(world.model().allBackups(), SOURCE, world.clusters, DESTINATIONS,
                            world.clock.instant(), CRITICAL_AFTER);
                }
                Instant lastPlanned = last.startedAt();
                List<String> missing = invariants.checkEligibleReached(lastPlanned);
                RecoveryPointReport rpo = replicator.measureRecoveryPoints();
                ChaosFigures.Holdings holdings = figures.holdings(world.model().allBackups(), invariants, DESTINATIONS,
                        ChaosWorld.START);
                long neverReached = figures.neverReached(world.model().backupsIn(SOURCE), DESTINATIONS,
                        ChaosWorld.START, POLICY.zone());
                String text = figures.format(settings, world.faults(), world.emulator.requestLog(), holdings,
                        missing.size(), neverReached, rpo.worst() + " (" + rpo.points().size() + " points)",
                        Duration.between(ChaosWorld.START, world.clock.instant()),
                        Duration.ofNanos(System.nanoTime() - wallStart));
                LOG.info("{}{}", System.lineSeparator(), text);
                check(missing, "backups lost after the fault-free tail", null);
                assertEquals(RecoveryPointStatus.OK, rpo.worst(), failureHeader("recovery points after the tail")
                        + rpo.describe());
                holdings.recopied().forEach(line -> LOG.info("Re-copied after deletion: {}", line));
                assertEquals(List.of(), holdings.unexplained(), failureHeader("no churn")
                        + "copies were made again after retention deleted an earlier copy of the same backup");
                assertEquals(List.of(), figures.falseGreens, failureHeader("false greens"));
            } finally {
                replicator.close();
            }
        }

        private ReplicationReport day(DayPlan day) {
            today = day;
            Instant midnight = ChaosWorld.START.plus(Duration.ofDays(day.day()));
            world.advanceTo(midnight);
            day.apply(world.faults(), world.model(), DESTINATIONS);
            if (day.regionDown() != null) {
                figures.regionDownDays++;
            }
            if (!day.visibilityDelay().isZero()) {
                figures.unlistedDays++;
            }
            LOG.info("{}", day.describe());
            Instant backupAt = midnight.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(day.backupMinute()));
            world.advanceTo(backupAt);
            for (String cluster : world.clusters) {
                world.model().addBackup(SOURCE, cluster, backupAt);
            }
            world.advanceTo(midnight.plus(Duration.ofHours(2)));
            if (day.restart()) {
                restart();
            }
            ReplicationReport report = run("morning");
            if (day.faulty() && day.day() % 10 == 5) {
                measureWithTheSourceDown();
            }
            boolean firstFaultFree = !day.faulty() && day.day() == settings.faultyDays();
            if (firstFaultFree) {
                // the copies of the first fault-free run complete; then everything eligible must be in place
                world.clock.advance(day.copyDelay());
            }
            if (!day.faulty()) {
                checkDelivered(report, firstFaultFree ? "first fault-free run" : "fault-free run");
            }
            if (day.pin()) {
                pinOneCopy(day.pick());
            }
            if (day.rerun()) {
                world.clock.advance(DayPlan.RERUN_AFTER);
                if (day.rerunRestart()) {
                    restart();
                }
                report = run("re-run");
            }
            if (day.secondBackup() >= 0) {
                Instant at = midnight.plus(Duration.ofHours(13)).plus(Duration.ofMinutes(day.backupMinute()));
                world.advanceTo(at);
                world.model().addBackup(SOURCE, world.clusters.get(day.secondBackup()), at);
            }
            if (day.afternoonRun()) {
                world.advanceTo(midnight.plus(Duration.ofHours(14)));
                report = run("afternoon");
                if (!day.faulty()) {
                    checkDelivered(report, "fault-free afternoon run");
                }
            }
            return report;
        }

        /** A process restart: a new replicator, without the old one's memory of copies in flight. */
        private void restart() {
            replicator.close();
            replicator = world.newReplicator(settings, listener);
            figures.restarts++;
        }

        private ReplicationReport run(String when) {
            ReplicationReport report = replicator.replicate();
            figures.add(report);
            figures.observeCopies(world.model().allBackups());
            check(invariants.checkRun(report), when + " run", report);
            if (report.status() == RunStatus.SUCCESS) {
                falseGreens(report, when);
            }
            return report;
        }

        /** SUCCESS promises that every destination holds (a live copy of) each cluster's newest source backup. */
        private void falseGreens(ReplicationReport report, String when) {
            List<Backup> all = world.model().allBackups();
            for (String cluster : world.clusters) {
                Backup newest = all.stream().filter(b -> b.region().equals(SOURCE) && cluster.equals(b.clusterId())
                                && !b.isCopy() && b.state() == BackupState.READY && b.createTimestamp() != null
                                && !b.createTimestamp().isAfter(report.startedAt()))
                        .max(Comparator.comparing(Backup::createTimestamp)).orElse(null);
                if (newest == null) {
                    continue;
                }
                for (String d : DESTINATIONS) {
                    boolean held = all.stream().anyMatch(b -> b.region().equals(d)
                            && newest.backupId().equals(b.sourceBackup()) && b.state().isLive());
                    if (!held) {
                        figures.falseGreens.add(today.describe() + " " + when + ": " + d + " lacks "
                                + newest.backupId());
                    }
                }
            }
        }

        /** The day of the disaster: the source region is down, the destinations must still be measured. */
        private void measureWithTheSourceDown() {
            world.faults().regionDown(SOURCE);
            try {
                RecoveryPointReport rpo = replicator.measureRecoveryPoints();
                figures.sourceDownMeasurements++;
                for (String cluster : world.clusters) {
                    for (String d : DESTINATIONS) {
                        RecoveryPoint p = rpo.points().stream().filter(x -> x.clusterId().equals(cluster)
                                && x.region().equals(d)).findFirst().orElse(null);
                        if (p == null) {
                            fail(failureHeader("source down") + "no recovery point for " + cluster + " in " + d
                                    + System.lineSeparator() + rpo.describe());
                        }
                        figures.sourceDownPoints++;
                    }
                }
                assertEquals(RecoveryPointStatus.UNKNOWN, rpo.points().stream().filter(RecoveryPoint::source)
                        .map(RecoveryPoint::status).findFirst().orElseThrow(), rpo.describe());
            } finally {
                world.faults().regionUp(SOURCE);
            }
        }

        private void checkDelivered(ReplicationReport report, String when) {
            check(invariants.checkSteadyState(), when, report);
            check(invariants.checkEligibleReached(report.startedAt()), when, report);
        }

        /** The operator marks one of the replicator's READY copies NeverExpires: from now on it is hands off. */
        private void pinOneCopy(int pick) {
            List<Backup> candidates = world.model().allBackups().stream()
                    .filter(b -> DESTINATIONS.contains(b.region()) && invariants.ours(b) && !b.neverExpires()
                            && b.state() == BackupState.READY)
                    .sorted(Comparator.comparing(Backup::region).thenComparing(Backup::backupId)).toList();
            if (candidates.isEmpty()) {
                return;
            }
            Backup b = candidates.get(pick % candidates.size());
            world.model().modifyBackupAttributes(b.region(), b.backupId(), true);
            figures.pinned(b, world.clock.instant());
            LOG.info("Operator pinned {}", Invariants.describe(b));
            check(invariants.observe(), "after pinning " + b.backupId(), null);
        }

        private void check(List<String> violations, String when, ReplicationReport report) {
            if (!violations.isEmpty()) {
                fail(failureHeader(when) + String.join(System.lineSeparator(), violations)
                        + (report == null ? "" : System.lineSeparator() + report.describe()));
            }
        }

        private String failureHeader(String when) {
            return "Chaos " + settings.replayArguments() + ", "
                    + (today == null ? "setup" : today.describe()) + ", " + when + " (clock "
                    + world.clock.instant() + "):" + System.lineSeparator();
        }
    }
}
