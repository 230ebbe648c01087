package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.ClusterCertificates;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.Hsm;
import software.amazon.awssdk.services.cloudhsmv2.model.DestinationBackup;
import software.amazon.awssdk.services.cloudhsmv2.model.Tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates between the SDK's CloudHSM model and this library's port types. Every optional field the
 * service leaves out becomes {@code null} (or an empty map, or {@code false} for NeverExpires); enum
 * values the SDK does not know are read as text, so a newer service never breaks the mapping.
 */
final class AwsMapping {
    /** DescribeBackups filter keys, as the service names them. */
    static final String BACKUP_IDS = "backupIds";
    static final String SOURCE_BACKUP_IDS = "sourceBackupIds";
    static final String CLUSTER_IDS = "clusterIds";
    static final String STATES = "states";
    static final String NEVER_EXPIRES = "neverExpires";

    private AwsMapping() {
    }

    /**
     * @param b          the SDK backup
     * @param region     the region it was read in
     * @param fallbackId the id to use when the service left BackupId out, or {@code null}
     * @return the backup, or {@code null} when it has no id at all
     */
    static Backup toBackup(software.amazon.awssdk.services.cloudhsmv2.model.Backup b, String region,
            String fallbackId) {
        String id = b.backupId() != null ? b.backupId() : fallbackId;
        if (id == null) {
            return null;
        }
        return new Backup(id, region, b.backupArn(), BackupState.fromApi(b.backupStateAsString()), b.clusterId(),
                b.createTimestamp(), b.copyTimestamp(), b.deleteTimestamp(), Boolean.TRUE.equals(b.neverExpires()),
                b.sourceRegion(), b.sourceBackup(), b.sourceCluster(), b.hsmType(), b.modeAsString(),
                tagMap(b.tagList()));
    }

    /** @return the cluster, or {@code null} when it has no id. */
    static Cluster toCluster(software.amazon.awssdk.services.cloudhsmv2.model.Cluster c, String region) {
        if (c.clusterId() == null) {
            return null;
        }
        software.amazon.awssdk.services.cloudhsmv2.model.Certificates certs = c.certificates();
        ClusterCertificates certificates = certs == null ? null : new ClusterCertificates(certs.clusterCertificate(),
                certs.clusterCsr(), certs.hsmCertificate(), certs.awsHardwareCertificate(),
                certs.manufacturerHardwareCertificate());
        List<Hsm> hsms = new ArrayList<>();
        if (c.hasHsms()) {
            for (software.amazon.awssdk.services.cloudhsmv2.model.Hsm h : c.hsms()) {
                Hsm hsm = h == null ? null : toHsm(h);
                if (hsm != null) {
                    hsms.add(hsm);
                }
            }
        }
        return new Cluster(c.clusterId(), region, c.stateAsString(), c.hsmType(), c.vpcId(), c.sourceBackupId(),
                c.createTimestamp(), tagMap(c.tagList()), c.modeAsString(), c.stateMessage(),
                c.hasSubnetMapping() ? c.subnetMapping() : Map.of(), certificates, hsms);
    }

    /** @return the HSM, or {@code null} when it has no id. */
    static Hsm toHsm(software.amazon.awssdk.services.cloudhsmv2.model.Hsm h) {
        if (h.hsmId() == null) {
            return null;
        }
        return new Hsm(h.hsmId(), h.clusterId(), h.availabilityZone(), h.subnetId(), h.eniId(), h.eniIp(),
                h.stateAsString(), h.stateMessage());
    }

    /**
     * Maps the CopyBackupToRegion answer; what the service leaves out is taken from the request.
     */
    static CopyResult toCopyResult(DestinationBackup d, String sourceRegion, String backupId) {
        if (d == null) {
            return new CopyResult(backupId, sourceRegion, null, null);
        }
        return new CopyResult(d.sourceBackup() != null ? d.sourceBackup() : backupId,
                d.sourceRegion() != null ? d.sourceRegion() : sourceRegion, d.sourceCluster(), d.createTimestamp());
    }

    /** @return the tags as a map; entries without a key are dropped, a missing value reads as "". */
    static Map<String, String> tagMap(Collection<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Tag t : tags) {
            if (t != null && t.key() != null) {
                map.put(t.key(), t.value() == null ? "" : t.value());
            }
        }
        return map;
    }

    /** @return the map as an SDK tag list, ordered by key. */
    static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>(tags.size());
        new TreeMap<>(tags).forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
        return list;
    }

    /**
     * The DescribeBackups filters for one request, without the id lists (those are chunked by the caller).
     * States are left out when {@code filter} asks for {@link BackupState#UNKNOWN}, which has no wire value;
     * the caller then filters on state itself.
     */
    static Map<String, List<String>> baseFilters(BackupFilter filter) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (!filter.clusterIds().isEmpty()) {
            filters.put(CLUSTER_IDS, sorted(filter.clusterIds()));
        }
        if (!filter.states().isEmpty() && !filter.states().contains(BackupState.UNKNOWN)) {
            List<String> states = new ArrayList<>();
            filter.states().stream().sorted().forEach(s -> states.add(s.name()));
            filters.put(STATES, states);
        }
        if (filter.neverExpires() != null) {
            filters.put(NEVER_EXPIRES, List.of(filter.neverExpires().toString()));
        }
        return filters;
    }

    /** @return the values sorted, split into lists of at most {@code size}; one empty list for no values. */
    static List<List<String>> chunks(Collection<String> values, int size) {
        if (values.isEmpty()) {
            return List.of(List.of());
        }
        List<String> all = sorted(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return chunks;
    }

    static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
