package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.spi.RegionDirectory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Region ids and their partitions for configuration checks. The {@link RegionDirectory} on the classpath (the
 * {@code cloudhsm-dr-aws} module's, from the SDK's region metadata) decides when there is one; without one, core
 * checks the id's form and reads its partition off its prefix, so core needs no AWS SDK to check a
 * configuration. Thread-safe; no instances.
 */
public final class RegionIds {
    private static final Pattern REGION = Pattern.compile("(eusc|[a-z]{2})(-[a-z]+)+-[1-9]");
    /** Longest prefix first. */
    private static final List<Map.Entry<String, String>> PARTITIONS = List.of(
            Map.entry("us-isob-", "aws-iso-b"),
            Map.entry("us-isof-", "aws-iso-f"),
            Map.entry("eu-isoe-", "aws-iso-e"),
            Map.entry("us-iso-", "aws-iso"),
            Map.entry("us-gov-", "aws-us-gov"),
            Map.entry("eusc-", "aws-eusc"),
            Map.entry("cn-", "aws-cn"));

    private static final Optional<RegionDirectory> DIRECTORY = ServiceLoader
            .load(RegionDirectory.class, RegionIds.class.getClassLoader()).findFirst();

    private RegionIds() {
    }

    /**
     * @param field    the setting, for the message
     * @param regionId the region id given
     * @return the region's partition
     * @throws IllegalArgumentException naming the field and the value when the region is not known
     */
    public static String requirePartition(String field, String regionId) {
        if (DIRECTORY.isPresent()) {
            return DIRECTORY.get().partitionOf(regionId).orElseThrow(() -> new IllegalArgumentException(field
                    + " contains '" + regionId + "', which is not a region " + DIRECTORY.get().describe()
                    + " knows (expected an id such as us-east-1)"));
        }
        return partitionOf(regionId).orElseThrow(() -> new IllegalArgumentException(field + " contains '" + regionId
                + "', which is not a region id (expected an id such as us-east-1 or us-gov-west-1)"));
    }

    /**
     * The form-and-prefix rule used when no {@link RegionDirectory} is on the classpath.
     *
     * @param regionId a region id such as {@code us-east-1}
     * @return the partition id ({@code aws}, {@code aws-us-gov}, {@code aws-cn}, …), or empty when the text is
     *         not a region id
     */
    public static Optional<String> partitionOf(String regionId) {
        if (regionId == null || !REGION.matcher(regionId).matches()) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> p : PARTITIONS) {
            if (regionId.startsWith(p.getKey())) {
                return Optional.of(p.getValue());
            }
        }
        return Optional.of("aws");
    }
}
