package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.spi.RegionDirectory;

import java.util.Optional;

/**
 * Registered with {@link java.util.ServiceLoader}: builders check regions against the AWS SDK's region metadata
 * ({@link AwsRegions}) when this module is on the classpath. Thread-safe.
 */
public final class AwsRegionDirectory implements RegionDirectory {

    /** Called by {@link java.util.ServiceLoader}. */
    public AwsRegionDirectory() {
    }

    @Override
    public Optional<String> partitionOf(String regionId) {
        return AwsRegions.partitionOf(regionId);
    }

    @Override
    public String describe() {
        return "the AWS SDK";
    }
}
