package io.github.cloudhsmdr;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The recovery point one region really holds for one source cluster: its newest READY backup (in the
 * source region) or newest READY copy (in a destination region).
 *
 * @param clusterId       the source cluster
 * @param region          the region measured
 * @param source          true for the source region itself
 * @param backupId        the newest READY backup or copy there, or {@code null} when there is none
 * @param createTimestamp its CreateTimestamp (for a copy: the source backup's), or {@code null}
 * @param age             how old the data in it is at measuring time, or {@code null}
 * @param copyLag         for a copy: how long after the source backup was made the copy was made, else
 *                        {@code null}
 * @param behindSource    how far the region lags the source's newest READY backup, or {@code null}
 * @param status          against the configured objective
 * @param failure         why the region could not be measured, or {@code null}
 */
public record RecoveryPoint(
        String clusterId,
        String region,
        boolean source,
        String backupId,
        Instant createTimestamp,
        Duration age,
        Duration copyLag,
        Duration behindSource,
        RecoveryPointStatus status,
        Failure failure) {

    public RecoveryPoint {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
    }
}
