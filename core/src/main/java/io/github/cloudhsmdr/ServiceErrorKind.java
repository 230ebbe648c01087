package io.github.cloudhsmdr;

/**
 * Classification of a failed CloudHSM call: what kind of error it was and whether trying again can help.
 */
public enum ServiceErrorKind {
    /** The service throttled the call (ThrottlingException, HTTP 429, …). Transient. */
    THROTTLING(true, false),
    /** CloudHsmInternalFailureException or an HTTP 5xx. Transient; the call may or may not have taken effect. */
    INTERNAL_FAILURE(true, true),
    /** CloudHsmServiceException, a generic service-side error. Treated as transient, within the retry budget. */
    SERVICE_ERROR(true, true),
    /** No answer: I/O error, connection reset, timeout. Transient; the call may or may not have taken effect. */
    NETWORK(true, true),
    /** CloudHsmAccessDeniedException or a rejected signature/credential. Permanent. */
    ACCESS_DENIED(false, false),
    /** CloudHsmInvalidRequestException. Permanent. */
    INVALID_REQUEST(false, false),
    /** CloudHsmResourceNotFoundException. Permanent for that resource. */
    RESOURCE_NOT_FOUND(false, false),
    /** CloudHsmTagException. Permanent. */
    TAG(false, false),
    /** CloudHsmResourceLimitExceededException. Permanent. */
    RESOURCE_LIMIT_EXCEEDED(false, false),
    /**
     * The copy call succeeded but the copy failed inside AWS (it turned DELETED). Transient: a later run
     * copies the backup again.
     */
    COPY_FAILED(true, false),
    /** A response the library could not read (bad field values, unreadable body). Permanent. */
    BAD_RESPONSE(false, false),
    /** Anything else. Permanent. */
    UNKNOWN(false, false);

    private final boolean transientError;
    private final boolean ambiguous;

    ServiceErrorKind(boolean transientError, boolean ambiguous) {
        this.transientError = transientError;
        this.ambiguous = ambiguous;
    }

    /** @return true when trying again later can succeed. */
    public boolean isTransient() {
        return transientError;
    }

    /**
     * @return true when a mutating call that failed this way may still have taken effect, so its
     *         outcome has to be looked up before it is sent again.
     */
    public boolean isAmbiguous() {
        return ambiguous;
    }
}
