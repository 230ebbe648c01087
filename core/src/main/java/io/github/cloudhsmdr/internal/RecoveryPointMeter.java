package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;

/**
 * Measures the recovery point each region holds per cluster. Every READY copy of the cluster from the
 * source region counts, whoever made it: what matters in a disaster is what can be restored.
 */
final class RecoveryPointMeter {
    private final ReplicatorConfig config;
    private final StoreCalls calls;
    private final RunTasks tasks;

    RecoveryPointMeter(ReplicatorConfig config, StoreCalls calls, RunTasks tasks) {
        this.config = config;
        this.calls = calls;
        this.tasks = tasks;
    }

    RecoveryPointReport measure() {
        Instant now = config.clock().instant();
        String source = config.sourceRegion();
        List<Failure> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> clusters = new TreeSet<>();
        Set<String> gone = new TreeSet<>();
        Failure sourceFailure = null;
        // the destinations (up to maxConcurrentDestinations at once) are read side by side with the source
        Map<String, Future<List<Backup>>> destinationListings = tasks.startEach(config.destinationRegions(),
                config.maxConcurrentDestinations(),
                region -> calls.listBackups(region, null, BackupFilter.states(BackupState.READY)));
        try {
            SourceClusters.Resolved resolved = SourceClusters.resolve(config, calls);
            clusters.addAll(resolved.present());
            gone.addAll(resolved.missing().keySet());
        } catch (CallFailedException e) {
            sourceFailure = e.failure();
            clusters.addAll(config.clusterIds());
        }
        // the destinations first: on the day the source is down, they are what can be restored
        Map<String, List<Backup>> readyByRegion = new HashMap<>();
        Map<String, Failure> regionFailures = new HashMap<>();
        for (String region : config.destinationRegions()) {
            try {
                readyByRegion.put(region, RunTasks.join(destinationListings.get(region)));
            } catch (CallFailedException e) {
                regionFailures.put(region, e.failure());
            }
        }
        if (config.clusterIds().isEmpty()) {
            // clusters known from their copies (SourceCluster or the provenance tag): gone from the source, or
            // all of them when the source cannot be listed
            readyByRegion.values().forEach(list -> list.stream().filter(b -> source.equals(b.originRegion()))
                    .map(Backup::originCluster).filter(c -> c != null && !clusters.contains(c))
                    .forEach(gone::add));
        }
        if (sourceFailure != null) {
            clusters.addAll(gone);
            gone.clear();
        }
        Set<String> all = new TreeSet<>(clusters);
        all.addAll(gone);
        if (sourceFailure == null && !all.isEmpty()) {
            try {
                readyByRegion.put(source, calls.listBackups(source, null,
                        BackupFilter.clusters(List.copyOf(all), BackupState.READY)));
            } catch (CallFailedException e) {
                sourceFailure = e.failure();
            }
        }
        if (sourceFailure != null) {
            failures.add(sourceFailure);
            regionFailures.put(source, sourceFailure);
        }
        if (all.isEmpty() && sourceFailure == null) {
            notes.add("nothing to measure: no clusters in " + source);
        }
        List<String> regions = new ArrayList<>();
        regions.add(source);
        regions.addAll(config.destinationRegions());
        List<RecoveryPoint> points = new ArrayList<>();
        for (String cluster : all) {
            Optional<Backup> newestAtSource = newest(readyByRegion.get(source), b -> !b.isCopy()
                    && cluster.equals(b.clusterId()) && CopySanity.believable(b, now));
            List<RecoveryPoint> clusterPoints = new ArrayList<>();
            for (String region : regions) {
                boolean isSource = region.equals(source);
                Failure failure = regionFailures.get(region);
                if (failure != null) {
                    clusterPoints.add(new RecoveryPoint(cluster, region, isSource, null, null, null, null, null,
                            RecoveryPointStatus.UNKNOWN, failure));
                    continue;
                }
                Optional<Backup> newest = isSource ? newestAtSource
                        : newest(readyByRegion.get(region), b -> isCopyOf(b, cluster, source)
                                && CopySanity.believable(b, now));
                clusterPoints.add(point(cluster, region, isSource, newest, newestAtSource, now));
            }
            points.addAll(clusterPoints);
            String best = bestCopy(clusterPoints);
            if (sourceFailure != null) {
                notes.add("source " + source + " cannot be read, so " + cluster + " is UNKNOWN there; " + best);
            } else if (gone.contains(cluster)) {
                notes.add("source cluster " + cluster + " no longer exists in " + source + "; " + best);
            }
        }
        return new RecoveryPointReport(config.name(), now, config.rpoWarnAfter(), config.rpoCriticalAfter(),
                points, failures, notes);
    }

    /** @return where the newest READY copy of a cluster is, in words, for the report's notes. */
    private static String bestCopy(List<RecoveryPoint> clusterPoints) {
        return clusterPoints.stream().filter(p -> !p.source() && p.backupId() != null && p.createTimestamp() != null)
                .max(Comparator.comparing(RecoveryPoint::createTimestamp))
                .map(p -> "newest copy in " + p.region() + " is " + p.backupId() + " from " + p.createTimestamp()
                        + " (the best restore point)")
                .orElse("no READY copy of it in any destination region");
    }

    private RecoveryPoint point(String cluster, String region, boolean isSource, Optional<Backup> newest,
            Optional<Backup> newestAtSource, Instant now) {
        if (newest.isEmpty() || newest.get().createTimestamp() == null) {
            return new RecoveryPoint(cluster, region, isSource, newest.map(Backup::backupId).orElse(null), null, null,
                    null, null, RecoveryPointStatus.MISSING, null);
        }
        Backup b = newest.get();
        Duration age = Duration.between(b.createTimestamp(), now);
        Duration lag = b.copyTimestamp() == null ? null : Duration.between(b.createTimestamp(), b.copyTimestamp());
        Duration behind = newestAtSource.map(Backup::createTimestamp)
                .map(s -> s.isAfter(b.createTimestamp()) ? Duration.between(b.createTimestamp(), s) : Duration.ZERO)
                .orElse(null);
        RecoveryPointStatus status = age.compareTo(config.rpoCriticalAfter()) > 0 ? RecoveryPointStatus.CRITICAL
                : age.compareTo(config.rpoWarnAfter()) > 0 ? RecoveryPointStatus.WARN : RecoveryPointStatus.OK;
        return new RecoveryPoint(cluster, region, isSource, b.backupId(), b.createTimestamp(), age, lag, behind,
                status, null);
    }

    static boolean isCopyOf(Backup b, String cluster, String sourceRegion) {
        return sourceRegion.equals(b.originRegion()) && cluster.equals(b.originCluster());
    }

    private static Optional<Backup> newest(List<Backup> backups, java.util.function.Predicate<Backup> filter) {
        return backups == null ? Optional.empty() : CopyLookup.newestReady(backups, filter);
    }
}
