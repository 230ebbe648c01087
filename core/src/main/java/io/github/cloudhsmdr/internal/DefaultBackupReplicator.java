package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final StoreCalls calls;
    private final InFlightCopies inFlight;
    private final Listeners listeners;
    private final Planner planner;

    /** @param config a validated configuration (see {@code ReplicatorBuilder}) */
    public DefaultBackupReplicator(ReplicatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = config.backupStore();
        this.calls = new StoreCalls();
        this.inFlight = new InFlightCopies(IN_FLIGHT_GRACE);
        this.listeners = new Listeners(config.listeners());
        this.planner = new Planner(config, calls, inFlight);
    }

    @Override
    public ReplicatorConfig config() {
        return config;
    }

    @Override
    public ReplicationPlan plan() {
        ReplicationPlan plan = planner.plan();
        listeners.fire("onPlanCreated", l -> l.onPlanCreated(plan));
        return plan;
    }

    @Override
    public RecoveryPointReport measureRecoveryPoints() {
        RecoveryPointReport report = new RecoveryPointMeter(config, calls).measure();
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
        List<DestinationOutcome> outcomes = runPerRegion(byRegion);
        List<RunStatus> statuses = new ArrayList<>();
        outcomes.forEach(o -> statuses.add(o.status()));
        plan.failures().forEach(f -> statuses.add(RunStatus.FAILED));
        ReplicationReport report = new ReplicationReport(config.name(), config.sourceRegion(), startedAt,
                config.clock().instant(), RunStatus.combine(statuses), outcomes, plan.failures());
        for (Failure f : report.failures()) {
            LOG.warn("Replication failure replicator={} kind={} attempts={}: {}", config.name(), f.kind(),
                    f.attempts(), f.message());
        }
        LOG.info("Replication run finished {}", report.summary());
        listeners.fire("onRunFinished", l -> l.onRunFinished(report));
        return report;
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

    private static List<DestinationOutcome> failAll(List<DestinationPlan> plans, Failure failure) {
        return plans.stream().map(p -> new DestinationOutcome(p.clusterId(), p.destinationRegion(), RunStatus.FAILED,
                List.of(), failure)).collect(Collectors.toList());
    }

    /** Works through every (cluster, region) pair of one destination region. Runs on a pool thread. */
    private List<DestinationOutcome> applyRegion(String region, List<DestinationPlan> plans) {
        Map<String, List<Backup>> presentNow = recheck(region, plans);
        List<List<CopyOutcome>> perPlan = new ArrayList<>();
        for (DestinationPlan p : plans) {
            List<CopyOutcome> copies = new ArrayList<>();
            if (!p.failed()) {
                for (PlannedCopy item : p.items()) {
                    copies.add(applyItem(p, item, presentNow));
                }
            }
            perPlan.add(copies);
        }
        if (!config.waitForReady().isZero()) {
            new ReadyWaiter(config, calls, region).await(perPlan);
        }
        List<DestinationOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            DestinationPlan p = plans.get(i);
            List<CopyOutcome> copies = perPlan.get(i);
            outcomes.add(new DestinationOutcome(p.clusterId(), region, status(p, copies), copies, p.failure()));
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
            return calls.call("DescribeBackups", region, null,
                    () -> store.describeBackups(region, BackupFilter.sourceBackupIds(ids))).stream()
                    .filter(b -> b.sourceBackup() != null && b.state().isLive())
                    .collect(Collectors.groupingBy(Backup::sourceBackup));
        } catch (CallFailedException e) {
            LOG.debug("Re-check before copying failed region={}: {}", region, e.failure().message());
            return Map.of();
        }
    }

    private CopyOutcome applyItem(DestinationPlan p, PlannedCopy item, Map<String, List<Backup>> presentNow) {
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
        return copy(p, item);
    }

    private CopyOutcome copy(DestinationPlan p, PlannedCopy item) {
        String region = p.destinationRegion();
        String source = config.sourceRegion();
        String id = item.sourceBackupId();
        CopyEvent event = new CopyEvent(config.name(), p.clusterId(), source, id, region);
        listeners.fire("onCopyStarted", l -> l.onCopyStarted(event));
        CopyTagger.Tags tags = CopyTagger.tagsFor(config, p.clusterId(), item);
        Instant startedAt = config.clock().instant();
        LOG.debug("Copying replicator={} cluster={} backup={} from={} to={}", config.name(), p.clusterId(), id,
                source, region);
        try {
            calls.call("CopyBackupToRegion", source, id,
                    () -> store.copyBackupToRegion(source, id, region, tags.tags()));
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
        Optional<Backup> found = findCopy(region, id);
        if (found.isEmpty()) {
            inFlight.remember(region, id, startedAt);
            CopyOutcome o = outcome(item, CopyAction.COPIED, null, null,
                    "copy started; not yet listed in " + region + tags.note(), null);
            listeners.fire("onCopySucceeded", l -> l.onCopySucceeded(event, o));
            return o;
        }
        return succeeded(event, item, found.get(), "copy started" + tags.note());
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
            List<Backup> found = calls.call("DescribeBackups", source, sourceBackupId,
                    () -> store.describeBackups(source, BackupFilter.backupIds(List.of(sourceBackupId))));
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

    /** Finds the copy of {@code sourceBackupId} in {@code region}: the newest live one, else the newest at all. */
    private Optional<Backup> findCopy(String region, String sourceBackupId) {
        List<Backup> copies;
        try {
            copies = calls.call("DescribeBackups", region, sourceBackupId,
                    () -> store.describeBackups(region, BackupFilter.sourceBackupIds(List.of(sourceBackupId))));
        } catch (CallFailedException e) {
            LOG.debug("Looking up copy failed region={} backup={}: {}", region, sourceBackupId,
                    e.failure().message());
            return Optional.empty();
        }
        Comparator<Backup> byCopyTime = Comparator.comparing(Backup::copyTimestamp,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Backup::backupId);
        Optional<Backup> live = copies.stream().filter(b -> b.state().isLive()).max(byCopyTime);
        return live.isPresent() ? live : copies.stream().max(byCopyTime);
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
        if (config.ownsBackupStore()) {
            store.close();
        }
    }
}
