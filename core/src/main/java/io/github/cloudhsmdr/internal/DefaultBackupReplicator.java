package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.internal.retry.Retrier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
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
    /**
     * How old a plan must be for its copies to be looked up again just before copying. A plan made moments ago
     * describes the destinations as they are, and this replicator knows its own copies (the in-flight memory); a
     * plan that waited (for approval, or behind throttled retries) may not.
     */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(30);

    private final ReplicatorConfig config;
    private final BackupStore store;
    private final Retrier retrier;
    private final RegionPacer pacer;
    private final InFlightCopies inFlight;
    private final Listeners listeners;
    private final Planner planner;
    private final Listings listings;

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
        this.listings = new Listings(store, config.maxConcurrentCallsPerRegion());
        this.planner = new Planner(config, inFlight, listings);
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
        return withRunId(currentOrNewRunId(), () -> {
            try (RunTasks tasks = RunTasks.of(config)) {
                return plan(tasks);
            }
        });
    }

    private ReplicationPlan plan(RunTasks tasks) {
        ReplicationPlan plan = planner.plan(newRun(), tasks);
        listeners.fire("onPlanCreated", l -> l.onPlanCreated(plan));
        return plan;
    }

    /** One run from its start: the report's startedAt and duration include planning and its retries. */
    @Override
    public ReplicationReport replicate() {
        Instant startedAt = config.clock().instant();
        String runId = newRunId();
        return withRunId(runId, () -> {
            try (RunTasks tasks = RunTasks.of(config)) {
                return run(plan(tasks), startedAt, runId, tasks);
            }
        });
    }

    @Override
    public List<AdoptionOutcome> adoptCopies(ReplicationPlan plan) {
        requireOwnPlan(plan);
        return withRunId(newRunId(), () -> {
            StoreCalls calls = newRun();
            List<AdoptionOutcome> outcomes = new ArrayList<>();
            for (DestinationPlan d : plan.destinations()) {
                if (!d.untaggedCopies().isEmpty()) {
                    outcomes.addAll(adopt(calls, d));
                }
            }
            LOG.info("Adoption of untagged copies replicator={} adopted={} failed={}", config.name(),
                    outcomes.stream().filter(AdoptionOutcome::adopted).count(),
                    outcomes.stream().filter(o -> !o.adopted()).count());
            return outcomes;
        });
    }

    private List<AdoptionOutcome> adopt(StoreCalls calls, DestinationPlan d) {
        String region = d.destinationRegion();
        Map<String, Backup> listed;
        try {
            listed = calls.listBackups(region, null, BackupFilter.backupIds(d.untaggedCopies())).stream()
                    .collect(Collectors.toMap(Backup::backupId, b -> b, (a, b) -> a));
        } catch (CallFailedException e) {
            return d.untaggedCopies().stream().map(id -> new AdoptionOutcome(id, region, null, false, e.failure()))
                    .toList();
        }
        List<AdoptionOutcome> outcomes = new ArrayList<>();
        for (String id : d.untaggedCopies()) {
            Backup b = listed.get(id);
            String refusal = b == null ? "copy " + id + " is no longer listed in " + region
                    : !b.state().isLive() ? "copy " + id + " in " + region + " is " + b.state()
                    : b.tags().get(CopyTags.OWNER) != null ? "copy " + id + " in " + region
                            + " already carries the ownership tag of '" + b.tags().get(CopyTags.OWNER) + "'"
                    : !config.sourceRegion().equals(b.originRegion()) || !d.clusterId().equals(b.originCluster())
                            ? "copy " + id + " in " + region + " is not a copy of " + d.clusterId() + " from "
                                    + config.sourceRegion()
                    : b.originBackup() == null ? "copy " + id + " in " + region + " names no source backup" : null;
            if (refusal != null) {
                outcomes.add(new AdoptionOutcome(id, region, b == null ? null : b.originBackup(), false,
                        new Failure(ServiceErrorKind.INVALID_REQUEST, "TagResource", refusal + "; not adopted", 0)));
                continue;
            }
            Map<String, String> tags = CopyTagger.ownTags(config, d.clusterId(), b.originBackup());
            try {
                calls.call("TagResource", region, id, () -> {
                    store.tagResource(region, id, tags);
                    return null;
                });
                LOG.info("Adopted copy {} in {} (copy of {}): tagged with the ownership and provenance tags "
                        + "replicator={}", id, region, b.originBackup(), config.name());
                outcomes.add(new AdoptionOutcome(id, region, b.originBackup(), true, null));
            } catch (CallFailedException e) {
                outcomes.add(new AdoptionOutcome(id, region, b.originBackup(), false, e.failure()));
            }
        }
        return outcomes;
    }

    private static String newRunId() {
        return UUID.randomUUID().toString().substring(0, 13);
    }

    /** @return the id of the run this thread is in (a plan made by {@code replicate()}), else a new one */
    private static String currentOrNewRunId() {
        String current = MDC.get(ReplicationReport.RUN_ID_MDC_KEY);
        return current != null ? current : newRunId();
    }

    /** Runs {@code body} with {@code runId} on every log line (MDC key {@code runId}), then restores the key. */
    private static <T> T withRunId(String runId, Supplier<T> body) {
        String previous = MDC.get(ReplicationReport.RUN_ID_MDC_KEY);
        MDC.put(ReplicationReport.RUN_ID_MDC_KEY, runId);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                MDC.remove(ReplicationReport.RUN_ID_MDC_KEY);
            } else {
                MDC.put(ReplicationReport.RUN_ID_MDC_KEY, previous);
            }
        }
    }

    private void requireOwnPlan(ReplicationPlan plan) {
        Objects.requireNonNull(plan, "plan");
        ConfiguredScope.checkPlan(config, plan);
        if (!plan.replicatorName().equals(config.name()) || !plan.sourceRegion().equals(config.sourceRegion())) {
            throw new IllegalArgumentException("plan was made by replicator '" + plan.replicatorName() + "' for "
                    + plan.sourceRegion() + ", not by this replicator '" + config.name() + "' for "
                    + config.sourceRegion());
        }
    }

    @Override
    public List<UndoOutcome> undoDeletions(ReplicationReport report) {
        Objects.requireNonNull(report, "report");
        ConfiguredScope.checkReport(config, report);
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
        RecoveryPointReport report;
        try (RunTasks tasks = RunTasks.of(config)) {
            report = new RecoveryPointMeter(config, newRun(), tasks).measure();
        }
        LOG.info("Recovery points measured replicator={} worst={} points={}", config.name(), report.worst(),
                report.points().size());
        listeners.fire("onRecoveryPointsMeasured", l -> l.onRecoveryPointsMeasured(report));
        return report;
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        requireOwnPlan(plan);
        Instant startedAt = config.clock().instant();
        String runId = newRunId();
        return withRunId(runId, () -> {
            try (RunTasks tasks = RunTasks.of(config)) {
                return run(plan, startedAt, runId, tasks);
            }
        });
    }

    private ReplicationReport run(ReplicationPlan plan, Instant startedAt, String runId, RunTasks tasks) {
        boolean recheck = Duration.between(plan.createdAt(), config.clock().instant()).compareTo(RECHECK_AFTER) > 0;
        Map<String, List<DestinationPlan>> byRegion = plan.destinations().stream()
                .collect(Collectors.groupingBy(DestinationPlan::destinationRegion, LinkedHashMap::new,
                        Collectors.toList()));
        List<DestinationOutcome> outcomes = runPerRegion(newRun(), tasks, recheck, byRegion);
        List<RunStatus> statuses = new ArrayList<>();
        outcomes.forEach(o -> statuses.add(o.status()));
        plan.failures().forEach(f -> statuses.add(RunStatus.FAILED));
        ReplicationReport report = new ReplicationReport(config.name(), config.sourceRegion(), startedAt,
                config.clock().instant(), RunStatus.combine(statuses), outcomes, plan.failures(),
                runId);
        for (Failure f : report.allFailures()) {
            LOG.warn("Replication failure replicator={} kind={} attempts={}: {}", config.name(), f.kind(),
                    f.attempts(), f.message());
        }
        LOG.info("Replication run finished runId={} {}", report.runId(), report.summary());
        listeners.fire("onRunFinished", l -> l.onRunFinished(report));
        return report;
    }

    /** Applies a plan's destination regions in parallel, each in its own {@link ApplyRun}. */
    private List<DestinationOutcome> runPerRegion(StoreCalls calls, RunTasks tasks, boolean recheck,
            Map<String, List<DestinationPlan>> byRegion) {
        List<Map.Entry<String, List<DestinationPlan>>> regions = new ArrayList<>(byRegion.entrySet());
        List<List<DestinationOutcome>> perRegion;
        try {
            perRegion = tasks.map(regions, config.maxConcurrentDestinations(), e -> {
                try {
                    return new ApplyRun(config, store, calls, inFlight, listeners, tasks, listings, recheck,
                            e.getKey(), e.getValue()).run();
                } catch (RuntimeException ex) {
                    LOG.debug("Destination worker failed region={}", e.getKey(), ex);
                    return failAll(e.getValue(), Failure.of(ex, "Replicate to " + e.getKey(), 1));
                }
            });
        } catch (RunTasks.InterruptedRunException e) {
            perRegion = regions.stream().map(r -> failAll(r.getValue(), new Failure(ServiceErrorKind.UNKNOWN,
                    "Replicate", "run interrupted while working on " + r.getKey(), 0))).toList();
        }
        List<DestinationOutcome> outcomes = new ArrayList<>();
        perRegion.forEach(outcomes::addAll);
        return outcomes;
    }

    private static List<DestinationOutcome> failAll(List<DestinationPlan> plans, Failure failure) {
        return plans.stream().map(p -> new DestinationOutcome(p.clusterId(), p.destinationRegion(), RunStatus.FAILED,
                List.of(), failure)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }
}
