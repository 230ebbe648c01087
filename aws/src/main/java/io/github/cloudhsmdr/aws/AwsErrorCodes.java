package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.ServiceErrorKind;

import java.util.Set;

/**
 * The wire error codes of CloudHSM v2 and the AWS common errors, and the {@link ServiceErrorKind} each one
 * means. Used by {@link AwsBackupStore} and by stores that speak the same error codes (the testkit's
 * in-memory store). Thread-safe; no instances.
 */
public final class AwsErrorCodes {
    private static final Set<String> THROTTLING_CODES = Set.of("Throttling",
            "ThrottlingException", "ThrottledException", "ProvisionedThroughputExceededException", "SlowDown",
            "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled",
            "RequestThrottledException", "EC2ThrottledException");
    private static final Set<String> ACCESS_CODES = Set.of("AccessDeniedException",
            "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "MissingAuthenticationTokenException", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidClientTokenId", "ExpiredTokenException",
            "AuthFailure", "RequestExpired");

    private AwsErrorCodes() {
    }

    /**
     * Classifies a service error by its wire error code and HTTP status, as listed in the CloudHSM v2 API
     * model and the AWS common errors.
     *
     * @param errorCode  the error code, e.g. {@code CloudHsmInternalFailureException}; may be {@code null}
     * @param httpStatus the HTTP status, or 0 when unknown
     * @return the kind, never {@code null}
     */
    public static ServiceErrorKind kindOf(String errorCode, int httpStatus) {
        if (errorCode != null) {
            switch (errorCode) {
                case "CloudHsmAccessDeniedException":
                    return ServiceErrorKind.ACCESS_DENIED;
                case "CloudHsmInternalFailureException":
                case "InternalFailure":
                case "InternalServerError":
                case "ServiceUnavailable":
                case "ServiceUnavailableException":
                    return ServiceErrorKind.INTERNAL_FAILURE;
                case "CloudHsmInvalidRequestException":
                case "ValidationException":
                case "InvalidParameterValue":
                case "MissingParameter":
                case "SerializationException":
                case "UnknownOperationException":
                    return ServiceErrorKind.INVALID_REQUEST;
                case "CloudHsmResourceNotFoundException":
                    return ServiceErrorKind.RESOURCE_NOT_FOUND;
                case "CloudHsmServiceException":
                    return ServiceErrorKind.SERVICE_ERROR;
                case "CloudHsmTagException":
                    return ServiceErrorKind.TAG;
                case "CloudHsmResourceLimitExceededException":
                    return ServiceErrorKind.RESOURCE_LIMIT_EXCEEDED;
                case "PriorRequestNotComplete":
                case "RequestTimeout":
                case "RequestTimeoutException":
                    return ServiceErrorKind.NETWORK;
                default:
                    if (THROTTLING_CODES.contains(errorCode)) {
                        return ServiceErrorKind.THROTTLING;
                    }
                    if (ACCESS_CODES.contains(errorCode)) {
                        return ServiceErrorKind.ACCESS_DENIED;
                    }
            }
        }
        if (httpStatus == 429) {
            return ServiceErrorKind.THROTTLING;
        }
        if (httpStatus >= 500) {
            return ServiceErrorKind.INTERNAL_FAILURE;
        }
        if (httpStatus == 403 || httpStatus == 401) {
            return ServiceErrorKind.ACCESS_DENIED;
        }
        return ServiceErrorKind.UNKNOWN;
    }

}
