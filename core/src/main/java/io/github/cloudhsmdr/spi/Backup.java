package io.github.cloudhsmdr.spi;

import io.github.cloudhsmdr.CopyTags;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One CloudHSM backup as seen in one region, in this library's own types.
 *
 * <p>Every field but {@code backupId}, {@code region} and {@code state} may be {@code null} when
 * the service leaves it out; {@code tags} is never {@code null}. Copies carry {@code sourceRegion},
 * {@code sourceBackup}, {@code sourceCluster} and {@code copyTimestamp}; their
 * {@code createTimestamp} equals the source backup's.
 *
 * @param backupId        the backup id, {@code backup-…}
 * @param region          the region the backup lives in
 * @param backupArn       the ARN, or {@code null}
 * @param state           the lifecycle state, {@link BackupState#UNKNOWN} for unknown values
 * @param clusterId       the cluster that was backed up, or {@code null}
 * @param createTimestamp creation time (for a copy: the source's creation time), or {@code null}
 * @param copyTimestamp   when the copy was made (copies only), or {@code null}
 * @param deleteTimestamp when a PENDING_DELETION backup is removed for good, or {@code null}
 * @param neverExpires    true when exempt from retention
 * @param sourceRegion    region of the source backup (copies only), or {@code null}
 * @param sourceBackup    id of the source backup (copies only), or {@code null}
 * @param sourceCluster   cluster of the source backup (copies only), or {@code null}
 * @param hsmType         HSM type that produced the backup, or {@code null}
 * @param mode            {@code FIPS} / {@code NON_FIPS}, or {@code null}
 * @param tags            tags on the backup, never {@code null}
 */
public record Backup(
        String backupId,
        String region,
        String backupArn,
        BackupState state,
        String clusterId,
        Instant createTimestamp,
        Instant copyTimestamp,
        Instant deleteTimestamp,
        boolean neverExpires,
        String sourceRegion,
        String sourceBackup,
        String sourceCluster,
        String hsmType,
        String mode,
        Map<String, String> tags) {

    public Backup {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(region, "region");
        state = state == null ? BackupState.UNKNOWN : state;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** @return true when this backup is a copy made from a backup in another region. */
    public boolean isCopy() {
        return sourceRegion != null || sourceBackup != null;
    }

    /**
     * @return the region this copy was made from: {@code SourceRegion}, or this library's provenance tag when
     *         the service leaves the field out; {@code null} for a backup that is not a copy
     */
    public String originRegion() {
        return sourceRegion != null ? sourceRegion : tags.get(CopyTags.SOURCE_REGION);
    }

    /** @return the cluster this copy was made from: {@code SourceCluster}, or the provenance tag; or {@code null} */
    public String originCluster() {
        return sourceCluster != null ? sourceCluster : tags.get(CopyTags.SOURCE_CLUSTER);
    }

    /** @return the backup this copy was made from: {@code SourceBackup}, or the provenance tag; or {@code null} */
    public String originBackup() {
        return sourceBackup != null ? sourceBackup : tags.get(CopyTags.SOURCE_BACKUP);
    }

    /** @return the value of tag {@code key}, if present. */
    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key));
    }

    /** @return a copy of this backup in another state (used by fakes and the engine's bookkeeping). */
    public Backup withState(BackupState newState, Instant newDeleteTimestamp) {
        return new Backup(backupId, region, backupArn, newState, clusterId, createTimestamp, copyTimestamp,
                newDeleteTimestamp, neverExpires, sourceRegion, sourceBackup, sourceCluster, hsmType, mode, tags);
    }

    /** @return a builder for a backup with the given id in the given region. */
    public static Builder builder(String backupId, String region) {
        return new Builder(backupId, region);
    }

    /** @return a builder pre-filled with this backup's fields. */
    public Builder toBuilder() {
        return new Builder(backupId, region).backupArn(backupArn).state(state).clusterId(clusterId)
                .createTimestamp(createTimestamp).copyTimestamp(copyTimestamp).deleteTimestamp(deleteTimestamp)
                .neverExpires(neverExpires).sourceRegion(sourceRegion).sourceBackup(sourceBackup)
                .sourceCluster(sourceCluster).hsmType(hsmType).mode(mode).tags(tags);
    }

    /** Builder for {@link Backup}; not thread-safe. */
    public static final class Builder {
        private final String backupId;
        private final String region;
        private String backupArn;
        private BackupState state = BackupState.READY;
        private String clusterId;
        private Instant createTimestamp;
        private Instant copyTimestamp;
        private Instant deleteTimestamp;
        private boolean neverExpires;
        private String sourceRegion;
        private String sourceBackup;
        private String sourceCluster;
        private String hsmType;
        private String mode;
        private Map<String, String> tags = Map.of();

        private Builder(String backupId, String region) {
            this.backupId = backupId;
            this.region = region;
        }

        public Builder backupArn(String v) { this.backupArn = v; return this; }
        public Builder state(BackupState v) { this.state = v; return this; }
        public Builder clusterId(String v) { this.clusterId = v; return this; }
        public Builder createTimestamp(Instant v) { this.createTimestamp = v; return this; }
        public Builder copyTimestamp(Instant v) { this.copyTimestamp = v; return this; }
        public Builder deleteTimestamp(Instant v) { this.deleteTimestamp = v; return this; }
        public Builder neverExpires(boolean v) { this.neverExpires = v; return this; }
        public Builder sourceRegion(String v) { this.sourceRegion = v; return this; }
        public Builder sourceBackup(String v) { this.sourceBackup = v; return this; }
        public Builder sourceCluster(String v) { this.sourceCluster = v; return this; }
        public Builder hsmType(String v) { this.hsmType = v; return this; }
        public Builder mode(String v) { this.mode = v; return this; }
        public Builder tags(Map<String, String> v) { this.tags = v; return this; }

        public Backup build() {
            return new Backup(backupId, region, backupArn, state, clusterId, createTimestamp, copyTimestamp,
                    deleteTimestamp, neverExpires, sourceRegion, sourceBackup, sourceCluster, hsmType, mode, tags);
        }
    }
}
