package io.github.cloudhsmdr.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies this process started that the destination did not list yet (DescribeBackups is eventually
 * consistent). Remembered for a grace period so that an immediate re-run does not copy them again.
 * Thread-safe.
 */
final class InFlightCopies {
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    private final Duration grace;

    InFlightCopies(Duration grace) {
        this.grace = grace;
    }

    void remember(String destinationRegion, String sourceBackupId, Instant at) {
        started.put(key(destinationRegion, sourceBackupId), at);
    }

    void forget(String destinationRegion, String sourceBackupId) {
        started.remove(key(destinationRegion, sourceBackupId));
    }

    /** @return when the copy was started, if it was within the grace period of {@code now}. */
    Optional<Instant> startedRecently(String destinationRegion, String sourceBackupId, Instant now) {
        String k = key(destinationRegion, sourceBackupId);
        Instant at = started.get(k);
        if (at == null) {
            return Optional.empty();
        }
        if (at.plus(grace).isBefore(now)) {
            started.remove(k, at);
            return Optional.empty();
        }
        return Optional.of(at);
    }

    private static String key(String destinationRegion, String sourceBackupId) {
        return destinationRegion + '/' + sourceBackupId;
    }
}
