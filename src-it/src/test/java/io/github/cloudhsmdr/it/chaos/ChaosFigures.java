package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.emulator.RequestLog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The figures of a chaos run: what was injected, what the replicator did about it, and what the destinations
 * hold at the end. Thread-safe where the listener feeds it.
 */
final class ChaosFigures {
    final AtomicLong retries = new AtomicLong();
    final Map<ServiceErrorKind, AtomicLong> retriesByKind = new ConcurrentHashMap<>();
    int runs;
    int restarts;
    int pins;
    /** (destination/cluster) to when the operator pinned a copy of that group. */
    private final Map<String, List<Instant>> pinsByGroup = new HashMap<>();
    int regionDownDays;
    int unlistedDays;
    /** Runs reported SUCCESS although a destination lacked a live copy of a cluster's newest source backup. */
    final List<String> falseGreens = new ArrayList<>();
    /** Recovery-point measurements made with the source region down, and the destination points they reported. */
    int sourceDownMeasurements;
    int sourceDownPoints;
    final Map<RunStatus, Integer> statuses = new EnumMap<>(RunStatus.class);
    long copied;
    long copiesFailed;
    long copiesFailedEarly;
    long deleted;
    long deletedByRules;
    long duplicatesCleaned;
    long deletionsFailed;
    long pairsCleanedUp;
    long pairsDeferred;
    long pairsRetentionSkipped;
    long pairsFailed;
    /** Every failure of every run, by "kind after n attempts". */
    final Map<String, Integer> failures = new TreeMap<>();
    /** (destination/source backup) of every copy seen READY after some run. */
    private final java.util.Set<String> everReady = new java.util.HashSet<>();
    long pointDays;
    long criticalPointDays;
    Duration worstLag = Duration.ZERO;
    String worstLagWhere = "";
    /** (destination/source backup) to when retention deleted a copy of it, for the churn count. */
    private final Map<String, Instant> deletedPairs = new HashMap<>();
    private final Map<String, Deletion> deletedBy = new HashMap<>();

    void retried(RetryEvent e) {
        retries.incrementAndGet();
        retriesByKind.computeIfAbsent(e.kind(), k -> new AtomicLong()).incrementAndGet();
    }

    void add(ReplicationReport report) {
        runs++;
        statuses.merge(report.status(), 1, Integer::sum);
        copied += report.copied();
        report.allFailures().forEach(f -> failures.merge(f.kind() + "x" + f.attempts(), 1, Integer::sum));
        for (DestinationOutcome o : report.outcomes()) {
            if (o.failure() != null) {
                pairsFailed++;
            } else if (o.retentionNote().startsWith("skipped")) {
                pairsRetentionSkipped++;
            } else if (o.retentionNote().startsWith("deferred")) {
                pairsDeferred++;
            } else if (Invariants.cleanUpCompleted(o)) {
                pairsCleanedUp++;
            }
            for (var c : o.copies()) {
                if (c.action() == CopyAction.FAILED) {
                    copiesFailed++;
                    Failure f = c.failure();
                    if (f != null && f.kind().isTransient() && f.kind() != ServiceErrorKind.COPY_FAILED
                            && f.attempts() < RetryPolicy.defaults().maxAttempts()) {
                        copiesFailedEarly++;
                    }
                }
            }
            for (Deletion d : o.deletions()) {
                if (!d.succeeded()) {
                    deletionsFailed++;
                    continue;
                }
                deleted++;
                if (d.verdict() == RetentionVerdict.DELETE_DUPLICATE) {
                    duplicatesCleaned++;
                } else {
                    deletedByRules++;
                    deletedPairs.putIfAbsent(d.region() + "/" + d.sourceBackupId(), report.finishedAt());
                    deletedBy.putIfAbsent(d.region() + "/" + d.sourceBackupId(), d);
                }
            }
        }
    }

    /** Notes that the operator marked {@code copy} NeverExpires at {@code at}. */
    void pinned(Backup copy, Instant at) {
        pins++;
        pinsByGroup.computeIfAbsent(copy.region() + "/" + copy.sourceCluster(), k -> new ArrayList<>()).add(at);
    }

    /** Notes the copies READY now, for {@link #neverReached}. */
    void observeCopies(List<Backup> all) {
        all.stream().filter(b -> b.state() == BackupState.READY && b.sourceBackup() != null)
                .forEach(b -> everReady.add(b.region() + "/" + b.sourceBackup()));
    }

