package io.github.cloudhsmdr;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated, immutable configuration of a {@link BackupReplicator}: a value that holds no live resource
 * (the store the replicator talks to is given to the builder, not kept here). Built by
 * {@link ReplicatorBuilder#buildConfig()}; {@link #toBuilder()} starts a new builder from it, and
 * {@code config.toBuilder().buildConfig()} holds the same settings. Thread-safe.
 */
public final class ReplicatorConfig {
    private final String name;
    private final String sourceRegion;
    private final Set<String> clusterIds;
    private final List<String> destinationRegions;
    private final Selection selection;
    private final Map<String, String> copyTags;
    private final boolean copySourceTags;
    private final boolean repairTags;
    private final boolean includeCopies;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration waitForReady;
    private final Duration pollInterval;
    private final Duration maxPollInterval;
    private final int maxConcurrentDestinations;
    private final RetentionPolicy retentionPolicy;
    private final RetryPolicy retryPolicy;
    private final int maxConcurrentCallsPerRegion;
    private final long randomSeed;
    private final Duration rpoWarnAfter;
    private final Duration rpoCriticalAfter;
    private final List<ReplicationListener> listeners;

    ReplicatorConfig(ReplicatorBuilder b) {
        this.name = b.name;
        this.sourceRegion = b.sourceRegion;
        this.clusterIds = Set.copyOf(b.clusterIds);
        this.destinationRegions = List.copyOf(b.destinationRegions);
        this.selection = b.selection;
        this.copyTags = Map.copyOf(b.copyTags);
        this.copySourceTags = b.copySourceTags;
        this.repairTags = b.repairTags;
        this.includeCopies = b.includeCopies;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.waitForReady = b.waitForReady;
        this.pollInterval = b.pollInterval;
        this.maxPollInterval = b.maxPollInterval;
        this.maxConcurrentDestinations = b.maxConcurrentDestinations;
        this.retentionPolicy = b.retentionPolicy;
        this.retryPolicy = b.retryPolicy;
        this.maxConcurrentCallsPerRegion = b.maxConcurrentCallsPerRegion;
        this.randomSeed = b.randomSeed;
        this.rpoWarnAfter = b.rpoWarnAfter;
        this.rpoCriticalAfter = b.rpoCriticalAfter;
        this.listeners = List.copyOf(b.listeners);
    }

    /** @return the replicator's name (value of its ownership tag). */
    public String name() {
        return name;
    }

    /** @return the source region. */
    public String sourceRegion() {
        return sourceRegion;
    }

    /** @return the clusters to replicate; empty means every cluster found in the source region. */
    public Set<String> clusterIds() {
        return clusterIds;
    }

    /** @return the destination regions, in the order given. */
    public List<String> destinationRegions() {
        return destinationRegions;
    }

    /** @return which source backups are copied. */
    public Selection selection() {
        return selection;
    }

    /** @return user tags put on every copy (besides the library's own). */
    public Map<String, String> copyTags() {
        return copyTags;
    }

    /** @return true when the source backup's own tags are carried over to its copies. */
    public boolean copySourceTags() {
        return copySourceTags;
    }

    /**
     * @return true when the replicator puts its ownership and provenance tags back (TagResource) on a copy it made
     *         in the run that arrived without them
     */
    public boolean repairTags() {
        return repairTags;
    }

    /** @return true when backups that are themselves copies into the source region are exported too. */
    public boolean includeCopies() {
        return includeCopies;
    }

    /** @return the clock. */
    public Clock clock() {
        return clock;
    }

    /** @return the sleeper used for every wait. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** @return how long to wait for new copies to turn READY; zero means do not wait. */
    public Duration waitForReady() {
        return waitForReady;
    }

    /** @return the first interval between polls for READY. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** @return the longest interval between polls for READY. */
    public Duration maxPollInterval() {
        return maxPollInterval;
    }

    /** @return how many destination regions are worked on at once. */
    public int maxConcurrentDestinations() {
        return maxConcurrentDestinations;
    }

    /** @return the retention policy for copies, if any. */
    public java.util.Optional<RetentionPolicy> retentionPolicy() {
        return java.util.Optional.ofNullable(retentionPolicy);
    }

    /** @return how failed calls are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return how many calls go to one region at once. */
    public int maxConcurrentCallsPerRegion() {
        return maxConcurrentCallsPerRegion;
    }

    /** @return the seed of the retry jitter. */
    public long randomSeed() {
        return randomSeed;
    }

    /** @return the age after which a recovery point is WARN. */
    public Duration rpoWarnAfter() {
        return rpoWarnAfter;
    }

    /** @return the age after which a recovery point is CRITICAL. */
    public Duration rpoCriticalAfter() {
        return rpoCriticalAfter;
    }

    /** @return the listeners. */
    public List<ReplicationListener> listeners() {
        return listeners;
    }

    /** @return a builder holding this configuration. */
    public ReplicatorBuilder toBuilder() {
        return new ReplicatorBuilder(this);
    }

    @Override
    public String toString() {
        return "ReplicatorConfig[name=" + name + ", sourceRegion=" + sourceRegion + ", clusterIds=" + clusterIds
                + ", destinationRegions=" + destinationRegions + ", selection=" + selection
                + ", copySourceTags=" + copySourceTags + ", repairTags=" + repairTags + ", includeCopies=" + includeCopies
                + ", waitForReady=" + waitForReady + ", retentionPolicy=" + retentionPolicy + ", retryPolicy=" + retryPolicy
                + ", maxConcurrentDestinations=" + maxConcurrentDestinations
                + ", maxConcurrentCallsPerRegion=" + maxConcurrentCallsPerRegion + "]";
    }
}
