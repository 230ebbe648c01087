package io.github.cloudhsmdr.lambda;

import io.github.cloudhsmdr.CloudHsmDrException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by {@link ReplicationHandler} to fail the invocation: the run was FAILED (or PARTIAL with
 * {@code CLOUDHSM_DR_FAIL_ON_PARTIAL=true}), or a recovery point is CRITICAL, MISSING or UNKNOWN. Lambda reports it
 * as the invocation's error (errorType is this class, errorMessage the summary), counts it in the function's
 * {@code Errors} metric and, for asynchronous invocations such as EventBridge schedules, retries it and then sends
 * the event to the on-failure destination.
 */
public final class ReplicationFailedException extends CloudHsmDrException {
    private static final long serialVersionUID = 1L;

    private final String status;
    private final transient Map<String, Object> result;

    ReplicationFailedException(String status, String message, Map<String, Object> result) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
        this.result = Collections.unmodifiableMap(new LinkedHashMap<>(result));
    }

    /** @return the run's status ({@code FAILED}, {@code PARTIAL}) or the worst recovery point status. */
    public String status() {
        return status;
    }

    /** @return what the handler would have returned: the run and the recovery points as a map. */
    public Map<String, Object> result() {
        return result;
    }
}
