package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.Failure;

import java.util.function.Supplier;

/**
 * Runs one store call on behalf of the engine; failures come out as {@link CallFailedException} carrying a
 * {@link Failure} (classification, attempts, message). Retries live here.
 */
class StoreCalls {

    /**
     * @param operation  the API operation, for messages
     * @param region     the region the call goes to
     * @param resourceId the backup or cluster involved, or {@code null}
     * @param body       the call
     * @throws CallFailedException when the call fails for good
     */
    <T> T call(String operation, String region, String resourceId, Supplier<T> body) {
        try {
            return body.get();
        } catch (BackupServiceException e) {
            throw new CallFailedException(Failure.of(e, operation, 1), e);
        } catch (RuntimeException e) {
            throw new CallFailedException(Failure.of(e, operation + " in " + region
                    + (resourceId == null ? "" : " for " + resourceId), 1), e);
        }
    }
}
