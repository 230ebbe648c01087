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

    private static final java.util.Set<String> THROTTLING_CODES = java.util.Set.of("Throttling",
            "ThrottlingException", "ThrottledException", "ProvisionedThroughputExceededException", "SlowDown",
            "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled",
            "RequestThrottledException", "EC2ThrottledException");
    private static final java.util.Set<String> ACCESS_CODES = java.util.Set.of("AccessDeniedException",
            "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "MissingAuthenticationTokenException", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidClientTokenId", "ExpiredTokenException",
            "AuthFailure", "RequestExpired");

    private final boolean transientError;
    private final boolean ambiguous;

    ServiceErrorKind(boolean transientError, boolean ambiguous) {
        this.transientError = transientError;
        this.ambiguous = ambiguous;
    }

    /**
     * Classifies a service error by its wire error code and HTTP status, as listed in the CloudHSM v2 API
     * model and the AWS common errors.
     *
     * @param errorCode  the error code, e.g. {@code CloudHsmInternalFailureException}; may be {@code null}
     * @param httpStatus the HTTP status, or 0 when unknown
     * @return the kind, never {@code null}
     */
    public static ServiceErrorKind fromErrorCode(String errorCode, int httpStatus) {
        if (errorCode != null) {
            switch (errorCode) {
                case "CloudHsmAccessDeniedException":
                    return ACCESS_DENIED;
                case "CloudHsmInternalFailureException":
                case "InternalFailure":
                case "InternalServerError":
                case "ServiceUnavailable":
                case "ServiceUnavailableException":
                    return INTERNAL_FAILURE;
                case "CloudHsmInvalidRequestException":
                case "ValidationException":
                case "InvalidParameterValue":
                case "MissingParameter":
                case "SerializationException":
                case "UnknownOperationException":
                    return INVALID_REQUEST;
                case "CloudHsmResourceNotFoundException":
                    return RESOURCE_NOT_FOUND;
                case "CloudHsmServiceException":
                    return SERVICE_ERROR;
                case "CloudHsmTagException":
                    return TAG;
                case "CloudHsmResourceLimitExceededException":
                    return RESOURCE_LIMIT_EXCEEDED;
                case "PriorRequestNotComplete":
                case "RequestTimeout":
                case "RequestTimeoutException":
                    return NETWORK;
                default:
                    if (THROTTLING_CODES.contains(errorCode)) {
                        return THROTTLING;
                    }
                    if (ACCESS_CODES.contains(errorCode)) {
                        return ACCESS_DENIED;
                    }
            }
        }
        if (httpStatus == 429) {
            return THROTTLING;
        }
        if (httpStatus >= 500) {
            return INTERNAL_FAILURE;
        }
        if (httpStatus == 403 || httpStatus == 401) {
            return ACCESS_DENIED;
        }
        return UNKNOWN;
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
