package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.CopyTags;
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
import io.github.cloudhsmdr.spi.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Computes a {@link ReplicationPlan}: which source backups are selected and, per destination, whether each
 * is already there. Reads only; never changes anything.
 */
final class Planner {
    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

    /** Id prefix of the copies a plan is about to make, as retention sees them; never a real backup id. */
    private static final String PLANNED_COPY = "~planned:";

    private final ReplicatorConfig config;
    private final InFlightCopies inFlight;
    private final Listings listings;

    Planner(ReplicatorConfig config, InFlightCopies inFlight, Listings listings) {
        this.config = config;
        this.inFlight = inFlight;
        this.listings = listings;
    }

    /** The source backups selected for one cluster, and those left out on purpose. */
    private record ClusterSelection(String clusterId, List<Backup> selected, List<PlannedCopy> skipped) {
    }

    /** What the source region holds: the clusters worked on and the backups selected from each. */
    private record SourceSide(List<ClusterSelection> selections, Map<String, Failure> missing,
            List<Failure> failures) {

        Set<String> candidateIds() {
            Set<String> ids = new TreeSet<>();
            selections.forEach(s -> s.selected().forEach(b -> ids.add(b.backupId())));
            return ids;
        }
    }

    /**
     * What a destination region holds, as far as the plan needs it.
     *
     * @param existing      every backup there (with retention), or the copies of the candidates (without)
     * @param localClusters the clusters that live there (with retention)
     */
    private record DestinationSide(List<Backup> existing, Set<String> localClusters) {
    }

    /**
     * Plans a run. The source region and the destination regions (up to {@code maxConcurrentDestinations} of them
     * at once) are read side by side, each destination's listing starting at once instead of after the source's:
     * a run with nothing to do costs about the longest chain of pages, not the sum of all calls.
     */
    ReplicationPlan plan(StoreCalls calls, RunTasks tasks) {
        Instant now = config.clock().instant();
        String source = config.sourceRegion();
        Future<SourceSide> sourceSide = tasks.start(() -> readSource(calls, tasks, now));
        Map<String, Future<DestinationSide>> destinationSides = tasks.startEach(config.destinationRegions(),
                config.maxConcurrentDestinations(), destination -> readDestination(calls, tasks, destination,
                        sourceSide));
        SourceSide src = RunTasks.join(sourceSide);
        List<Failure> failures = new ArrayList<>(src.failures());
        List<ClusterSelection> selections = src.selections();
        listings.candidates(src.candidateIds().size());

        List<DestinationPlan> destinations = new ArrayList<>();
        Optional<RetentionEvaluator> retention = config.retentionPolicy()
                .map(p -> new RetentionEvaluator(p, config.name(), source));
        for (Map.Entry<String, Future<DestinationSide>> d : destinationSides.entrySet()) {
            String destination = d.getKey();
            List<Backup> existing = List.of();
            Set<String> localClusters = Set.of();
            RetentionEvaluation evaluation = null;
            Failure listFailure = null;
            try {
                DestinationSide side = RunTasks.join(d.getValue());
                existing = side.existing();
                localClusters = side.localClusters();
                if (retention.isPresent()) {
                    evaluation = retention.get().evaluate(destination, existing, localClusters, now);
                }
            } catch (CallFailedException e) {
                listFailure = e.failure();
            }
            Map<String, List<Backup>> bySource = CopyLookup.bySource(existing);
            Reasons reasons = new Reasons(destination, evaluation);
            Map<String, List<PlannedCopy>> itemsByCluster = new LinkedHashMap<>();
            for (ClusterSelection s : selections) {
                if (listFailure != null) {
                    destinations.add(new DestinationPlan(s.clusterId(), destination, List.of(), listFailure));
                    continue;
                }
                List<PlannedCopy> items = new ArrayList<>();
                for (Backup b : s.selected()) {
                    items.add(classify(b, destination, CopyLookup.best(bySource.getOrDefault(b.backupId(),
                            List.of())), now, reasons));
                }
                if (evaluation != null) {
                    items = withoutChurn(s.clusterId(), items, evaluation, reasons);
                }
                items.addAll(s.skipped());
                itemsByCluster.put(s.clusterId(), items);
            }
            if (evaluation != null && !config.waitForReady().isZero()) {
                evaluation = afterCopies(retention.get(), evaluation, destination, existing, localClusters,
                        itemsByCluster, now);
            }
            for (Map.Entry<String, List<PlannedCopy>> e : itemsByCluster.entrySet()) {
                destinations.add(new DestinationPlan(e.getKey(), destination, e.getValue(), null,
                        evaluation == null ? List.of() : evaluation.decisionsFor(e.getKey()).stream()
                                .filter(x -> !x.backupId().startsWith(PLANNED_COPY)).toList(),
                        untagged(e.getKey(), existing)));
            }
            for (Map.Entry<String, Failure> m : src.missing().entrySet()) {
                destinations.add(new DestinationPlan(m.getKey(), destination, List.of(), m.getValue()));
            }
        }
        ReplicationPlan plan = new ReplicationPlan(config.name(), source, now, destinations, failures);
        LOG.debug("Planned replicator={} source={} pairs={} copies={} failures={}", config.name(), source,
                destinations.size(), plan.copyCount(), failures.size());
        return plan;
    }

