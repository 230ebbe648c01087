package io.github.cloudhsmdr.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudHSM cluster as seen in one region. Fields but {@code clusterId} and {@code region} may be
 * {@code null}.
 *
 * @param clusterId       the cluster id, {@code cluster-…}
 * @param region          the region the cluster lives in
 * @param state           the state as the service reports it (kept as text: the set grows)
 * @param hsmType         the HSM type, e.g. {@code hsm2m.medium}
 * @param vpcId           the VPC, or {@code null}
 * @param sourceBackupId  the backup it was created from, or {@code null}
 * @param createTimestamp creation time, or {@code null}
 * @param tags            tags on the cluster, never {@code null}
 */
public record Cluster(
        String clusterId,
        String region,
        String state,
        String hsmType,
        String vpcId,
        String sourceBackupId,
        Instant createTimestamp,
        Map<String, String> tags) {

    public Cluster {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(region, "region");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
