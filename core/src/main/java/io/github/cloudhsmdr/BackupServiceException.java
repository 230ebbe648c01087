package io.github.cloudhsmdr;

import java.util.Objects;

/**
 * A call to CloudHSM failed. Carries the operation, region and resource involved and a
 * {@link ServiceErrorKind} that says whether trying again can help.
 */
public class BackupServiceException extends CloudHsmDrException {
    private static final long serialVersionUID = 1L;

    private final ServiceErrorKind kind;
    private final String operation;
    private final String region;
    private final String resourceId;
    private final String errorCode;

    /**
     * @param kind       classification of the failure
     * @param operation  the API operation, e.g. {@code CopyBackupToRegion}
     * @param region     the region the call was sent to
     * @param resourceId the backup or cluster id the call was about, or {@code null}
     * @param errorCode  the service's error code, e.g. {@code ThrottlingException}, or {@code null}
     * @param detail     the service's message, or {@code null}
     * @param cause      the underlying exception, or {@code null}
     */
    public BackupServiceException(ServiceErrorKind kind, String operation, String region, String resourceId,
            String errorCode, String detail, Throwable cause) {
        super(message(kind, operation, region, resourceId, errorCode, detail), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.operation = operation;
        this.region = region;
        this.resourceId = resourceId;
        this.errorCode = errorCode;
    }

    private static String message(ServiceErrorKind kind, String operation, String region, String resourceId,
            String errorCode, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(operation).append(" failed in ").append(region);
        if (resourceId != null) {
            sb.append(" for ").append(resourceId);
        }
        sb.append(": ").append(kind);
        if (errorCode != null) {
            sb.append(" (").append(errorCode).append(')');
        }
        if (detail != null && !detail.isBlank()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    /** @return the classification of this failure. */
    public ServiceErrorKind kind() {
        return kind;
    }

    /** @return true when trying again later can succeed. */
    public boolean isTransient() {
        return kind.isTransient();
    }

    /** @return the API operation that failed. */
    public String operation() {
        return operation;
    }

    /** @return the region the call was sent to. */
    public String region() {
        return region;
    }

    /** @return the backup or cluster id involved, or {@code null}. */
    public String resourceId() {
        return resourceId;
    }

    /** @return the service's error code, or {@code null}. */
    public String errorCode() {
        return errorCode;
    }
}
