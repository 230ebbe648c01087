package io.github.cloudhsmdr.aws;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import java.util.Optional;

/**
 * Region facts from the AWS SDK's metadata, so configuration can be checked before anything runs.
 */
public final class AwsRegions {
    private AwsRegions() {
    }

    /**
     * @param regionId a region id such as {@code us-east-1}
     * @return the id of the partition the region belongs to ({@code aws}, {@code aws-us-gov}, …), or empty
     *         when the SDK does not know the region
     */
    public static Optional<String> partitionOf(String regionId) {
        if (regionId == null) {
            return Optional.empty();
        }
        for (Region r : Region.regions()) {
            if (r.id().equals(regionId) && !r.isGlobalRegion()) {
                RegionMetadata md = RegionMetadata.of(r);
                return md == null || md.partition() == null ? Optional.of("aws") : Optional.of(md.partition().id());
            }
        }
        return Optional.empty();
    }
}
