package io.github.cloudhsmdr.internal.retry;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ServiceErrorKind;

import java.util.Locale;
import java.util.Objects;

/**
 * A call failed for good: it carries the last error (the cause), how many attempts were made and why the
 * retrier stopped. {@link #toFailure()} gives the report entry.
 */
public final class RetryFailedException extends CloudHsmDrException {
    private static final long serialVersionUID = 1L;

    /** Why the retrier stopped. */
    public enum StopReason {
        /** The error is permanent (or not a service error at all): retrying cannot help. */
        NOT_RETRYABLE,
        /** Every attempt the policy allows was made. */
        ATTEMPTS_EXHAUSTED,
        /** The next wait would have ended after the run's time budget. */
        BUDGET_EXHAUSTED,
        /** The thread was interrupted while waiting. */
        INTERRUPTED
    }

    private final String operation;
    private final String region;
    private final int attempts;
    private final StopReason reason;

    /**
     * @param operation the operation, e.g. {@code DescribeBackups}
     * @param region    the region the call went to
     * @param attempts  how many attempts were made, at least 1
     * @param reason    why the retrier stopped
     * @param lastError the error of the last attempt
     */
    public RetryFailedException(String operation, String region, int attempts, StopReason reason,
            RuntimeException lastError) {
        super(message(operation, region, attempts, reason, lastError), Objects.requireNonNull(lastError, "lastError"));
        this.operation = operation;
        this.region = region;
        this.attempts = attempts;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(String operation, String region, int attempts, StopReason reason,
            RuntimeException lastError) {
        return operation + " in " + region + " failed after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " (" + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + lastError.getMessage();
    }

    /** @return the operation that failed. */
    public String operation() {
        return operation;
    }

    /** @return the region the call went to. */
    public String region() {
        return region;
    }

    /** @return how many attempts were made, at least 1. */
    public int attempts() {
        return attempts;
    }

    /** @return why the retrier stopped. */
    public StopReason reason() {
        return reason;
    }

    /** @return the error of the last attempt. */
    public RuntimeException lastError() {
        return (RuntimeException) getCause();
    }

    /** @return the kind of the last error; {@link ServiceErrorKind#UNKNOWN} when it is not a service error. */
    public ServiceErrorKind kind() {
        return getCause() instanceof BackupServiceException e ? e.kind() : ServiceErrorKind.UNKNOWN;
    }

    /** @return the report entry for this failure: the last error's kind and message, and the attempt count. */
    public Failure toFailure() {
        return Failure.of(lastError(), operation, attempts);
    }
}
