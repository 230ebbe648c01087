package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupReplicator;
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
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.internal.retention.RetentionEvaluation;
import io.github.cloudhsmdr.internal.retention.RetentionEvaluator;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.internal.retry.Retrier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The engine behind {@link BackupReplicator}: plans from what the regions hold, copies what is missing,
 * finds each copy in its destination and reports. Thread-safe; runs should not overlap (the scheduling
 * helpers make sure of that).
 */
public final class DefaultBackupReplicator implements BackupReplicator {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultBackupReplicator.class);
    /** How long a started copy that the destination does not list yet is remembered. */
    static final Duration IN_FLIGHT_GRACE = Duration.ofMinutes(30);

    private final ReplicatorConfig config;
    private final BackupStore store;
    private final Retrier retrier;
    private final RegionPacer pacer;
    private final InFlightCopies inFlight;
    private final Listeners listeners;
    private final Planner planner;
    private final Optional<RetentionEvaluator> retention;

    private final boolean ownsStore;

    /**
     * @param config    a validated configuration (see {@code ReplicatorBuilder})
     * @param store     the store to talk to
     * @param ownsStore true when the replicator created the store and closes it with itself
     */
    public DefaultBackupReplicator(ReplicatorConfig config, BackupStore store, boolean ownsStore) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.ownsStore = ownsStore;
        this.listeners = new Listeners(config.listeners());
        this.retrier = new Retrier(config.retryPolicy(), config.sleeper(),
                new Random(config.randomSeed()), (operation, region, attempt, error, wait) -> {
                    RetryEvent event = new RetryEvent(config.name(), operation, region, attempt, error.kind(),
                            error.getMessage(), wait);
                    listeners.fire("onRetry", l -> l.onRetry(event));
                });
        this.pacer = new RegionPacer(config.maxConcurrentCallsPerRegion(), config.sleeper());
        this.inFlight = new InFlightCopies(IN_FLIGHT_GRACE);
        this.planner = new Planner(config, inFlight);
        this.retention = config.retentionPolicy().map(p -> new RetentionEvaluator(p, config.name(),
                config.sourceRegion()));
    }

    /** @return the calls of a new run, under a new retry budget. */
    private StoreCalls newRun() {
        return new StoreCalls(store, retrier, retrier.startBudget(), pacer);
    }

    @Override
    public ReplicatorConfig config() {
        return config;
    }

    @Override
    public ReplicationPlan plan() {
        ReplicationPlan plan = planner.plan(newRun());
        listeners.fire("onPlanCreated", l -> l.onPlanCreated(plan));
        return plan;
    }

    @Override
    public List<UndoOutcome> undoDeletions(ReplicationReport report) {
        Objects.requireNonNull(report, "report");
        StoreCalls calls = newRun();
        List<UndoOutcome> undone = new ArrayList<>();
        report.deletions().filter(Deletion::succeeded).forEach(d -> {
            try {
                Backup b = calls.call("RestoreBackup", d.region(), d.backupId(),
                        () -> store.restoreBackup(d.region(), d.backupId()));
                undone.add(new UndoOutcome(d.backupId(), d.region(), b.state(), null));
            } catch (CallFailedException e) {
                undone.add(new UndoOutcome(d.backupId(), d.region(), null, e.failure()));
            }
        });
        LOG.info("Undo of deletions replicator={} restored={} failed={}", config.name(),
                undone.stream().filter(UndoOutcome::restored).count(),
                undone.stream().filter(u -> !u.restored()).count());
        return undone;
    }

    @Override
    public RecoveryPointReport measureRecoveryPoints() {
        RecoveryPointReport report = new RecoveryPointMeter(config, newRun()).measure();
        LOG.info("Recovery points measured replicator={} worst={} points={}", config.name(), report.worst(),
                report.points().size());
        listeners.fire("onRecoveryPointsMeasured", l -> l.onRecoveryPointsMeasured(report));
        return report;
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        Objects.requireNonNull(plan, "plan");
        if (!plan.replicatorName().equals(config.name()) || !plan.sourceRegion().equals(config.sourceRegion())) {
            throw new IllegalArgumentException("plan was made by replicator '" + plan.replicatorName() + "' for "
                    + plan.sourceRegion() + ", not by this replicator '" + config.name() + "' for "
                    + config.sourceRegion());
        }
        Instant startedAt = config.clock().instant();
        Map<String, List<DestinationPlan>> byRegion = plan.destinations().stream()
                .collect(Collectors.groupingBy(DestinationPlan::destinationRegion, LinkedHashMap::new,
                        Collectors.toList()));
        List<DestinationOutcome> outcomes = new ApplyRun(newRun()).runPerRegion(byRegion);
        List<RunStatus> statuses = new ArrayList<>();
        outcomes.forEach(o -> statuses.add(o.status()));
        plan.failures().forEach(f -> statuses.add(RunStatus.FAILED));
        ReplicationReport report = new ReplicationReport(config.name(), config.sourceRegion(), startedAt,
                config.clock().instant(), RunStatus.combine(statuses), outcomes, plan.failures());
        for (Failure f : report.allFailures()) {
            LOG.warn("Replication failure replicator={} kind={} attempts={}: {}", config.name(), f.kind(),
                    f.attempts(), f.message());
        }
        LOG.info("Replication run finished {}", report.summary());
        listeners.fire("onRunFinished", l -> l.onRunFinished(report));
        return report;
    }

    /** One application of a plan, with its own calls and retry budget. */
    private final class ApplyRun {
        private final StoreCalls calls;

        ApplyRun(StoreCalls calls) {
            this.calls = calls;
        }

        private List<DestinationOutcome> runPerRegion(Map<String, List<DestinationPlan>> byRegion) {
            if (byRegion.isEmpty()) {
                return List.of();
            }
            int threads = Math.min(config.maxConcurrentDestinations(), byRegion.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads, threadFactory(config.name()));
            try {
                List<Future<List<DestinationOutcome>>> futures = new ArrayList<>();
                for (Map.Entry<String, List<DestinationPlan>> e : byRegion.entrySet()) {
                    futures.add(pool.submit(() -> applyRegion(e.getKey(), e.getValue())));
                }
                List<DestinationOutcome> outcomes = new ArrayList<>();
                int i = 0;
                for (Map.Entry<String, List<DestinationPlan>> e : byRegion.entrySet()) {
                    outcomes.addAll(await(futures.get(i++), e.getKey(), e.getValue()));
                }
                return outcomes;
            } finally {
                pool.shutdownNow();
            }
        }

        private List<DestinationOutcome> await(Future<List<DestinationOutcome>> future, String region,
                List<DestinationPlan> plans) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failAll(plans, new Failure(ServiceErrorKind.UNKNOWN, "Replicate",
                        "run interrupted while working on " + region, 0));
            } catch (ExecutionException e) {
                LOG.debug("Destination worker failed region={}", region, e.getCause());
                return failAll(plans, Failure.of(e.getCause(), "Replicate to " + region, 1));
            }
        }

        private List<DestinationOutcome> failAll(List<DestinationPlan> plans, Failure failure) {
            return plans.stream().map(p -> new DestinationOutcome(p.clusterId(), p.destinationRegion(), RunStatus.FAILED,
                    List.of(), failure)).collect(Collectors.toList());
        }

        /** Works through every (cluster, region) pair of one destination region. Runs on a pool thread. */
        private List<DestinationOutcome> applyRegion(String region, List<DestinationPlan> plans) {
            Map<String, List<Backup>> presentNow = recheck(region, plans);
            List<List<CopyOutcome>> perPlan = new ArrayList<>();
            List<Started> started = new ArrayList<>();
            for (DestinationPlan p : plans) {
                List<CopyOutcome> copies = new ArrayList<>();
                if (!p.failed()) {
                    for (PlannedCopy item : p.items()) {
                        copies.add(applyItem(p, item, presentNow, perPlan.size(), copies.size(), started));
                    }
                }
                perPlan.add(copies);
            }
            locate(region, started, perPlan);
            if (!config.waitForReady().isZero()) {
                new ReadyWaiter(config, calls, region).await(perPlan);
            }
            RetentionEvaluation evaluation = null;
            String retentionFailure = null;
            if (retention.isPresent() && plans.stream().anyMatch(p -> !p.failed())) {
                try {
                    Inventory inventory = Inventory.read(calls, region);
                    evaluation = retention.get().evaluate(region, inventory.backups(), inventory.localClusterIds(),
                            config.clock().instant());
                } catch (CallFailedException e) {
                    retentionFailure = "skipped: listing " + region + " failed: " + e.failure().message();
                }
            }
            List<DestinationOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                DestinationPlan p = plans.get(i);
                List<CopyOutcome> copies = perPlan.get(i);
                List<RetentionDecision> decisions = evaluation == null ? List.of()
                        : evaluation.decisionsFor(p.clusterId());
                List<Deletion> deletions = new ArrayList<>();
                String note = p.failed() ? "" : retentionFailure == null ? "" : retentionFailure;
                if (evaluation != null && !p.failed()) {
                    Optional<String> deferred = deferral(copies);
                    if (deferred.isPresent()) {
                        note = decisions.stream().anyMatch(RetentionDecision::deletes)
                                ? "deferred: " + deferred.get() : "";
                    } else {
                        decisions.stream().filter(RetentionDecision::deletes)
                                .forEach(d -> deletions.add(delete(d)));
                    }
                }
                boolean deletionFailed = deletions.stream().anyMatch(d -> !d.succeeded());
                RunStatus status = status(p, copies);
                if (deletionFailed && status == RunStatus.SUCCESS) {
                    status = RunStatus.PARTIAL;
                }
                outcomes.add(new DestinationOutcome(p.clusterId(), region, status, copies, p.failure(), decisions,
                        deletions, note));
            }
            return outcomes;
        }

        /**
         * Looks the plan's copies up once more just before copying: a plan may have been made a while ago, or
         * another process may have copied meanwhile. A failure here is not fatal: the copies go ahead as
         * planned.
         */
        private Map<String, List<Backup>> recheck(String region, List<DestinationPlan> plans) {
            List<String> ids = plans.stream().flatMap(p -> p.toCopy().stream()).map(PlannedCopy::sourceBackupId)
                    .distinct().collect(Collectors.toList());
            if (ids.isEmpty()) {
                return Map.of();
            }
            try {
                return calls.listBackups(region, null, BackupFilter.sourceBackupIds(ids)).stream()
                        .filter(b -> b.originBackup() != null && b.state().isLive())
                        .collect(Collectors.groupingBy(Backup::originBackup));
            } catch (CallFailedException e) {
                LOG.debug("Re-check before copying failed region={}: {}", region, e.failure().message());
                return Map.of();
            }
        }

        private CopyOutcome applyItem(DestinationPlan p, PlannedCopy item, Map<String, List<Backup>> presentNow,
                int planIndex, int itemIndex, List<Started> started) {
            switch (item.action()) {
                case ALREADY_PRESENT:
                    return outcome(item, CopyAction.ALREADY_PRESENT, item.existingCopyId(), BackupState.READY,
                            item.reason(), null);
                case IN_PROGRESS:
                    return outcome(item, CopyAction.IN_PROGRESS, item.existingCopyId(),
                            item.existingCopyId() == null ? null : BackupState.CREATE_IN_PROGRESS, item.reason(), null);
                case PENDING_DELETION:
                    return outcome(item, CopyAction.SKIPPED, item.existingCopyId(), BackupState.PENDING_DELETION,
                            item.reason(), null);
                case SKIP:
                    return outcome(item, CopyAction.SKIPPED, item.existingCopyId(), null, item.reason(), null);
                default:
                    break;
            }
            List<Backup> present = presentNow.getOrDefault(item.sourceBackupId(), List.of());
            if (!present.isEmpty()) {
                Backup b = present.get(0);
                return outcome(item, b.state() == BackupState.READY ? CopyAction.ALREADY_PRESENT : CopyAction.IN_PROGRESS,
                        b.backupId(), b.state(), "found " + b.state() + " in " + p.destinationRegion()
                                + " just before copying; not copied again", null);
            }
            return copy(p, item, planIndex, itemIndex, started);
        }

        private CopyOutcome copy(DestinationPlan p, PlannedCopy item, int planIndex, int itemIndex,
                List<Started> started) {
            String region = p.destinationRegion();
            String source = config.sourceRegion();
            String id = item.sourceBackupId();
            CopyEvent event = new CopyEvent(config.name(), p.clusterId(), source, id, region);
            listeners.fire("onCopyStarted", l -> l.onCopyStarted(event));
            CopyTagger.Tags tags = CopyTagger.tagsFor(config, p.clusterId(), item);
            Instant startedAt = config.clock().instant();
            LOG.debug("Copying replicator={} cluster={} backup={} from={} to={}", config.name(), p.clusterId(), id,
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
                        Optional<Backup> landed = lookUpLive(region, id);
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
                    return outcome(item, CopyAction.SOURCE_GONE, null, null, gone.get(), null);
                }
                Optional<Backup> landed = failure.kind().isAmbiguous() ? findCopy(region, id) : Optional.empty();
                if (landed.isEmpty()) {
                    listeners.fire("onCopyFailed", l -> l.onCopyFailed(event, failure));
                    return outcome(item, CopyAction.FAILED, null, null, "", failure);
                }
                return succeeded(event, item, landed.get(), "copy call failed (" + failure.kind()
                        + ") but the copy exists" + tags.note());
            }
            if (reconciled.get() != null) {
                return succeeded(event, item, reconciled.get(), "copy call failed ambiguously, and the copy was "
                        + "found in " + region + " before retrying" + tags.note());
            }
            started.add(new Started(planIndex, itemIndex, event, item, startedAt, tags.note()));
            return outcome(item, CopyAction.COPIED, null, null, "copy started" + tags.note(), null);
        }

        /**
         * Finds the copies started in this run in their destination (the call returns no id) with one listing
         * for all of them, and records each copy's id and state. A copy the destination does not list yet is
         * remembered as in flight.
         */
        private void locate(String region, List<Started> started, List<List<CopyOutcome>> perPlan) {
            if (started.isEmpty()) {
                return;
            }
            Map<String, Backup> found = findCopies(region,
                    started.stream().map(st -> st.item().sourceBackupId()).collect(Collectors.toList()));
            for (Started st : started) {
                Backup copy = found.get(st.item().sourceBackupId());
                CopyOutcome o;
                if (copy == null) {
                    inFlight.remember(region, st.item().sourceBackupId(), st.startedAt());
                    o = outcome(st.item(), CopyAction.COPIED, null, null,
                            "copy started; not yet listed in " + region + st.note(), null);
                    CopyOutcome notListed = o;
                    listeners.fire("onCopySucceeded", l -> l.onCopySucceeded(st.event(), notListed));
                } else {
                    o = succeeded(st.event(), st.item(), copy, "copy started" + st.note());
                }
                perPlan.get(st.planIndex()).set(st.itemIndex(), o);
            }
        }

        private CopyOutcome succeeded(CopyEvent event, PlannedCopy item, Backup copy, String detail) {
            if (copy.state() == BackupState.DELETED) {
                Failure failure = new Failure(ServiceErrorKind.COPY_FAILED, "CopyBackupToRegion",
                        "copy " + copy.backupId() + " of " + item.sourceBackupId() + " failed inside AWS in "
                                + copy.region() + " (DELETED); a later run copies it again", 1);
                listeners.fire("onCopyFailed", l -> l.onCopyFailed(event, failure));
                return outcome(item, CopyAction.FAILED, copy.backupId(), copy.state(), "", failure);
            }
            CopyOutcome o = outcome(item, CopyAction.COPIED, copy.backupId(), copy.state(), detail, null);
            listeners.fire("onCopySucceeded", l -> l.onCopySucceeded(event, o));
            return o;
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

        /**
         * Retention deletes only after the run's new copies are found in the destination, so a region never
         * loses a good copy to a copy that failed.
         *
         * @return why deletions wait for a later run, if they do
         */
        private Optional<String> deferral(List<CopyOutcome> copies) {
            if (copies.stream().anyMatch(CopyOutcome::failed)) {
                return Optional.of("a copy in this run failed; nothing is deleted until the copies are in place");
            }
            if (copies.stream().anyMatch(c -> c.action() == CopyAction.COPIED && c.destinationBackupId() == null)) {
                return Optional.of("a copy made in this run is not listed yet; nothing is deleted until it is");
            }
            return Optional.empty();
        }

        private Deletion delete(RetentionDecision d) {
            String region = d.destinationRegion();
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
                LOG.debug("Retention deleted replicator={} region={} backup={} source={} verdict={} until={}",
                        config.name(), region, d.backupId(), d.sourceBackupId(), d.verdict(), after.deleteTimestamp());
            } catch (CallFailedException e) {
                deletion = new Deletion(d.backupId(), region, d.sourceBackupId(), d.createTimestamp(), d.verdict(),
                        d.reasons(), null, e.failure());
            }
            Deletion done = deletion;
            listeners.fire("onCopyDeleted", l -> l.onCopyDeleted(done));
            return done;
        }

        /** One lookup, without retries of its own: a failure fails the attempt it runs in. */
        private Optional<Backup> lookUpLive(String region, String sourceBackupId) {
            return store.describeBackups(region, BackupFilter.sourceBackupIds(List.of(sourceBackupId))).stream()
                    .filter(b -> sourceBackupId.equals(b.originBackup()) && b.state().isLive())
                    .max(Comparator.comparing(Backup::copyTimestamp, Comparator.nullsFirst(Comparator.naturalOrder())));
        }

        /** Finds the copy of {@code sourceBackupId} in {@code region}: the newest live one, else the newest at all. */
        private Optional<Backup> findCopy(String region, String sourceBackupId) {
            return Optional.ofNullable(findCopies(region, List.of(sourceBackupId)).get(sourceBackupId));
        }

        /**
         * Finds the copies of several source backups in {@code region} with one listing: for each, the newest live
         * copy, else the newest at all. A failed listing finds nothing (the copies then count as in flight).
         */
        private Map<String, Backup> findCopies(String region, List<String> sourceBackupIds) {
            List<Backup> copies;
            try {
                copies = calls.listBackups(region, null, BackupFilter.sourceBackupIds(sourceBackupIds));
            } catch (CallFailedException e) {
                LOG.debug("Looking up copies failed region={} backups={}: {}", region, sourceBackupIds,
                        e.failure().message());
                return Map.of();
            }
            Comparator<Backup> best = Comparator.comparing((Backup b) -> b.state().isLive())
                    .thenComparing(Backup::copyTimestamp, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(Backup::backupId);
            return copies.stream().filter(b -> b.originBackup() != null)
                    .collect(Collectors.toMap(Backup::originBackup, b -> b, BinaryOperator.maxBy(best)));
        }
    }

    /** A copy started in this run, to be found in its destination, and where its outcome sits. */
    private record Started(int planIndex, int itemIndex, CopyEvent event, PlannedCopy item, Instant startedAt,
            String note) {
    }

    static CopyOutcome outcome(PlannedCopy item, CopyAction action, String copyId, BackupState state, String detail,
            Failure failure) {
        return new CopyOutcome(item.sourceBackupId(), item.createTimestamp(), action, copyId, state, detail, failure);
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

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "cloudhsm-dr-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }
}
