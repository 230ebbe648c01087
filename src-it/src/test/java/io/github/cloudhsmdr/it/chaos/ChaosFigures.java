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
    int regionDownDays;
    int unlistedDays;
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
    /** (destination/source backup) to when retention deleted a copy of it, for the churn count. */
    private final Map<String, Instant> deletedPairs = new HashMap<>();

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
                }
            }
        }
    }

    /** What the destinations hold at the end, from the model's truth. */
    record Holdings(long created, long failedInsideAws, long duplicatesCreated, long recopiedAfterDeletion,
            Map<String, String> perDestination) {
    }

    Holdings holdings(List<Backup> all, Invariants invariants, List<String> destinations, Instant start) {
        List<Backup> made = all.stream().filter(b -> destinations.contains(b.region()) && invariants.ours(b)
                && b.copyTimestamp() != null && !b.copyTimestamp().isBefore(start)).collect(Collectors.toList());
        long failed = made.stream().filter(ChaosFigures::failedInsideAws).count();
        Map<String, List<Backup>> perPair = made.stream().filter(b -> !failedInsideAws(b))
                .collect(Collectors.groupingBy(b -> b.region() + "/" + b.sourceBackup()));
        long duplicates = perPair.values().stream().mapToLong(l -> l.size() - 1L).sum();
        long recopied = made.stream().filter(b -> {
            Instant deletedAt = deletedPairs.get(b.region() + "/" + b.sourceBackup());
            return deletedAt != null && b.copyTimestamp().isAfter(deletedAt);
        }).count();
        Map<String, String> per = new TreeMap<>();
        for (String region : destinations) {
            List<Backup> ours = all.stream().filter(b -> b.region().equals(region) && invariants.ours(b)).toList();
            per.put(region, "READY " + ours.stream().filter(b -> b.state() == BackupState.READY).count()
                    + ", PENDING_DELETION " + ours.stream().filter(b -> b.state() == BackupState.PENDING_DELETION).count()
                    + ", DELETED " + ours.stream().filter(b -> b.state() == BackupState.DELETED).count());
        }
        return new Holdings(made.size(), failed, duplicates, recopied, per);
    }

    /** A copy that failed inside AWS turned DELETED without ever being deleted (no DeleteTimestamp). */
    static boolean failedInsideAws(Backup b) {
        return b.state() == BackupState.DELETED && b.deleteTimestamp() == null;
    }

    String format(ChaosSettings settings, FaultInjector faults, RequestLog requests, Holdings h, int lost,
            String recoveryPoints, Duration virtualTime, Duration wallTime) {
        List<String> lines = new ArrayList<>();
        lines.add("Chaos figures (seed " + settings.seed() + "; replay with -Dchaos.seed=" + settings.seed()
                + " -Dchaos.days=" + settings.days() + " -Dchaos.tail=" + settings.tailDays()
                + " -Dchaos.destinationThreads=" + settings.destinationThreads() + ")");
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
                + h.recopiedAfterDeletion());
        lines.add("  retention pairs  : cleaned up " + pairsCleanedUp + ", deferred " + pairsDeferred
                + ", skipped (listing failed) " + pairsRetentionSkipped + ", pair failed " + pairsFailed);
        lines.add("  failures         : " + failures.values().stream().mapToInt(Integer::intValue).sum()
                + " by kind x attempts " + failures);
        lines.add("  backups lost     : " + lost);
        lines.add("  recovery points  : " + recoveryPoints);
        lines.add("  destinations     : " + h.perDestination());
        return String.join(System.lineSeparator(), lines);
    }
}