    /**
     * Measures, from the model's truth, how far each destination is behind for each cluster at {@code now}: the age
     * of the newest READY copy (anyone's) of the cluster's backups; older than {@code critical} is a breach of the
     * recovery point objective.
     */
    void measureRecoveryPoints(List<Backup> all, String source, List<String> clusters, List<String> destinations,
            Instant now, Duration critical) {
        for (String cluster : clusters) {
            for (String region : destinations) {
                Instant newest = all.stream().filter(b -> b.region().equals(region) && b.state() == BackupState.READY
                                && source.equals(b.sourceRegion()) && cluster.equals(b.sourceCluster()))
                        .map(Backup::createTimestamp).max(Instant::compareTo).orElse(Instant.EPOCH);
                Duration lag = Duration.between(newest, now);
                pointDays++;
                if (lag.compareTo(critical) > 0) {
                    criticalPointDays++;
                }
                if (lag.compareTo(worstLag) > 0) {
                    worstLag = lag;
                    worstLagWhere = cluster + " in " + region + " at " + now;
                }
            }
        }
    }

    /**
     * @return the (backup, destination) pairs, for the newest backup of each day of each cluster made since
     *         {@code start}, in which that backup never had a READY copy after any run
     */
    long neverReached(List<Backup> sourceBackups, List<String> destinations, Instant start, java.time.ZoneId zone) {
        Map<String, Backup> newestOfDay = new HashMap<>();
        for (Backup b : sourceBackups) {
            if (b.createTimestamp() == null || b.createTimestamp().isBefore(start) || b.isCopy()) {
                continue;
            }
            String key = b.clusterId() + "/" + b.createTimestamp().atZone(zone).toLocalDate();
            newestOfDay.merge(key, b, (x, y) -> x.createTimestamp().isAfter(y.createTimestamp()) ? x : y);
        }
        return newestOfDay.values().stream().mapToLong(b -> destinations.stream()
                .filter(r -> !everReady.contains(r + "/" + b.backupId())).count()).sum();
    }

    /** What the destinations hold at the end, from the model's truth. */
    /**
     * What the destinations hold at the end, from the model's truth.
     *
     * @param recopied   copies made of a backup after retention had deleted an earlier copy of it in that
     *                   destination by its rules
     * @param unexplained those of them with no pin in the group between the deletion and the new copy. A pin
     *                   explains one: NeverExpires copies take no slot in the keep rules, so pinning the newest copy
     *                   of a day or week makes the next newest backup of that bucket the one the rules keep, and
     *                   the planner copies it again once its earlier copy is DELETED.
     */
    record Holdings(long created, long failedInsideAws, long duplicatesCreated, List<String> recopied,
            List<String> unexplained, Map<String, String> perDestination) {
    }

    Holdings holdings(List<Backup> all, Invariants invariants, List<String> destinations, Instant start) {
        List<Backup> made = all.stream().filter(b -> destinations.contains(b.region()) && invariants.ours(b)
                && b.copyTimestamp() != null && !b.copyTimestamp().isBefore(start)).collect(Collectors.toList());
        long failed = made.stream().filter(ChaosFigures::failedInsideAws).count();
        Map<String, List<Backup>> perPair = made.stream().filter(b -> !failedInsideAws(b))
                .collect(Collectors.groupingBy(b -> b.region() + "/" + b.sourceBackup()));
        long duplicates = perPair.values().stream().mapToLong(l -> l.size() - 1L).sum();
        List<String> recopied = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (Backup b : made) {
            String pair = b.region() + "/" + b.sourceBackup();
            Instant deletedAt = deletedPairs.get(pair);
            if (deletedAt == null || !b.copyTimestamp().isAfter(deletedAt)) {
                continue;
            }
            String line = Invariants.describe(b) + " copied at " + b.copyTimestamp() + " after the run ending "
                    + deletedAt + " deleted " + deletedBy.get(pair);
            recopied.add(line);
            boolean pinnedBetween = pinsByGroup.getOrDefault(b.region() + "/" + b.sourceCluster(), List.of()).stream()
                    .anyMatch(t -> t.isAfter(deletedAt) && t.isBefore(b.copyTimestamp()));
            if (!pinnedBetween) {
                unexplained.add(line);
            }
        }
        Map<String, String> per = new TreeMap<>();
        for (String region : destinations) {
            List<Backup> ours = all.stream().filter(b -> b.region().equals(region) && invariants.ours(b)).toList();
            per.put(region, "READY " + ours.stream().filter(b -> b.state() == BackupState.READY).count()
                    + ", PENDING_DELETION " + ours.stream().filter(b -> b.state() == BackupState.PENDING_DELETION).count()
                    + ", DELETED " + ours.stream().filter(b -> b.state() == BackupState.DELETED).count()
                    + "; a full listing takes " + pages(all.stream().filter(b -> b.region().equals(region)).count())
                    + " pages");
        }
        return new Holdings(made.size(), failed, duplicates, recopied, unexplained, per);
    }

