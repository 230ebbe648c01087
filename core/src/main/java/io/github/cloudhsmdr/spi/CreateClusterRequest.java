package io.github.cloudhsmdr.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters to create a cluster from a backup (the restore path).
 *
 * @param region         region to create the cluster in; the backup must live there
 * @param sourceBackupId backup id (or ARN) to restore from
 * @param hsmType        HSM type, e.g. {@code hsm2m.medium}
 * @param subnetIds      1 to 10 subnet ids
 * @param tags           tags for the new cluster, never {@code null}
 */
public record CreateClusterRequest(
        String region, String sourceBackupId, String hsmType, List<String> subnetIds, Map<String, String> tags) {

    public CreateClusterRequest {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sourceBackupId, "sourceBackupId");
        Objects.requireNonNull(hsmType, "hsmType");
        subnetIds = List.copyOf(Objects.requireNonNull(subnetIds, "subnetIds"));
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
