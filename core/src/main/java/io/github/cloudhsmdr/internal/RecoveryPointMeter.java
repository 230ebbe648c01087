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

/**
 * Measures the recovery point each region holds per cluster. Every READY copy of the cluster from the
 * source region counts, whoever made it: what matters in a disaster is what can be restored.
 */
final class RecoveryPointMeter {
    private static final Comparator<Backup> BY_CREATED = Comparator.comparing(Backup::createTimestamp,
            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Backup::backupId);

    private final ReplicatorConfig config;
    private final StoreCalls calls;

    RecoveryPointMeter(ReplicatorConfig config, StoreCalls calls) {
        this.config = config;
        this.calls = calls;
    }

    RecoveryPointReport measure() {
        Instant now = config.clock().instant();
        String source = config.sourceRegion();
        List<Failure> failures = new ArrayList<>();
        List<String> clusters = List.of();
        try {
            clusters = SourceClusters.resolve(config, calls);
        } catch (CallFailedException e) {
            failures.add(e.failure());
        }
        Map<String, List<Backup>> readyByRegion = new HashMap<>();
        Map<String, Failure> regionFailures = new HashMap<>();
        List<String> regions = new ArrayList<>();
        regions.add(source);
        regions.addAll(config.destinationRegions());
        if (!clusters.isEmpty()) {
            for (String region : regions) {
                try {
                    BackupFilter filter = region.equals(source)
                            ? BackupFilter.clusters(clusters, BackupState.READY)
                            : BackupFilter.states(BackupState.READY);
                    readyByRegion.put(region, calls.listBackups(region, null, filter));
                } catch (CallFailedException e) {
                    regionFailures.put(region, e.failure());
                }
            }
        }
        List<RecoveryPoint> points = new ArrayList<>();
        for (String cluster : clusters) {
            Optional<Backup> newestAtSource = newest(readyByRegion.get(source), b -> !b.isCopy()
                    && cluster.equals(b.clusterId()) && CopySanity.believable(b, now));
            for (String region : regions) {
                boolean isSource = region.equals(source);
                Failure failure = regionFailures.get(region);
                if (failure != null) {
                    points.add(new RecoveryPoint(cluster, region, isSource, null, null, null, null, null,
                            RecoveryPointStatus.UNKNOWN, failure));
                    continue;
                }
                Optional<Backup> newest = isSource ? newestAtSource
                        : newest(readyByRegion.get(region), b -> isCopyOf(b, cluster, source)
                                && CopySanity.believable(b, now));
                points.add(point(cluster, region, isSource, newest, newestAtSource, now));
            }
        }
        return new RecoveryPointReport(config.name(), now, config.rpoWarnAfter(), config.rpoCriticalAfter(),
                points, failures);
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
        if (backups == null) {
            return Optional.empty();
        }
        return backups.stream().filter(b -> b.state() == BackupState.READY).filter(filter).max(BY_CREATED);
    }
}
