package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.UndoOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A replicator for scheduling tests: counts its runs, tracks how many run at once, and does whatever its
 * body says (return a status, block on a latch, throw).
 */
public class TestReplicator implements BackupReplicator {
    private final String name;
    private final Supplier<RunStatus> body;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger measurements = new AtomicInteger();
    private volatile RuntimeException measurementFailure;

    public TestReplicator(String name, Supplier<RunStatus> body) {
        this.name = name;
        this.body = body;
    }

    public static TestReplicator succeeding(String name) {
        return new TestReplicator(name, () -> RunStatus.SUCCESS);
    }

    /** @return a replicator whose first run throws {@code IllegalStateException("boom")}; later runs return {@code then}. */
    public static TestReplicator throwingFirst(String name, RunStatus then) {
        AtomicBoolean thrown = new AtomicBoolean();
        return new TestReplicator(name, () -> {
            if (thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("boom");
            }
            return then;
        });
    }

    public static ReplicationReport report(String name, RunStatus status) {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        return new ReplicationReport(name, "us-east-1", now, now, status, List.of(), List.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReplicatorConfig config() {
        throw new UnsupportedOperationException("test replicator has no config");
    }

    @Override
    public ReplicationPlan plan() {
        throw new UnsupportedOperationException("test replicator plans nothing");
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        throw new UnsupportedOperationException("test replicator applies nothing");
    }

    @Override
    public ReplicationReport replicate() {
        runs.incrementAndGet();
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try {
            return report(name, body.get());
        } finally {
            active.decrementAndGet();
        }
    }

    public int runs() {
        return runs.get();
    }

    public int maxActive() {
        return maxActive.get();
    }

    @Override
    public List<UndoOutcome> undoDeletions(ReplicationReport report) {
        throw new UnsupportedOperationException("test replicator deletes nothing");
    }

    /** Measures recovery points as an empty report, after {@link #runs()} runs, or throws what it was given. */
    @Override
    public List<AdoptionOutcome> adoptCopies(ReplicationPlan plan) {
        return List.of();
    }

    @Override
    public RecoveryPointReport measureRecoveryPoints() {
        measurements.incrementAndGet();
        if (measurementFailure != null) {
            throw measurementFailure;
        }
        return new RecoveryPointReport(name, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(runs.get()),
                Duration.ofHours(28), Duration.ofHours(32), List.of(), List.of());
    }

    /** @return how many times recovery points were measured. */
    public int measurements() {
        return measurements.get();
    }

    /** Makes every later measurement throw {@code failure}. */
    public void failMeasurementsWith(RuntimeException failure) {
        this.measurementFailure = failure;
    }

    @Override
    public void close() {
    }

    /** Waits up to 30 s for {@code latch}; fails the test after that. */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
