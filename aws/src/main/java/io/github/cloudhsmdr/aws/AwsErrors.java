package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInternalFailureException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInvalidRequestException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceLimitExceededException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceNotFoundException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmServiceException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmTagException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Maps every exception a {@code CloudHsmV2Client} call can throw to a {@link BackupServiceException}.
 *
 * <ul>
 *   <li>{@link AwsServiceException}: the error code from {@link AwsErrorDetails#errorCode()} (or, when the SDK
 *       gave none, the modeled exception's wire name) and the HTTP status go through
 *       {@link AwsErrorCodes.kindOf(String, int)}; {@code isThrottlingException()} wins and gives
 *       {@link ServiceErrorKind#THROTTLING}.</li>
 *   <li>{@link SdkClientException}: call and attempt timeouts and I/O errors (connection refused or reset,
 *       unknown host, read timeout) give {@link ServiceErrorKind#NETWORK}; an unreadable response
 *       ("Unable to unmarshall response", JSON parse errors) gives {@link ServiceErrorKind#BAD_RESPONSE};
 *       credentials that cannot be loaded give {@link ServiceErrorKind#ACCESS_DENIED}; an aborted
 *       (interrupted) call and anything else give {@link ServiceErrorKind#UNKNOWN}.</li>
 *   <li>Any other runtime exception (for example from a caller-supplied client) gives
 *       {@link ServiceErrorKind#UNKNOWN}.</li>
 * </ul>
 * The original exception is always the cause.
 */
final class AwsErrors {
    private AwsErrors() {
    }

    static BackupServiceException map(RuntimeException e, String operation, String region, String resourceId) {
        if (e instanceof BackupServiceException b) {
            return b;
        }
        if (e instanceof AwsServiceException a) {
            AwsErrorDetails details = a.awsErrorDetails();
            String code = details != null && details.errorCode() != null ? details.errorCode() : modeledCode(a);
            ServiceErrorKind kind = a.isThrottlingException() ? ServiceErrorKind.THROTTLING
                    : AwsErrorCodes.kindOf(code, a.statusCode());
            String detail = details != null && details.errorMessage() != null ? details.errorMessage()
                    : a.getMessage();
            return new BackupServiceException(kind, operation, region, resourceId, code,
                    withRequestId(detail, a.requestId(), a.statusCode()), e);
        }
        if (e instanceof SdkServiceException s) {
            ServiceErrorKind kind = s.isThrottlingException() ? ServiceErrorKind.THROTTLING
                    : AwsErrorCodes.kindOf(null, s.statusCode());
            return new BackupServiceException(kind, operation, region, resourceId, null,
                    withRequestId(s.getMessage(), s.requestId(), s.statusCode()), e);
        }
        if (e instanceof SdkClientException c) {
            return new BackupServiceException(classifyClientError(c), operation, region, resourceId, null,
                    describe(c), e);
        }
        return new BackupServiceException(ServiceErrorKind.UNKNOWN, operation, region, resourceId, null,
                describe(e), e);
    }

    static ServiceErrorKind classifyClientError(SdkClientException c) {
        if (c instanceof ApiCallTimeoutException || c instanceof ApiCallAttemptTimeoutException) {
            return ServiceErrorKind.NETWORK;
        }
        if (c instanceof AbortedException) {
            return ServiceErrorKind.UNKNOWN;
        }
        String message = c.getMessage() == null ? "" : c.getMessage();
        if (message.startsWith("Unable to unmarshall response")) {
            return ServiceErrorKind.BAD_RESPONSE;
        }
        for (Throwable t = c.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                // Jackson's parse errors are IOExceptions too, but they mean a bad body, not a bad network.
                return t.getClass().getName().toLowerCase(Locale.ROOT).contains("json")
                        ? ServiceErrorKind.BAD_RESPONSE : ServiceErrorKind.NETWORK;
            }
        }
        if (message.startsWith("Unable to execute HTTP request")) {
            return ServiceErrorKind.NETWORK;
        }
        if (message.startsWith("Unable to load credentials")) {
            return ServiceErrorKind.ACCESS_DENIED;
        }
        return ServiceErrorKind.UNKNOWN;
    }

    /** The wire error code of a modeled CloudHSM exception, for exceptions built without error details. */
    private static String modeledCode(AwsServiceException a) {
        if (a instanceof CloudHsmAccessDeniedException || a instanceof CloudHsmInternalFailureException
                || a instanceof CloudHsmInvalidRequestException || a instanceof CloudHsmResourceNotFoundException
                || a instanceof CloudHsmServiceException || a instanceof CloudHsmTagException
                || a instanceof CloudHsmResourceLimitExceededException) {
            return a.getClass().getSimpleName();
        }
        return null;
    }

    private static String withRequestId(String detail, String requestId, int status) {
        StringBuilder sb = new StringBuilder(detail == null ? "" : detail);
        if (status > 0) {
            sb.append(sb.length() > 0 ? " " : "").append("(HTTP ").append(status);
            if (requestId != null) {
                sb.append(", request id ").append(requestId);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
