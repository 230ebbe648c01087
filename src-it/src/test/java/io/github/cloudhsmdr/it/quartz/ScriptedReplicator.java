package io.github.cloudhsmdr.it.quartz;

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
import java.util.List;

/** A stand-in replicator whose run is a script: simulated work, blocking, a given status. */
final class ScriptedReplicator implements BackupReplicator {

    /** What a run does; returns the run's status. */
    @FunctionalInterface
    interface Script {
        RunStatus run() throws InterruptedException;
    }

    private final String name;
    private final Script script;

    ScriptedReplicator(String name, Script script) {
        this.name = name;
        this.script = script;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReplicationReport replicate() {
        Instant start = Instant.now();
        RunStatus status;
        try {
            status = script.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = RunStatus.FAILED;
        }
        return new ReplicationReport(name, "us-east-1", start, Instant.now(), status, List.of(), List.of());
    }

    @Override
    public ReplicatorConfig config() {
        throw new UnsupportedOperationException("scripted replicator has no config");
    }

    @Override
    public ReplicationPlan plan() {
        throw new UnsupportedOperationException("scripted replicator plans nothing");
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        throw new UnsupportedOperationException("scripted replicator applies nothing");
    }

    @Override
    public List<UndoOutcome> undoDeletions(ReplicationReport report) {
        throw new UnsupportedOperationException("scripted replicator deletes nothing");
    }

    /** Measures nothing, so the measurement the scheduling adapters make after each run finds no points. */
    @Override
    public List<AdoptionOutcome> adoptCopies(ReplicationPlan plan) {
        return List.of();
    }

    @Override
    public RecoveryPointReport measureRecoveryPoints() {
        return new RecoveryPointReport(name(), Instant.now(), Duration.ofHours(28), Duration.ofHours(32), List.of(),
                List.of());
    }

    @Override
    public void close() {
    }
}
