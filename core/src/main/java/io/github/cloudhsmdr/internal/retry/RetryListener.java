package io.github.cloudhsmdr.internal.retry;

import io.github.cloudhsmdr.BackupServiceException;

import java.time.Duration;

/** Told before each retry, so the engine can emit listener events and log. */
@FunctionalInterface
public interface RetryListener {

    /** A listener that does nothing. */
    RetryListener NONE = (operation, region, attempt, error, wait) -> {
    };

    /**
     * Called after attempt {@code attempt} failed with a transient {@code error}, before waiting {@code wait} and
     * sending attempt {@code attempt + 1}. An exception thrown here is logged and ignored.
     *
     * @param operation the operation, e.g. {@code CopyBackupToRegion}
     * @param region    the region the call goes to
     * @param attempt   the number of the attempt that failed, from 1
     * @param error     why it failed
     * @param wait      how long the retrier waits before the next attempt
     */
    void onRetry(String operation, String region, int attempt, BackupServiceException error, Duration wait);
}