    private static long pages(long backups) {
        return Math.max(1, (backups + CloudHsmModel.MAX_BACKUPS_PAGE - 1) / CloudHsmModel.MAX_BACKUPS_PAGE);
    }

    /** A copy that failed inside AWS turned DELETED without ever being deleted (no DeleteTimestamp). */
    static boolean failedInsideAws(Backup b) {
        return b.state() == BackupState.DELETED && b.deleteTimestamp() == null;
    }

    String format(ChaosSettings settings, FaultInjector faults, RequestLog requests, Holdings h, int lost,
            long neverReached, String recoveryPoints, Duration virtualTime, Duration wallTime) {
        List<String> lines = new ArrayList<>();
        lines.add("Chaos figures (seed " + settings.seed() + "; replay with " + settings.replayArguments() + ")");
        lines.add("  simulated days   : " + settings.days() + " (" + settings.faultyDays() + " with faults, "
                + settings.tailDays() + " fault-free); virtual time " + virtualTime.toDays() + "d "
                + virtualTime.toHoursPart() + "h; wall time " + wallTime.toSeconds() + " s");
        lines.add("  runs             : " + runs + " " + statuses + "; restarts " + restarts + "; copies pinned by "
                + "the operator " + pins);
        lines.add("  faults injected  : " + faults.counts() + "; days with a region down " + regionDownDays
                + "; days with copies unlisted for a while " + unlistedDays);
        lines.add("  requests         : " + requests.size() + " (errors or no response "
                + requests.count(e -> !e.succeeded()) + ")");
        Map<ServiceErrorKind, Long> byKind = new TreeMap<>();
        retriesByKind.forEach((k, v) -> byKind.put(k, v.get()));
        lines.add("  retries          : " + retries.get() + " " + byKind);
        lines.add("  copies made      : " + copied + " reported COPIED; " + h.created() + " created in destinations, "
                + h.failedInsideAws() + " of them failed inside AWS; copy items failed " + copiesFailed
                + " (gave up before " + RetryPolicy.defaults().maxAttempts() + " attempts on the run's retry budget: "
                + copiesFailedEarly + ")");
        lines.add("  duplicates       : created " + h.duplicatesCreated() + ", cleaned (DELETE_DUPLICATE) "
                + duplicatesCleaned);
        lines.add("  deletions        : " + deleted + " (by the rules " + deletedByRules + ", duplicates "
                + duplicatesCleaned + "), failed " + deletionsFailed + "; re-copied after deletion "
                + h.recopied().size() + " (not explained by a pin: " + h.unexplained().size() + ")");
        lines.add("  retention pairs  : cleaned up " + pairsCleanedUp + ", deferred " + pairsDeferred
                + ", skipped (listing failed) " + pairsRetentionSkipped + ", pair failed " + pairsFailed);
        lines.add("  failures         : " + failures.values().stream().mapToInt(Integer::intValue).sum()
                + " by kind x attempts " + failures);
        lines.add("  backups lost     : " + lost + " (daily backups that never reached a destination, outside the "
                + "window once faults stopped: " + neverReached + " backup-destination pairs)");
        lines.add("  recovery points  : at the end " + recoveryPoints + "; after each day's last run (from day 1), cluster-"
                + "destination points older than 32 h: " + criticalPointDays + " of " + pointDays + ", worst lag "
                + worstLag.toHours() + " h (" + worstLagWhere + ")");
        lines.add("  destinations     : " + h.perDestination());
        lines.add("  false greens     : " + falseGreens.size() + " (runs reported SUCCESS while a destination lacked "
                + "a live copy of a cluster's newest source backup)");
        lines.add("  source down      : " + sourceDownMeasurements + " recovery-point measurements, "
                + sourceDownPoints + " destination points reported");
        return String.join(System.lineSeparator(), lines);
    }
}
