package io.github.cloudhsmdr;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to restore where: the newest READY backup of {@code sourceClusterId} found in {@code region} (a copy
 * made there, or the cluster's own backup when the cluster lives in that region), or an explicit backup.
 *
 * @param region          region to create the new cluster in; the backup must live there
 * @param sourceClusterId the cluster whose data is restored (used when {@code backupId} is {@code null})
 * @param backupId        an explicit backup to restore, or {@code null} for the newest READY one
 * @param hsmType         HSM type of the new cluster, or {@code null} for the backup's own
 * @param subnetIds       1 to 10 subnets of the VPC for the new cluster
 * @param tags            tags for the new cluster
 */
public record RestoreRequest(
        String region, String sourceClusterId, String backupId, String hsmType, List<String> subnetIds,
        Map<String, String> tags) {

    private static final Pattern BACKUP_ID = Pattern.compile("backup-[2-7a-zA-Z]{11,16}");

    public RestoreRequest {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(subnetIds, "subnetIds");
        if (sourceClusterId == null && backupId == null) {
            throw new IllegalArgumentException("sourceClusterId and backupId are both null: give one of them");
        }
        if (sourceClusterId != null && !ReplicatorBuilder.CLUSTER_ID.matcher(sourceClusterId).matches()) {
            throw new IllegalArgumentException("sourceClusterId '" + sourceClusterId
                    + "' is not a cluster id: expected cluster- followed by 11 to 16 of [2-7a-zA-Z]");
        }
        if (backupId != null && !BACKUP_ID.matcher(backupId).matches()) {
            throw new IllegalArgumentException("backupId '" + backupId
                    + "' is not a backup id: expected backup- followed by 11 to 16 of [2-7a-zA-Z]");
        }
        if (subnetIds.isEmpty() || subnetIds.size() > 10) {
            throw new IllegalArgumentException("subnetIds has " + subnetIds.size() + " entries: give 1 to 10 subnets");
        }
        subnetIds = List.copyOf(subnetIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** @return a request to restore the newest READY backup of {@code sourceClusterId} in {@code region}. */
    public static RestoreRequest newestOf(String sourceClusterId, String region, List<String> subnetIds) {
        return new RestoreRequest(region, sourceClusterId, null, null, subnetIds, Map.of());
    }
}
