package io.github.cloudhsmdr;

/**
 * Receives the events of a run: the hook for metrics and alerts. Every method has a no-op default.
 * Methods are called from the run's worker threads, possibly at the same time; an implementation must be
 * thread-safe. An exception thrown by a listener is logged and otherwise ignored: it never breaks a run.
 */
public interface ReplicationListener {

    /** A plan was made (by {@code plan()} or at the start of {@code replicate()}). */
    default void onPlanCreated(ReplicationPlan plan) {
    }

    /** A copy is about to be started. */
    default void onCopyStarted(CopyEvent event) {
    }

    /** A copy was started and, where the outcome says so, found in the destination. */
    default void onCopySucceeded(CopyEvent event, CopyOutcome outcome) {
    }

    /** A copy failed. */
    default void onCopyFailed(CopyEvent event, Failure failure) {
    }

    /** Retention deleted a copy (or failed to: see {@link Deletion#failure()}). */
    default void onCopyDeleted(Deletion deletion) {
    }

    /**
     * A call failed with a transient error and is about to be retried after {@code event.delay()}.
     */
    default void onRetry(RetryEvent event) {
    }

    /** Recovery points were measured. */
    default void onRecoveryPointsMeasured(RecoveryPointReport report) {
    }

    /** A run finished (whatever its status). */
    default void onRunFinished(ReplicationReport report) {
    }
}
