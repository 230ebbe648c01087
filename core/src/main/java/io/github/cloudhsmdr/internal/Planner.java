package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedAction;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.internal.retention.RetentionEvaluation;
import io.github.cloudhsmdr.internal.retention.RetentionEvaluator;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes a {@link ReplicationPlan}: which source backups are selected and, per destination, whether each
 * is already there. Reads only; never changes anything.
 */
final class Planner {
    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
    private static final Comparator<Backup> NEWEST_FIRST = Comparator.comparing(Backup::createTimestamp,
            Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(Backup::backupId);

    private final ReplicatorConfig config;
    private final InFlightCopies inFlight;

    Planner(ReplicatorConfig config, InFlightCopies inFlight) {
        this.config = config;
        this.inFlight = inFlight;
    }

    /** The source backups selected for one cluster, and those left out on purpose. */
    private record ClusterSelection(String clusterId, List<Backup> selected, List<PlannedCopy> skipped) {
    }

    ReplicationPlan plan(StoreCalls calls) {
        Instant now = config.clock().instant();
        String source = config.sourceRegion();
        List<Failure> failures = new ArrayList<>();

        List<String> clusterIds = List.of();
        try {
            clusterIds = SourceClusters.resolve(config, calls);
        } catch (CallFailedException e) {
            failures.add(e.failure());
        }

        List<ClusterSelection> selections = new ArrayList<>();
        for (String clusterId : clusterIds) {
            try {
                List<Backup> ready = calls.listBackups(source, clusterId,
                        BackupFilter.clusters(List.of(clusterId), BackupState.READY));
                selections.add(select(clusterId, ready, now));
            } catch (CallFailedException e) {
                failures.add(e.failure());
            }
        }

        Set<String> candidateIds = new TreeSet<>();
        selections.forEach(s -> s.selected().forEach(b -> candidateIds.add(b.backupId())));

        List<DestinationPlan> destinations = new ArrayList<>();
        Optional<RetentionEvaluator> retention = config.retentionPolicy()
                .map(p -> new RetentionEvaluator(p, config.name(), source));
        for (String destination : config.destinationRegions()) {
            List<Backup> existing = List.of();
            RetentionEvaluation evaluation = null;
            Failure listFailure = null;
            try {
                if (retention.isPresent()) {
                    Inventory inventory = Inventory.read(calls, destination);
                    existing = inventory.backups();
                    evaluation = retention.get().evaluate(destination, inventory.backups(),
                            inventory.localClusterIds(), now);
                } else if (!candidateIds.isEmpty()) {
                    existing = calls.listBackups(destination, null, BackupFilter.sourceBackupIds(candidateIds));
                }
            } catch (CallFailedException e) {
                listFailure = e.failure();
            }
            Map<String, List<Backup>> bySource = existing.stream()
                    .filter(b -> b.originBackup() != null && candidateIds.contains(b.originBackup()))
                    .collect(Collectors.groupingBy(Backup::originBackup, LinkedHashMap::new, Collectors.toList()));
            for (ClusterSelection s : selections) {
                if (listFailure != null) {
                    destinations.add(new DestinationPlan(s.clusterId(), destination, List.of(), listFailure));
                    continue;
                }
                List<PlannedCopy> items = new ArrayList<>();
                for (Backup b : s.selected()) {
                    items.add(classify(b, destination, bySource.getOrDefault(b.backupId(), List.of()), now));
                }
                if (evaluation != null) {
                    items = withoutChurn(s.clusterId(), items, evaluation);
                }
                items.addAll(s.skipped());
                destinations.add(new DestinationPlan(s.clusterId(), destination, items, null,
                        evaluation == null ? List.of() : evaluation.decisionsFor(s.clusterId())));
            }
        }
        ReplicationPlan plan = new ReplicationPlan(config.name(), source, now, destinations, failures);
        LOG.debug("Planned replicator={} source={} pairs={} copies={} failures={}", config.name(), source,
                destinations.size(), plan.copyCount(), failures.size());
        return plan;
    }

    private ClusterSelection select(String clusterId, List<Backup> readyBackups, Instant now) {
        List<PlannedCopy> skipped = new ArrayList<>();
        List<Backup> own = new ArrayList<>();
        for (Backup b : readyBackups) {
            if (b.state() != BackupState.READY) {
                continue;
            }
            if (b.isCopy() && !config.includeCopies()) {
                skipped.add(new PlannedCopy(b.backupId(), b.createTimestamp(), PlannedAction.SKIP,
                        "is itself a copy of " + b.sourceBackup() + " from " + b.sourceRegion()
                                + "; copies are not exported again (includeCopies=false)", null, b.tags()));
                continue;
            }
            own.add(b);
        }
        own.sort(NEWEST_FIRST);
        List<Backup> selected;
        if (config.selection().latestOnly()) {
            selected = own.isEmpty() ? List.of() : List.of(own.get(0));
        } else {
            Instant from = now.minus(config.selection().lookBack());
            // A READY backup without a CreateTimestamp cannot be aged: it is copied rather than missed.
            selected = own.stream().filter(b -> b.createTimestamp() == null || !b.createTimestamp().isBefore(from))
                    .collect(Collectors.toList());
        }
        return new ClusterSelection(clusterId, selected, skipped);
    }

    /**
     * No churn: a backup whose copy retention would delete straight away is not copied, whether it is older
     * than what the policy keeps or its earlier copy was deleted by retention. All of a cluster's candidates
     * are asked at once, since copies made in one run compete for the same slots.
     */
    private static List<PlannedCopy> withoutChurn(String clusterId, List<PlannedCopy> items,
            RetentionEvaluation evaluation) {
        Map<String, Instant> candidates = new LinkedHashMap<>();
        items.stream().filter(PlannedCopy::copies).filter(i -> i.createTimestamp() != null)
                .forEach(i -> candidates.put(i.sourceBackupId(), i.createTimestamp()));
        if (candidates.isEmpty()) {
            return items;
        }
        Set<String> kept = evaluation.wouldKeep(clusterId, candidates);
        List<PlannedCopy> result = new ArrayList<>();
        for (PlannedCopy i : items) {
            if (candidates.containsKey(i.sourceBackupId()) && !kept.contains(i.sourceBackupId())) {
                result.add(new PlannedCopy(i.sourceBackupId(), i.createTimestamp(), PlannedAction.SKIP,
                        "retention would not keep a copy of it (" + evaluation.policy()
                                + "); not copied, so it is never copied and deleted again", i.existingCopyId(),
                        i.sourceTags()));
            } else {
                result.add(i);
            }
        }
        return result;
    }

    private PlannedCopy classify(Backup source, String destination, List<Backup> copies, Instant now) {
        String id = source.backupId();
        Optional<Backup> ready = newest(copies, BackupState.READY);
        if (ready.isPresent()) {
            inFlight.forget(destination, id);
            return item(source, PlannedAction.ALREADY_PRESENT, "READY copy in " + destination, ready.get());
        }
        Optional<Backup> creating = newest(copies, BackupState.CREATE_IN_PROGRESS);
        if (creating.isPresent()) {
            inFlight.forget(destination, id);
            return item(source, PlannedAction.IN_PROGRESS, "copy is CREATE_IN_PROGRESS in " + destination,
                    creating.get());
        }
        Optional<Backup> pending = newest(copies, BackupState.PENDING_DELETION);
        if (pending.isPresent()) {
            return item(source, PlannedAction.PENDING_DELETION, "copy is PENDING_DELETION in " + destination
                    + " (deleted on purpose); not copied again", pending.get());
        }
        Optional<Backup> unknown = newest(copies, BackupState.UNKNOWN);
        if (unknown.isPresent()) {
            return item(source, PlannedAction.SKIP, "copy is in a state this library does not know in "
                    + destination + "; not copied again", unknown.get());
        }
        Optional<Instant> started = inFlight.startedRecently(destination, id, now);
        if (started.isPresent()) {
            return item(source, PlannedAction.IN_PROGRESS, "copy started at " + started.get()
                    + " by this replicator, not yet listed in " + destination, null);
        }
        Optional<Backup> deleted = newest(copies, BackupState.DELETED);
        if (deleted.isPresent()) {
            return item(source, PlannedAction.RECOPY, "earlier copy " + deleted.get().backupId()
                    + " is DELETED in " + destination + " (the copy failed or was removed); copying again",
                    deleted.get());
        }
        return item(source, PlannedAction.COPY, "not in " + destination, null);
    }

    private static PlannedCopy item(Backup source, PlannedAction action, String reason, Backup existing) {
        return new PlannedCopy(source.backupId(), source.createTimestamp(), action, reason,
                existing == null ? null : existing.backupId(), source.tags());
    }

    private static Optional<Backup> newest(List<Backup> copies, BackupState state) {
        return copies.stream().filter(b -> b.state() == state)
                .max(Comparator.comparing(Backup::copyTimestamp, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Backup::backupId));
    }
}
