package io.github.cloudhsmdr.drill;

import java.time.Instant;
import java.util.Objects;

/**
 * What a passing drill remembers about a source cluster, so that a later drill can check the certificates of a
 * restored cluster when the source region is down.
 *
 * @param sourceClusterId                the source cluster
 * @param drillId                        the drill that passed
 * @param region                         the region it restored in
 * @param finishedAt                     when it finished
 * @param backupId                       the backup it restored
 * @param clusterCertificateFingerprint  SHA-256 fingerprint of the cluster certificate the restored cluster
 *                                       presented (see {@link CertificateFingerprint})
 */
public record DrillRecord(String sourceClusterId, String drillId, String region, Instant finishedAt, String backupId,
        String clusterCertificateFingerprint) {

    public DrillRecord {
        Objects.requireNonNull(sourceClusterId, "sourceClusterId");
        Objects.requireNonNull(drillId, "drillId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(clusterCertificateFingerprint, "clusterCertificateFingerprint");
    }
}
