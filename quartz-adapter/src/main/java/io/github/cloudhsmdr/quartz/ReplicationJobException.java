package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import org.quartz.JobExecutionException;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a firing of {@link ReplicationJob} did not succeed: the run was PARTIAL or FAILED (the report is
 * attached), the replicator threw, or it could not be found. A {@link org.quartz.JobListener} can tell
 * these apart with {@link #status()} and {@link #report()}; the message names the replicator, the status and
 * the first failures.
 *
 * <p>It never asks Quartz to re-fire at once nor to unschedule triggers: the replicator has already retried
 * what it could, and the next firing runs normally.
 */
public final class ReplicationJobException extends JobExecutionException {
    private static final long serialVersionUID = 1L;

    private final String replicatorName;
    private final transient ReplicationReport report;

    ReplicationJobException(String replicatorName, ReplicationReport report, String message, Throwable cause) {
        super(message, cause, false);
        this.replicatorName = Objects.requireNonNull(replicatorName, "replicatorName");
        this.report = report;
    }

    /** @return the name of the replicator the firing was for. */
    public String replicatorName() {
        return replicatorName;
    }

    /** @return the run's report when the run returned one (PARTIAL or FAILED), else empty. */
    public Optional<ReplicationReport> report() {
        return Optional.ofNullable(report);
    }

    /**
     * @return PARTIAL or FAILED from the report; FAILED when the run returned no report (the replicator
     *         threw, was missing, or was interrupted before it started)
     */
    public RunStatus status() {
        return report != null ? report.status() : RunStatus.FAILED;
    }
}
