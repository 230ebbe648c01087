package io.github.cloudhsmdr;

import java.util.Objects;

/**
 * Why one item of a run failed: its classification, the operation, the message and how many attempts
 * were made.
 *
 * @param kind      classification of the last error
 * @param operation the operation that failed, e.g. {@code CopyBackupToRegion}
 * @param message   a readable message naming the backup, region and operation
 * @param attempts  how many attempts were made (at least 1)
 */
public record Failure(ServiceErrorKind kind, String operation, String message, int attempts) {

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** @return a failure built from an exception thrown by the store. */
    public static Failure of(Throwable error, String operation, int attempts) {
        if (error instanceof BackupServiceException e) {
            return new Failure(e.kind(), e.operation() != null ? e.operation() : operation, e.getMessage(), attempts);
        }
        return new Failure(ServiceErrorKind.UNKNOWN, operation,
                operation + " failed: " + error.getClass().getSimpleName() + ": " + error.getMessage(), attempts);
    }

    /** @return true when trying again in a later run can succeed. */
    public boolean isTransient() {
        return kind.isTransient();
    }
}