    /**
     * Reads the source region: which clusters to work on (DescribeClusters) and, side by side with it, their
     * READY backups in one listing for all clusters (the fewest pages), then selects each cluster's backups.
     */
    private SourceSide readSource(StoreCalls calls, RunTasks tasks, Instant now) {
        String source = config.sourceRegion();
        List<Failure> failures = new ArrayList<>();
        Future<List<Backup>> listing = tasks.start(() -> calls.listBackups(source, null,
                config.clusterIds().isEmpty() ? BackupFilter.states(BackupState.READY)
                        : BackupFilter.clusters(config.clusterIds(), BackupState.READY)));
        List<String> clusterIds = List.of();
        Map<String, Failure> missing = Map.of();
        try {
            SourceClusters.Resolved resolved = SourceClusters.resolve(config, calls);
            clusterIds = resolved.present();
            missing = resolved.missing();
            if (config.clusterIds().isEmpty() && clusterIds.isEmpty()) {
                failures.add(SourceClusters.noneFound(source));
            }
        } catch (CallFailedException e) {
            failures.add(e.failure());
        }
        List<ClusterSelection> selections = new ArrayList<>();
        try {
            Map<String, List<Backup>> byCluster = RunTasks.join(listing).stream()
                    .filter(b -> b.clusterId() != null)
                    .collect(Collectors.groupingBy(Backup::clusterId, LinkedHashMap::new, Collectors.toList()));
            for (String clusterId : clusterIds) {
                selections.add(select(clusterId, byCluster.getOrDefault(clusterId, List.of()), now));
            }
        } catch (CallFailedException e) {
            if (!clusterIds.isEmpty()) {
                failures.add(e.failure());
            }
        }
        return new SourceSide(selections, missing, failures);
    }

    /**
     * Reads a destination region. With retention, all of it (every backup and the clusters that live there), as
     * retention needs. Without, the copies of the source backups the plan selects, the cheaper way
     * ({@link Listings}): the whole listing starts at once, side by side with the source's, and gives way to a
     * filtered lookup once the source's candidates are known and the lookup is cheaper than the pages left.
     */
    private DestinationSide readDestination(StoreCalls calls, RunTasks tasks, String destination,
            Future<SourceSide> sourceSide) {
        if (config.retentionPolicy().isPresent()) {
            Future<Set<String>> local = tasks.start(() -> calls.describeClusters(destination).stream()
                    .map(Cluster::clusterId).collect(Collectors.toSet()));
            List<Backup> all = listings.wholeWhile(calls, destination, pages -> true);
            return new DestinationSide(all, RunTasks.join(local));
        }
        List<Backup> whole = null;
        if (listings.keepListing(destination, 0, candidateCount(sourceSide))) {
            whole = listings.wholeWhile(calls, destination,
                    pages -> listings.keepListing(destination, pages, candidateCount(sourceSide)));
        }
        Set<String> candidates = candidates(sourceSide);
        if (whole != null) {
            return new DestinationSide(whole.stream().filter(b -> b.originBackup() != null
                    && candidates.contains(b.originBackup())).toList(), Set.of());
        }
        return new DestinationSide(listings.filtered(calls, tasks, destination, candidates), Set.of());
    }

    /** @return how many source backups the plan looks for, or -1 while the source is still being read */
    private static int candidateCount(Future<SourceSide> sourceSide) {
        return sourceSide.isDone() ? candidates(sourceSide).size() : -1;
    }

    /** @return the source backups the plan looks for; none when reading the source failed */
    private static Set<String> candidates(Future<SourceSide> sourceSide) {
        try {
            return RunTasks.join(sourceSide).candidateIds();
        } catch (CallFailedException e) {
            return Set.of();
        }
    }

