package io.github.cloudhsmdr.scheduling;

import io.github.cloudhsmdr.ReplicationReport;

import java.util.Objects;

/**
 * What one invocation of a {@link ReplicationTask} did: it ran the replicator ({@link Completed}, with the
 * report, whatever its status) or it skipped the run ({@link Skipped}, saying why). A run that throws has no
 * outcome: the exception propagates from {@link ReplicationTask#attempt()}.
 *
 * <pre>{@code
 * RunOutcome outcome = task.attempt();
 * if (outcome instanceof RunOutcome.Completed done) {
 *     alertUnlessSuccess(done.report());
 * } else if (outcome instanceof RunOutcome.Skipped skipped) {
 *     log.info("skipped: {}", skipped.reason());
 * }
 * }</pre>
 */
public sealed interface RunOutcome permits RunOutcome.Completed, RunOutcome.Skipped {

    /** @return the name of the replicator the invocation was for. */
    String replicatorName();

    /** Why an invocation did not run the replicator. */
    enum SkipReason {
        /** A run of the same task is still in progress in this process. */
        IN_PROGRESS_IN_THIS_PROCESS,
        /**
         * The task's {@link RunLock} is held by another run: on another node or process sharing the lock, or
         * (until {@code lockAtLeastFor} has passed) by a run that just ended.
         */
        RUN_LOCK_HELD_ELSEWHERE
    }

    /**
     * The replicator ran and returned {@code report}.
     *
     * @param report the run's report, whatever its status
     */
    record Completed(ReplicationReport report) implements RunOutcome {
        /** @throws NullPointerException when {@code report} is null */
        public Completed {
            Objects.requireNonNull(report, "report");
        }

        @Override
        public String replicatorName() {
            return report.replicatorName();
        }
    }

    /**
     * The run was skipped, not queued: the run in progress (here or elsewhere) copies what this one would.
     *
     * @param replicatorName the replicator's name
     * @param reason         why it was skipped
     */
    record Skipped(String replicatorName, SkipReason reason) implements RunOutcome {
        /** @throws NullPointerException when an argument is null */
        public Skipped {
            Objects.requireNonNull(replicatorName, "replicatorName");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
