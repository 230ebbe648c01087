package io.github.cloudhsmdr.spi;

import java.util.Optional;

/**
 * Knows which regions exist and the partition of each, so a builder can refuse a mistyped region before
 * anything runs. Found with {@link java.util.ServiceLoader}: the {@code cloudhsm-dr-aws} module registers one
 * backed by the AWS SDK's region metadata. Without one, core checks only the form of a region id and reads its
 * partition off the id's prefix. Implementations are thread-safe and have a public no-argument constructor.
 */
public interface RegionDirectory {

    /**
     * @param regionId a region id such as {@code us-east-1}
     * @return the id of the region's partition ({@code aws}, {@code aws-us-gov}, {@code aws-cn}, …), or empty when
     *         the region is not known
     */
    Optional<String> partitionOf(String regionId);

    /** @return how the directory is named in messages, e.g. "the AWS SDK" */
    String describe();
}
