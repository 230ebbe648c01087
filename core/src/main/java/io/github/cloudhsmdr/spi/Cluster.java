package io.github.cloudhsmdr.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param mode            {@code FIPS} / {@code NON_FIPS}, or {@code null}
 * @param stateMessage    the service's explanation of the state, or {@code null}
 * @param subnetMapping   availability zone to subnet id, never {@code null}
 * @param certificates    the certificates the cluster reports, never {@code null} (all fields may be null)
 * @param hsms            the cluster's HSMs, never {@code null}
 */
public record Cluster(
        String clusterId,
        String region,
        String state,
        String hsmType,
        String vpcId,
        String sourceBackupId,
        Instant createTimestamp,
        Map<String, String> tags,
        String mode,
        String stateMessage,
        Map<String, String> subnetMapping,
        ClusterCertificates certificates,
        List<Hsm> hsms) {

    public Cluster {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(region, "region");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        subnetMapping = subnetMapping == null ? Map.of() : Map.copyOf(subnetMapping);
        certificates = certificates == null ? ClusterCertificates.NONE : certificates;
        hsms = hsms == null ? List.of() : List.copyOf(hsms);
    }

    /**
     * A cluster without mode, state message, subnet mapping, certificates or HSMs (the fields this record had
     * first).
     */
    public Cluster(String clusterId, String region, String state, String hsmType, String vpcId, String sourceBackupId,
            Instant createTimestamp, Map<String, String> tags) {
        this(clusterId, region, state, hsmType, vpcId, sourceBackupId, createTimestamp, tags, null, null, null, null,
                null);
    }

    /** @return the availability zone of {@code subnetId} according to {@link #subnetMapping()}, if listed. */
    public Optional<String> availabilityZoneOf(String subnetId) {
        return subnetMapping.entrySet().stream().filter(e -> e.getValue().equals(subnetId)).map(Map.Entry::getKey)
                .findFirst();
    }

    /** @return the value of tag {@code key}, if present. */
    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key));
    }
}
