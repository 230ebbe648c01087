package io.github.cloudhsmdr;

import java.time.Duration;

/**
 * A call that failed with a transient error and is retried.
 *
 * @param replicatorName the replicator's name
 * @param operation      the API operation, e.g. {@code CopyBackupToRegion}
 * @param region         the region the call goes to
 * @param attempt        the number of the attempt that failed, from 1
 * @param kind           the classification of the error
 * @param message        the error's message
 * @param delay          how long the replicator waits before the next attempt
 */
public record RetryEvent(
        String replicatorName, String operation, String region, int attempt, ServiceErrorKind kind, String message,
        Duration delay) {
}
