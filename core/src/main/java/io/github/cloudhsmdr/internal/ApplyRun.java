package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Carries out the plan of one destination region, in named steps over per-pair and per-item state: re-check
 * what is there, copy, locate the new copies, wait for READY, check their tags, retention, report. One instance
 * per (run, destination region); runs on one worker thread.
 */
final class ApplyRun {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyRun.class);

    private final ReplicatorConfig config;
    private final BackupStore store;
    private final StoreCalls calls;
    private final InFlightCopies inFlight;
    private final Listeners listeners;
    private final RunTasks tasks;
    private final Listings listings;
    private final boolean recheck;
    private final String region;
    private final List<PairRun> pairs;

    /**
     * @param recheck whether to look the copies up again just before copying (see {@link #recheck()})
     */
    ApplyRun(ReplicatorConfig config, BackupStore store, StoreCalls calls, InFlightCopies inFlight,
            Listeners listeners, RunTasks tasks, Listings listings, boolean recheck, String region,
            List<DestinationPlan> plans) {
        this.config = config;
        this.store = store;
        this.calls = calls;
        this.inFlight = inFlight;
        this.listeners = listeners;
        this.tasks = tasks;
        this.listings = listings;
        this.recheck = recheck;
        this.region = region;
        this.pairs = plans.stream().map(PairRun::new).collect(Collectors.toList());
    }

    /** One (cluster, destination) pair of the run: its plan, its items and what retention did. */
    static final class PairRun {
        final DestinationPlan plan;
        final List<ItemRun> items = new ArrayList<>();
        final List<Deletion> deletions = new ArrayList<>();
        /** Why the pair does not hold what the policy promises, each with its remedy. */
        final List<String> reasons = new ArrayList<>();
        String retentionNote = "";
        /** Copies made in this run that arrived without the ownership or provenance tags and still lack them. */
        int untaggedThisRun;

        PairRun(DestinationPlan plan) {
            this.plan = plan;
            if (!plan.failed()) {
                plan.items().forEach(i -> items.add(new ItemRun(plan.clusterId(), i)));
            }
        }
    }

    /** One source backup of a pair: what was planned, and its outcome so far. */
    static final class ItemRun {
        final String clusterId;
        final PlannedCopy planned;
        CopyOutcome outcome;
        /** Set when CopyBackupToRegion was called for the item in this run (read across the copy threads). */
        volatile CopyEvent event;
        Instant startedAt;
        String note = "";
        /** The copy made for the item in this run, as last listed. */
        Backup copy;

        ItemRun(String clusterId, PlannedCopy planned) {
            this.clusterId = clusterId;
            this.planned = planned;
        }

        boolean started() {
            return event != null;
        }

        String sourceBackupId() {
            return planned.sourceBackupId();
        }

        void set(CopyAction action, String copyId, BackupState state, String detail, Failure failure) {
            outcome = new CopyOutcome(planned.sourceBackupId(), planned.createTimestamp(), action, copyId, state,
                    detail, failure);
        }

        /** Records the copy found in the destination for an item copied in this run. */
        void found(Backup copy, String detail) {
            this.copy = copy;
            if (copy.state() == BackupState.DELETED) {
                set(CopyAction.FAILED, copy.backupId(), copy.state(), "", failedInsideAws(copy, sourceBackupId()));
            } else {
                set(CopyAction.COPIED, copy.backupId(), copy.state(), detail, null);
            }
        }
    }

    static Failure failedInsideAws(Backup copy, String sourceBackupId) {
        return new Failure(ServiceErrorKind.COPY_FAILED, "CopyBackupToRegion", "copy " + copy.backupId() + " of "
                + sourceBackupId + " failed inside AWS in " + copy.region() + " (DELETED); a later run copies it again",
                1);
    }

    /** Runs every step and returns one outcome per pair, in the plan's order. */
    List<DestinationOutcome> run() {
        Map<String, List<Backup>> presentNow = recheck();
        copy(presentNow);
        locate();
        if (!config.waitForReady().isZero()) {
            List<ItemRun> started = items().filter(ItemRun::started).toList();
            new ReadyWaiter(config, region, ids -> listings.copiesOf(calls, tasks, region, ids, started.size()))
                    .await(started);
        }
        pairs.forEach(this::checkTags);
        pairs.forEach(this::retention);
        return pairs.stream().map(this::report).collect(Collectors.toList());
    }

    private java.util.stream.Stream<ItemRun> items() {
        return pairs.stream().flatMap(p -> p.items.stream());
    }

    /**
     * Step 1: looks the plan's copies up once more just before copying, when the plan is older than
     * {@link DefaultBackupReplicator#RECHECK_AFTER}: it may have waited for hours, and another process or a person
     * may have copied meanwhile. A plan made moments ago (as {@code replicate()} makes it) is not looked up again:
     * this replicator's own copies are known to it (the in-flight memory), and a copy someone else starts in
     * those moments could as well start just after a re-check. A failure here is not fatal: the copies go ahead
     * as planned.
     */
    private Map<String, List<Backup>> recheck() {
        List<String> ids = items().filter(i -> i.planned.copies()).map(ItemRun::sourceBackupId).distinct()
                .collect(Collectors.toList());
        if (!recheck || ids.isEmpty()) {
            return Map.of();
        }
        try {
            return CopyLookup.bySource(listings.copiesOf(calls, tasks, region, ids, 0).stream()
                    .filter(b -> b.state().isLive()).collect(Collectors.toList()));
        } catch (CallFailedException e) {
            LOG.debug("Re-check before copying failed region={}: {}", region, e.failure().message());
            return Map.of();
        }
    }

    /**
     * Step 2: settles every item as planned, or copies it. The copies are started side by side: every
     * CopyBackupToRegion goes to the source region, whose pace decides how many run at once.
     */
    private void copy(Map<String, List<Backup>> presentNow) {
        List<ItemRun> toCopy = new ArrayList<>();
        for (ItemRun i : items().toList()) {
            PlannedCopy item = i.planned;
            switch (item.action()) {
                case ALREADY_PRESENT:
                    i.set(CopyAction.ALREADY_PRESENT, item.existingCopyId(), BackupState.READY, item.reason(), null);
                    continue;
                case IN_PROGRESS:
                    i.set(CopyAction.IN_PROGRESS, item.existingCopyId(),
                            item.existingCopyId() == null ? null : BackupState.CREATE_IN_PROGRESS, item.reason(), null);
                    continue;
                case PENDING_DELETION:
                    i.set(CopyAction.SKIPPED, item.existingCopyId(), BackupState.PENDING_DELETION, item.reason(),
                            null);
                    continue;
                case SKIP:
                    i.set(CopyAction.SKIPPED, item.existingCopyId(), null, item.reason(), null);
                    continue;
                default:
                    break;
            }
            Optional<Backup> present = CopyLookup.best(presentNow.getOrDefault(i.sourceBackupId(), List.of()));
            if (present.isPresent()) {
                Backup b = present.get();
                i.set(b.state() == BackupState.READY ? CopyAction.ALREADY_PRESENT : CopyAction.IN_PROGRESS,
                        b.backupId(), b.state(), "found " + b.state() + " in " + region
                                + " just before copying; not copied again", null);
                continue;
            }
            toCopy.add(i);
        }
        tasks.map(toCopy, config.maxConcurrentCallsPerRegion(), i -> {
            copyOne(i);
            return i;
        });
    }

    private void copyOne(ItemRun i) {
        String source = config.sourceRegion();
        String id = i.sourceBackupId();
        i.event = new CopyEvent(config.name(), i.clusterId, source, id, region);
        CopyEvent event = i.event;
        listeners.fire("onCopyStarted", l -> l.onCopyStarted(event));
        CopyTagger.Tags tags = CopyTagger.tagsFor(config, i.clusterId, i.planned);
        i.note = tags.note();
        i.startedAt = config.clock().instant();
        LOG.info("Copy started replicator={} cluster={} backup={} from={} to={}", config.name(), i.clusterId, id,
                source, region);
        // CopyBackupToRegion is not idempotent: after an ambiguous failure (timeout, 5xx, reset) the copy
        // may exist, so every later attempt first looks it up in the destination and stops if it is there.
        // Once set, this stays set: a later attempt that fails unambiguously (e.g. throttled) does not undo
        // the earlier one, whose copy may only become listed now.
        AtomicReference<Backup> reconciled = new AtomicReference<>();
        AtomicBoolean ambiguous = new AtomicBoolean();
        try {
            calls.callAttempts("CopyBackupToRegion", source, id, attempt -> {
                if (ambiguous.get()) {
                    Optional<Backup> landed = lookUpLive(id);
                    if (landed.isPresent()) {
                        reconciled.set(landed.get());
                        return null;
                    }
                }
                try {
                    return store.copyBackupToRegion(source, id, region, tags.tags());
                } catch (BackupServiceException e) {
                    if (e.kind().isAmbiguous()) {
                        ambiguous.set(true);
                    }
                    throw e;
                }
            });
        } catch (CallFailedException e) {
            Failure failure = e.failure();
            Optional<String> gone = sourceGone(failure, id);
            if (gone.isPresent()) {
                i.event = null;
                i.set(CopyAction.SOURCE_GONE, null, null, gone.get(), null);
                return;
            }
            // an answer that could not be read (e.g. a truncated body) may come from a copy that was made
            boolean mayExist = failure.kind().isAmbiguous() || failure.kind() == ServiceErrorKind.BAD_RESPONSE;
            Optional<Backup> landed = mayExist ? findCopy(id) : Optional.empty();
            if (landed.isEmpty()) {
                i.set(CopyAction.FAILED, null, null, "", failure);
            } else {
                i.found(landed.get(), "copy call failed (" + failure.kind() + ") but the copy exists" + i.note);
            }
            return;
        }
        if (reconciled.get() != null) {
            i.found(reconciled.get(), "copy call failed ambiguously, and the copy was found in " + region
                    + " before retrying" + i.note);
            return;
        }
        i.set(CopyAction.COPIED, null, null, "copy started" + i.note, null);
    }

    /**
     * Step 3: finds the copies started in this run in their destination (the call returns no id) with one
     * listing for all of them, and records each copy's id and state. A copy the destination does not list yet is
     * remembered as in flight.
     */
    private void locate() {
        List<ItemRun> toFind = items().filter(i -> i.started() && i.outcome.action() == CopyAction.COPIED
                && i.outcome.destinationBackupId() == null).toList();
        if (toFind.isEmpty()) {
            return;
        }
        Map<String, Backup> found = findCopies(toFind.stream().map(ItemRun::sourceBackupId)
                .collect(Collectors.toList()));
        for (ItemRun i : toFind) {
            Backup copy = found.get(i.sourceBackupId());
            if (copy == null) {
                inFlight.remember(region, i.sourceBackupId(), i.startedAt);
                i.set(CopyAction.COPIED, null, null, "copy started; not yet listed in " + region + i.note, null);
            } else {
                i.found(copy, "copy started" + i.note);
            }
            LOG.info("Copy located replicator={} backup={} -> {} in {} state={}", config.name(), i.sourceBackupId(),
                    copy == null ? "(not listed yet)" : copy.backupId(), region,
                    copy == null ? null : copy.state());
        }
    }

    /**
     * Step 4: a copy made in this run must carry the ownership and provenance tags, or retention can never manage
     * it. A service that dropped the TagList of CopyBackupToRegion is reported; with {@code repairTags(true)} the
     * tags are put back with TagResource.
     */
    private void checkTags(PairRun p) {
        List<ItemRun> untagged = p.items.stream().filter(i -> i.started() && i.copy != null
                && i.copy.state().isLive() && !CopyTagger.hasOwnTags(config, i.copy)).toList();
        List<String> refused = new ArrayList<>();
        for (ItemRun i : untagged) {
            if (!config.repairTags()) {
                p.untaggedThisRun++;
                continue;
            }
            Map<String, String> tags = CopyTagger.ownTags(config, p.plan.clusterId(), i.sourceBackupId());
            try {
                calls.call("TagResource", region, i.copy.backupId(), () -> {
                    store.tagResource(region, i.copy.backupId(), tags);
                    return null;
                });
                LOG.info("Repaired tags of copy {} in {} (copy of {}) replicator={}", i.copy.backupId(), region,
                        i.sourceBackupId(), config.name());
                i.set(i.outcome.action(), i.outcome.destinationBackupId(), i.outcome.destinationState(),
                        i.outcome.detail() + "; arrived without its ownership tags, which were put back",
                        i.outcome.failure());
            } catch (CallFailedException e) {
                p.untaggedThisRun++;
                refused.add(i.copy.backupId() + " (" + e.failure().kind() + ": " + e.failure().message() + ")");
            }
        }
        if (p.untaggedThisRun > 0) {
            String which = untagged.stream().map(i -> i.copy.backupId()).collect(Collectors.joining(", "));
            p.reasons.add(p.untaggedThisRun + " copies made in this run arrived without the ownership and "
                    + "provenance tags (" + which + "), so retention cannot manage them"
                    + (refused.isEmpty() ? "" : "; putting the tags back was refused: " + String.join(", ", refused))
                    + "; remedy: adoptCopies(plan) under the adopt policy"
                    + (config.repairTags() ? " (TagResource on the destination's backups is not allowed)"
                            : ", or repairTags(true) with cloudhsm:TagResource allowed"));
        }
    }

    /**
     * Step 5: retention deletes what the plan decided, and only after the run's new copies are found in the
     * destination, so a region never loses a good copy to a copy that failed.
     */
    private void retention(PairRun p) {
        if (p.plan.failed()) {
            return;
        }
        List<RetentionDecision> toDelete = p.plan.toDelete();
        if (toDelete.isEmpty()) {
            return;
        }
        Optional<String> deferred = deferral(p);
        if (deferred.isPresent()) {
            p.retentionNote = "deferred: " + deferred.get();
            p.reasons.add("retention " + p.retentionNote + "; the next run deletes the " + toDelete.size()
                    + " copies it would delete now");
            return;
        }
        Map<String, Backup> now;
        try {
            // the plan's inventory may be minutes old (a wait for READY): what is deleted is looked at again
            now = listings.backups(calls, tasks, region, toDelete.stream().map(RetentionDecision::backupId).toList())
                    .stream().collect(Collectors.toMap(Backup::backupId, b -> b, (a, b) -> a));
        } catch (CallFailedException e) {
            p.retentionNote = "deferred: looking up the copies to delete in " + region + " failed: "
                    + e.failure().message();
            p.reasons.add("retention " + p.retentionNote + "; the next run tries again");
            return;
        }
        List<String> changed = new ArrayList<>();
        for (RetentionDecision d : toDelete) {
            Backup b = now.get(d.backupId());
            if (b == null || b.state() != BackupState.READY || !config.name().equals(b.tags().get(CopyTags.OWNER))) {
                changed.add(d.backupId() + (b == null ? " (gone)" : b.state() != BackupState.READY
                        ? " (" + b.state() + ")" : " (ownership tag changed)"));
            } else {
                p.deletions.add(delete(d));
            }
        }
        if (!changed.isEmpty()) {
            p.retentionNote = "not deleted, changed since the plan: " + String.join(", ", changed);
            p.reasons.add("retention skipped " + changed.size() + " copies that changed since the plan; the next "
                    + "run decides on them again");
        }
    }

    /** @return why deletions wait for a later run, if they do */
    private Optional<String> deferral(PairRun p) {
        if (p.items.stream().anyMatch(i -> i.outcome.failed() || i.outcome.action() == CopyAction.NOT_READY)) {
            return Optional.of("a copy in this run failed; nothing is deleted until the copies are in place");
        }
        if (p.items.stream().anyMatch(i -> i.outcome.action() == CopyAction.COPIED
                && i.outcome.destinationBackupId() == null)) {
            return Optional.of("a copy made in this run is not listed yet; nothing is deleted until it is");
        }
        // the plan counted the run's copies as READY (see Planner): its deletions wait until they are
        if (!config.waitForReady().isZero() && p.items.stream().anyMatch(i -> i.started()
                && i.outcome.destinationState() != BackupState.READY)) {
            return Optional.of("a copy made in this run is not READY yet; nothing is deleted until it is");
        }
        return Optional.empty();
    }

    /** Step 6: tells the listeners how each copy of the run ended, and makes the pair's outcome. */
    private DestinationOutcome report(PairRun p) {
        for (ItemRun i : p.items) {
            if (!i.started()) {
                continue;
            }
            CopyOutcome o = i.outcome;
            if (o.failed()) {
                listeners.fire("onCopyFailed", l -> l.onCopyFailed(i.event, o.failure()));
            } else {
                listeners.fire("onCopySucceeded", l -> l.onCopySucceeded(i.event, o));
            }
        }
        List<CopyOutcome> copies = p.items.stream().map(i -> i.outcome).collect(Collectors.toList());
        long notReady = copies.stream().filter(c -> c.action() == CopyAction.NOT_READY).count();
        if (notReady > 0) {
            p.reasons.add(notReady + " copies started in this run were not READY within " + config.waitForReady()
                    + "; the next run checks them again");
        }
        long failedDeletions = p.deletions.stream().filter(d -> !d.succeeded()).count();
        if (failedDeletions > 0) {
            p.reasons.add(failedDeletions + " deletions failed; the next run tries again");
        }
        // untagged copies found by the plan are counted (and explained in the summary) but do not change the
        // status: they may be someone else's copies on purpose; the run's own untagged copies do (checkTags)
        int untagged = p.plan.untaggedCopies().size() + p.untaggedThisRun;
        RunStatus status = status(p.plan, copies);
        if (status == RunStatus.SUCCESS && !p.reasons.isEmpty()) {
            status = RunStatus.PARTIAL;
        }
        return new DestinationOutcome(p.plan.clusterId(), region, status, copies, p.plan.failure(),
                p.plan.retention(), p.deletions, p.retentionNote, untagged, p.reasons);
    }

    private static RunStatus status(DestinationPlan p, List<CopyOutcome> copies) {
        if (p.failed()) {
            return RunStatus.FAILED;
        }
        long failed = copies.stream().filter(CopyOutcome::failed).count();
        if (failed == 0) {
            return RunStatus.SUCCESS;
        }
        return failed == copies.size() ? RunStatus.FAILED : RunStatus.PARTIAL;
    }

    /**
     * After a copy call was refused as not found or invalid, checks whether the source backup is simply gone
     * (deleted since the plan was made).
     *
     * @return the reason when it is gone
     */
    private Optional<String> sourceGone(Failure failure, String sourceBackupId) {
        if (failure.kind() != ServiceErrorKind.RESOURCE_NOT_FOUND && failure.kind() != ServiceErrorKind.INVALID_REQUEST) {
            return Optional.empty();
        }
        String source = config.sourceRegion();
        try {
            List<Backup> found = calls.listBackups(source, sourceBackupId, BackupFilter.backupIds(List.of(sourceBackupId)));
            Optional<Backup> b = found.stream().filter(x -> x.backupId().equals(sourceBackupId)).findFirst();
            if (b.isEmpty()) {
                return Optional.of("source backup no longer exists in " + source);
            }
            if (b.get().state() != BackupState.READY) {
                return Optional.of("source backup is " + b.get().state() + " in " + source + " since the plan was made");
            }
            return Optional.empty();
        } catch (CallFailedException e) {
            return failure.kind() == ServiceErrorKind.RESOURCE_NOT_FOUND
                    ? Optional.of("source backup no longer exists in " + source + ": " + failure.message())
                    : Optional.empty();
        }
    }

    private Deletion delete(RetentionDecision d) {
        Deletion deletion;
        try {
            Backup after = calls.callAttempts("DeleteBackup", region, d.backupId(), attempt -> {
                try {
                    return store.deleteBackup(region, d.backupId());
                } catch (BackupServiceException e) {
                    // a retried delete whose first attempt took effect is refused: look at the copy instead
                    if (attempt > 1 && e.kind() == ServiceErrorKind.INVALID_REQUEST) {
                        Optional<Backup> now = store.describeBackups(region,
                                BackupFilter.backupIds(List.of(d.backupId()))).stream().findFirst();
                        if (now.isPresent() && now.get().state() == BackupState.PENDING_DELETION) {
                            return now.get();
                        }
                    }
                    throw e;
                }
            });
            deletion = new Deletion(d.backupId(), region, d.sourceBackupId(), d.createTimestamp(), d.verdict(),
                    d.reasons(), after.deleteTimestamp(), null);
            LOG.info("Deleted copy {} in {} until {} replicator={} source={} verdict={}", d.backupId(), region,
                    after.deleteTimestamp(), config.name(), d.sourceBackupId(), d.verdict());
        } catch (CallFailedException e) {
            deletion = new Deletion(d.backupId(), region, d.sourceBackupId(), d.createTimestamp(), d.verdict(),
                    d.reasons(), null, e.failure());
        }
        Deletion done = deletion;
        listeners.fire("onCopyDeleted", l -> l.onCopyDeleted(done));
        return done;
    }

    /** One lookup, without retries of its own: a failure fails the attempt it runs in. */
    private Optional<Backup> lookUpLive(String sourceBackupId) {
        return CopyLookup.best(store.describeBackups(region, BackupFilter.sourceBackupIds(List.of(sourceBackupId)))
                .stream().filter(b -> sourceBackupId.equals(b.originBackup()) && b.state().isLive()).toList());
    }

    /** Finds the copy of {@code sourceBackupId} in the region. */
    private Optional<Backup> findCopy(String sourceBackupId) {
        return Optional.ofNullable(findCopies(List.of(sourceBackupId)).get(sourceBackupId));
    }

    /**
     * Finds the copies of several source backups in the region, the cheaper way ({@link Listings}). A failed
     * listing finds nothing (the copies then count as in flight).
     */
    private Map<String, Backup> findCopies(List<String> sourceBackupIds) {
        try {
            int started = (int) items().filter(ItemRun::started).count();
            return CopyLookup.bestBySource(listings.copiesOf(calls, tasks, region, sourceBackupIds, started));
        } catch (CallFailedException e) {
            LOG.debug("Looking up copies failed region={} backups={}: {}", region, sourceBackupIds,
                    e.failure().message());
            return Map.of();
        }
    }
}
