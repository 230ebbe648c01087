package io.github.cloudhsmdr.testkit;

/**
 * An error the modelled CloudHSM service answers with, named by its wire error code (e.g.
 * {@code CloudHsmResourceNotFoundException}, {@code ThrottlingException}) and HTTP status.
 */
public final class CloudHsmModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** CloudHsmAccessDeniedException, HTTP 400. */
    public static final String ACCESS_DENIED = "CloudHsmAccessDeniedException";
    /** CloudHsmInternalFailureException, HTTP 500. */
    public static final String INTERNAL_FAILURE = "CloudHsmInternalFailureException";
    /** CloudHsmInvalidRequestException, HTTP 400. */
    public static final String INVALID_REQUEST = "CloudHsmInvalidRequestException";
    /** CloudHsmResourceNotFoundException, HTTP 400. */
    public static final String RESOURCE_NOT_FOUND = "CloudHsmResourceNotFoundException";
    /** CloudHsmServiceException, HTTP 400. */
    public static final String SERVICE = "CloudHsmServiceException";
    /** CloudHsmTagException, HTTP 400. */
    public static final String TAG = "CloudHsmTagException";
    /** CloudHsmResourceLimitExceededException, HTTP 400. */
    public static final String RESOURCE_LIMIT_EXCEEDED = "CloudHsmResourceLimitExceededException";
    /** The generic AWS throttling error, HTTP 400. */
    public static final String THROTTLING = "ThrottlingException";
    /** The generic AWS "service unavailable" error, HTTP 503. */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private final String errorCode;
    private final int httpStatus;

    public CloudHsmModelException(String errorCode, int httpStatus, String message) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    /** @return an error with the status AWS uses for {@code errorCode}. */
    public static CloudHsmModelException of(String errorCode, String message) {
        return new CloudHsmModelException(errorCode, statusOf(errorCode), message);
    }

    /** @return the HTTP status AWS answers {@code errorCode} with. */
    public static int statusOf(String errorCode) {
        return switch (errorCode) {
            case INTERNAL_FAILURE -> 500;
            case SERVICE_UNAVAILABLE -> 503;
            default -> 400;
        };
    }

    /** @return the wire error code. */
    public String errorCode() {
        return errorCode;
    }

    /** @return the HTTP status. */
    public int httpStatus() {
        return httpStatus;
    }
}
