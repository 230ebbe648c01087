package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetryEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ReplicationListener} that records every event, for assertions in tests. Thread-safe: the engine
 * calls listeners from its worker threads.
 */
public final class RecordingListener implements ReplicationListener {
    private final List<Object> events = new ArrayList<>();

    /** A copy that failed, with its event. */
    public record CopyFailure(CopyEvent event, Failure failure) {
    }

    /** A copy that succeeded, with its event. */
    public record CopySuccess(CopyEvent event, CopyOutcome outcome) {
    }

    @Override
    public synchronized void onPlanCreated(ReplicationPlan plan) {
        events.add(plan);
    }

    @Override
    public synchronized void onCopyStarted(CopyEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void onCopySucceeded(CopyEvent event, CopyOutcome outcome) {
        events.add(new CopySuccess(event, outcome));
    }

    @Override
    public synchronized void onCopyFailed(CopyEvent event, Failure failure) {
        events.add(new CopyFailure(event, failure));
    }

    @Override
    public synchronized void onCopyDeleted(Deletion deletion) {
        events.add(deletion);
    }

    @Override
    public synchronized void onRetry(RetryEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void onRecoveryPointsMeasured(RecoveryPointReport report) {
        events.add(report);
    }

    @Override
    public synchronized void onRunFinished(ReplicationReport report) {
        events.add(report);
    }

    /** @return every event so far, in arrival order. */
    public synchronized List<Object> events() {
        return List.copyOf(events);
    }

    /** @return the events of one type, in arrival order (e.g. {@code RetryEvent.class}). */
    public synchronized <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** @return the copies started ({@link CopyEvent}s). */
    public List<CopyEvent> copiesStarted() {
        return events(CopyEvent.class);
    }

    /** @return the copies that failed. */
    public List<CopyFailure> copyFailures() {
        return events(CopyFailure.class);
    }

    /** @return the retries. */
    public List<RetryEvent> retries() {
        return events(RetryEvent.class);
    }

    /** @return the deletions. */
    public List<Deletion> deletions() {
        return events(Deletion.class);
    }

    /** @return the finished runs' reports. */
    public List<ReplicationReport> runs() {
        return events(ReplicationReport.class);
    }

    /** Forgets every event. */
    public synchronized void clear() {
        events.clear();
    }
}