    /**
     * Retention is evaluated once per pair per run, here: when the run waits for its copies to turn READY, the
     * evaluation counts the planned copies as READY (as they will be when retention runs), so that the run's
     * deletions are decided now and apply deletes exactly these (and only once the copies are READY). Without the
     * wait, new copies are still CREATE_IN_PROGRESS when retention runs, which changes no decision.
     */
    private RetentionEvaluation afterCopies(RetentionEvaluator retention, RetentionEvaluation current,
            String destination, List<Backup> inventory, Set<String> localClusters,
            Map<String, List<PlannedCopy>> itemsByCluster, Instant now) {
        List<Backup> planned = new ArrayList<>();
        itemsByCluster.forEach((cluster, items) -> items.stream().filter(PlannedCopy::copies)
                .filter(i -> i.createTimestamp() != null)
                .forEach(i -> planned.add(Backup.builder(PLANNED_COPY + i.sourceBackupId(), destination)
                        .state(BackupState.READY).createTimestamp(i.createTimestamp()).copyTimestamp(now)
                        .sourceRegion(config.sourceRegion()).sourceBackup(i.sourceBackupId()).sourceCluster(cluster)
                        .tags(Map.of(CopyTags.OWNER, config.name())).build())));
        if (planned.isEmpty()) {
            return current;
        }
        List<Backup> all = new ArrayList<>(inventory);
        all.addAll(planned);
        return retention.evaluate(destination, all, localClusters, now);
    }

    /**
     * @return the live copies of {@code clusterId}'s backups from the source region in {@code listing} that lack
     *         the ownership tag: never deleted, and retention cannot count them as this replicator's
     */
    private List<String> untagged(String clusterId, List<Backup> listing) {
        return listing.stream().filter(b -> b.state().isLive() && b.tags().get(CopyTags.OWNER) == null
                        && config.sourceRegion().equals(b.originRegion()) && clusterId.equals(b.originCluster()))
                .map(Backup::backupId).sorted().toList();
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
        own.sort(CopyLookup.NEWEST_FIRST);
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
            RetentionEvaluation evaluation, Reasons reasons) {
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
                        reasons.churn(), i.existingCopyId(), i.sourceTags()));
            } else {
                result.add(i);
            }
        }
        return result;
    }

    /**
     * @param copy the copy that stands for {@code source} in {@code destination} ({@link CopyLookup#best}), if any
     */
    /**
     * The reasons every item of a destination with the same verdict shares: one string each per destination, not
     * one per item (a plan of a quarter million items would otherwise hold as many copies of each).
     */
    private static final class Reasons {
        private final String ready;
        private final String inProgress;
        private final String pendingDeletion;
        private final String unknown;
        private final String missing;
        private final String churn;

        Reasons(String destination, RetentionEvaluation evaluation) {
            ready = "READY copy in " + destination;
            inProgress = "copy is CREATE_IN_PROGRESS in " + destination;
            pendingDeletion = "copy is PENDING_DELETION in " + destination + " (deleted on purpose); not copied again";
            unknown = "copy is in a state this library does not know in " + destination + "; not copied again";
            missing = "not in " + destination;
            churn = evaluation == null ? null : "retention would not keep a copy of it (" + evaluation.policy()
                    + "); not copied, so it is never copied and deleted again";
        }

        String churn() {
            return churn;
        }
    }

    private PlannedCopy classify(Backup source, String destination, Optional<Backup> copy, Instant now,
            Reasons reasons) {
        String id = source.backupId();
        BackupState state = copy.map(Backup::state).orElse(null);
        if (state == BackupState.READY) {
            inFlight.forget(destination, id);
            return item(source, PlannedAction.ALREADY_PRESENT, reasons.ready, copy.get());
        }
        if (state == BackupState.CREATE_IN_PROGRESS) {
            inFlight.forget(destination, id);
            return item(source, PlannedAction.IN_PROGRESS, reasons.inProgress, copy.get());
        }
        if (state == BackupState.PENDING_DELETION) {
            return item(source, PlannedAction.PENDING_DELETION, reasons.pendingDeletion, copy.get());
        }
        if (state == BackupState.UNKNOWN) {
            return item(source, PlannedAction.SKIP, reasons.unknown, copy.get());
        }
        Optional<Instant> started = inFlight.startedRecently(destination, id, now);
        if (started.isPresent()) {
            return item(source, PlannedAction.IN_PROGRESS, "copy started at " + started.get()
                    + " by this replicator, not yet listed in " + destination, null);
        }
        if (state == BackupState.DELETED) {
            return item(source, PlannedAction.RECOPY, "earlier copy " + copy.get().backupId()
                    + " is DELETED in " + destination + " (the copy failed or was removed); copying again",
                    copy.get());
        }
        return item(source, PlannedAction.COPY, reasons.missing, null);
    }

    private static PlannedCopy item(Backup source, PlannedAction action, String reason, Backup existing) {
        return new PlannedCopy(source.backupId(), source.createTimestamp(), action, reason,
                existing == null ? null : existing.backupId(), source.tags());
    }
}
