package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.ServiceErrorKind;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replicator for adapter tests: counts runs, tracks the most runs seen at once, and returns whatever its
 * body returns (or throws what it throws).
 */
class FakeReplicator implements BackupReplicator {

    /** What a run does. */
    @FunctionalInterface
    interface Body {
        ReplicationReport run(String name) throws InterruptedException;
    }

    private final String name;
    private final Body body;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger measurements = new AtomicInteger();

    FakeReplicator(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    static FakeReplicator returning(String name, RunStatus status, Failure... failures) {
        return new FakeReplicator(name, n -> report(n, status, failures));
    }

    static ReplicationReport report(String name, RunStatus status, Failure... failures) {
        Instant now = Instant.now();
        return new ReplicationReport(name, "us-east-1", now, now, status, List.of(), List.of(failures));
    }

    static Failure failure(String message) {
        return new Failure(ServiceErrorKind.UNKNOWN, "CopyBackupToRegion", message, 3);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReplicatorConfig config() {
        throw new UnsupportedOperationException("fake replicator has no config");
    }

    @Override
    public ReplicationPlan plan() {
        throw new UnsupportedOperationException("fake replicator plans nothing");
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        throw new UnsupportedOperationException("fake replicator applies nothing");
    }

    @Override
    public ReplicationReport replicate() {
        runs.incrementAndGet();
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try {
            return body.run(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return report(name, RunStatus.FAILED, failure("interrupted while copying"));
        } finally {
            active.decrementAndGet();
        }
    }

    int runs() {
        return runs.get();
    }

    int maxActive() {
        return maxActive.get();
    }

    @Override
    public List<UndoOutcome> undoDeletions(ReplicationReport report) {
        throw new UnsupportedOperationException("fake replicator deletes nothing");
    }

    @Override
    public List<AdoptionOutcome> adoptCopies(ReplicationPlan plan) {
        return List.of();
    }

    @Override
    public RecoveryPointReport measureRecoveryPoints() {
        measurements.incrementAndGet();
        return new RecoveryPointReport(name, Instant.now(), Duration.ofHours(28), Duration.ofHours(32), List.of(),
                List.of());
    }

    int measurements() {
        return measurements.get();
    }

    @Override
    public void close() {
    }
}
