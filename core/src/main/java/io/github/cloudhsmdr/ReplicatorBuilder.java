package io.github.cloudhsmdr;

import io.github.cloudhsmdr.internal.Bounds;
import io.github.cloudhsmdr.internal.DefaultBackupReplicator;
import io.github.cloudhsmdr.internal.RegionIds;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.BackupStoreProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a {@link BackupReplicator}. Every setting is checked in {@link #build()}: a
 * {@link NullPointerException} names a missing parameter, an {@link IllegalArgumentException} names the
 * field, the bad value and what is allowed. Not thread-safe.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code name}</td><td>{@code default}</td></tr>
 *   <tr><td>{@code sourceRegion}</td><td>required</td></tr>
 *   <tr><td>{@code destinationRegions}</td><td>required, at least one</td></tr>
 *   <tr><td>{@code clusterIds}</td><td>every cluster in the source region</td></tr>
 *   <tr><td>{@code selection}</td><td>{@code Selection.allWithin(14 days)}</td></tr>
 *   <tr><td>{@code copyTags}</td><td>none</td></tr>
 *   <tr><td>{@code copySourceTags}</td><td>true</td></tr>
 *   <tr><td>{@code repairTags}</td><td>false</td></tr>
 *   <tr><td>{@code includeCopies}</td><td>false</td></tr>
 *   <tr><td>{@code waitForReady}</td><td>zero: do not wait (at most {@link #MAX_WAIT_FOR_READY}, 24 h)</td></tr>
 *   <tr><td>{@code pollInterval} / {@code maxPollInterval}</td><td>15 s / 2 min (each at most
 *       {@link #MAX_POLL_INTERVAL}, 1 h)</td></tr>
 *   <tr><td>{@code maxConcurrentDestinations}</td><td>4</td></tr>
 *   <tr><td>{@code retentionPolicy}</td><td>none: copies are kept</td></tr>
 *   <tr><td>{@code retryPolicy}</td><td>{@link RetryPolicy#defaults()}</td></tr>
 *   <tr><td>{@code maxConcurrentCallsPerRegion}</td><td>8 (the ceiling of an adaptive limit that starts at 2)</td></tr>
 *   <tr><td>{@code recoveryPointObjective}</td><td>warn after 28 h, critical after 32 h (each at most
 *       {@link #MAX_RECOVERY_POINT_OBJECTIVE}, 365 days)</td></tr>
 *   <tr><td>{@code clock} / {@code sleeper}</td><td>system UTC / {@link Sleeper#SYSTEM}</td></tr>
 *   <tr><td>{@code backupStore}</td><td>made by the {@link BackupStoreProvider} on the classpath (the
 *       {@code cloudhsm-dr-aws} module's: default credentials, one client per region, no SDK retries), created by
 *       the replicator and closed with it</td></tr>
 * </table>
 */
public final class ReplicatorBuilder {
    /** The longest {@code waitForReady}: 24 hours. */
    public static final Duration MAX_WAIT_FOR_READY = Duration.ofHours(24);
    /** The longest {@code pollInterval} and {@code maxPollInterval}: 1 hour. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);
    /** The longest warn and critical thresholds of the {@code recoveryPointObjective}: 365 days. */
    public static final Duration MAX_RECOVERY_POINT_OBJECTIVE = Duration.ofDays(365);
    /** The most {@code maxConcurrentDestinations}: 64. */
    public static final int MAX_CONCURRENT_DESTINATIONS = 64;
    /** The highest ceiling {@code maxConcurrentCallsPerRegion}: 16. */
    public static final int MAX_CONCURRENT_CALLS_PER_REGION = 16;

    static final Pattern CLUSTER_ID = Pattern.compile("cluster-[2-7a-zA-Z]{11,16}");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/=+\\-@]{1,64}");
    static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    String name = "default";
    String sourceRegion;
    List<String> clusterIds = new ArrayList<>();
    List<String> destinationRegions = new ArrayList<>();
    Selection selection = Selection.defaults();
    Map<String, String> copyTags = new LinkedHashMap<>();
    boolean copySourceTags = true;
    boolean repairTags;
    boolean includeCopies;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.SYSTEM;
    Duration waitForReady = Duration.ZERO;
    Duration pollInterval = Duration.ofSeconds(15);
    Duration maxPollInterval = Duration.ofMinutes(2);
    int maxConcurrentDestinations = 4;
    RetentionPolicy retentionPolicy;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    int maxConcurrentCallsPerRegion = 8;
    long randomSeed = System.nanoTime();
    Duration rpoWarnAfter = Duration.ofHours(28);
    Duration rpoCriticalAfter = Duration.ofHours(32);
    List<ReplicationListener> listeners = new ArrayList<>();
    BackupStore backupStore;

    ReplicatorBuilder() {
    }

    ReplicatorBuilder(ReplicatorConfig c) {
        name = c.name();
        sourceRegion = c.sourceRegion();
        clusterIds = new ArrayList<>(c.clusterIds());
        destinationRegions = new ArrayList<>(c.destinationRegions());
        selection = c.selection();
        copyTags = new LinkedHashMap<>(c.copyTags());
        copySourceTags = c.copySourceTags();
        repairTags = c.repairTags();
        includeCopies = c.includeCopies();
        clock = c.clock();
        sleeper = c.sleeper();
        waitForReady = c.waitForReady();
        pollInterval = c.pollInterval();
        maxPollInterval = c.maxPollInterval();
        maxConcurrentDestinations = c.maxConcurrentDestinations();
        retentionPolicy = c.retentionPolicy().orElse(null);
        retryPolicy = c.retryPolicy();
        maxConcurrentCallsPerRegion = c.maxConcurrentCallsPerRegion();
        randomSeed = c.randomSeed();
        rpoWarnAfter = c.rpoWarnAfter();
        rpoCriticalAfter = c.rpoCriticalAfter();
        listeners = new ArrayList<>(c.listeners());
    }

    /**
     * The replicator's name: the value of the ownership tag on its copies. Two replicators with the same
     * name own the same copies. 1 to 64 characters of {@code A-Z a-z 0-9 _ . : / = + - @}.
     */
    public ReplicatorBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** The region whose backups are copied. */
    public ReplicatorBuilder sourceRegion(String sourceRegion) {
        this.sourceRegion = Objects.requireNonNull(sourceRegion, "sourceRegion");
        return this;
    }

    /** The clusters whose backups are copied; none means every cluster in the source region. Replaces earlier values. */
    public ReplicatorBuilder clusterIds(String... clusterIds) {
        return clusterIds(Arrays.asList(Objects.requireNonNull(clusterIds, "clusterIds")));
    }

    /** The clusters whose backups are copied; empty means every cluster in the source region. Replaces earlier values. */
    public ReplicatorBuilder clusterIds(List<String> clusterIds) {
        Objects.requireNonNull(clusterIds, "clusterIds");
        clusterIds.forEach(c -> Objects.requireNonNull(c, "clusterIds element"));
        this.clusterIds = new ArrayList<>(clusterIds);
        return this;
    }

    /** The regions to copy to, at least one. Replaces earlier values. */
    public ReplicatorBuilder destinationRegions(String... regions) {
        return destinationRegions(Arrays.asList(Objects.requireNonNull(regions, "destinationRegions")));
    }

    /** The regions to copy to, at least one. Replaces earlier values. */
    public ReplicatorBuilder destinationRegions(List<String> regions) {
        Objects.requireNonNull(regions, "destinationRegions");
        regions.forEach(r -> Objects.requireNonNull(r, "destinationRegions element"));
        this.destinationRegions = new ArrayList<>(regions);
        return this;
    }

    /** Which source backups are copied; default {@link Selection#defaults()}. */
    public ReplicatorBuilder selection(Selection selection) {
        this.selection = Objects.requireNonNull(selection, "selection");
        return this;
    }

    /** Tags to put on every copy, besides the library's own ({@link CopyTags}). Replaces earlier values. */
    public ReplicatorBuilder copyTags(Map<String, String> tags) {
        Objects.requireNonNull(tags, "copyTags");
        this.copyTags = new LinkedHashMap<>(tags);
        return this;
    }

    /**
     * Whether the source backup's own tags are carried over to its copies (default true). CloudHSM puts
     * only the tags of the copy request on a copy, so the library carries them over itself; tags whose
     * keys start with {@code aws:} or {@code cloudhsm-dr:} are never carried over, and user tags win on
     * conflicts.
     */
    public ReplicatorBuilder copySourceTags(boolean copySourceTags) {
        this.copySourceTags = copySourceTags;
        return this;
    }

    /**
     * Whether a copy made in the run that arrives without the library's ownership and provenance tags (a service
     * may drop the TagList of CopyBackupToRegion) gets them put back with TagResource (default false). This needs
     * {@code cloudhsm:TagResource} on existing backups in the destination regions, which the replicator's
     * least-privilege policy leaves out: a role that may tag existing backups can give any backup the ownership
     * tag and then delete it. Without it, such copies are reported and {@link BackupReplicator#adoptCopies} takes
     * ownership of them under its own policy.
     */
    public ReplicatorBuilder repairTags(boolean repairTags) {
        this.repairTags = repairTags;
        return this;
    }

    /**
     * Whether backups that are themselves copies into the source region (they have a SourceRegion) are
     * exported too (default false, so two replicators pointed at each other never ping-pong).
     */
    public ReplicatorBuilder includeCopies(boolean includeCopies) {
        this.includeCopies = includeCopies;
        return this;
    }

    /** The clock (default {@link Clock#systemUTC()}). */
    public ReplicatorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The sleeper used for every wait (default {@link Sleeper#SYSTEM}). */
    public ReplicatorBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * How long a run waits for its new copies to turn READY, polling with backoff; zero (the default)
     * does not wait and reports new copies as CREATE_IN_PROGRESS. At most {@link #MAX_WAIT_FOR_READY}.
     */
    public ReplicatorBuilder waitForReady(Duration deadline) {
        this.waitForReady = Objects.requireNonNull(deadline, "waitForReady");
        return this;
    }

    /** First and longest interval between polls for READY (defaults 15 s and 2 min; each at most 1 h). */
    public ReplicatorBuilder pollInterval(Duration first, Duration max) {
        this.pollInterval = Objects.requireNonNull(first, "pollInterval");
        this.maxPollInterval = Objects.requireNonNull(max, "maxPollInterval");
        return this;
    }

    /** How many destination regions are worked on at once, 1 to 64 (default 4). */
    public ReplicatorBuilder maxConcurrentDestinations(int max) {
        this.maxConcurrentDestinations = max;
        return this;
    }

    /**
     * Retention for the copies this replicator made in each destination region (default: none — copies are
     * kept until someone deletes them, since AWS applies no retention to copies). Only copies with this
     * replicator's ownership tag are ever deleted; see {@link RetentionPolicy}.
     */
    public ReplicatorBuilder retentionPolicy(RetentionPolicy retentionPolicy) {
        this.retentionPolicy = Objects.requireNonNull(retentionPolicy, "retentionPolicy");
        return this;
    }

    /** Removes the retention policy: copies are kept until someone deletes them. */
    public ReplicatorBuilder noRetention() {
        this.retentionPolicy = null;
        return this;
    }

    /**
     * How failed CloudHSM calls are retried: the one retry budget of a run (default
     * {@link RetryPolicy#defaults()}). {@link RetryPolicy#none()} makes one attempt per call.
     */
    public ReplicatorBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * The most calls the replicator sends to one region at once, 1 to 16 (default 8). The limit in force adapts
     * to the service below this ceiling: it starts at 2 (or the ceiling, when lower), grows by one each time a
     * window of calls at the limit succeeds, and halves when the region throttles, so a large catch-up run runs
     * near the region's rate limit without a storm of retries. CloudHSM's API rate limits are per account and
     * region and not documented; lower the ceiling to leave room for other tools calling the same account. With
     * this and {@link #maxConcurrentDestinations(int)} both 1, a run makes its calls one after another in a fixed
     * order, so a test with seeded faults replays the same calls.
     */
    public ReplicatorBuilder maxConcurrentCallsPerRegion(int max) {
        this.maxConcurrentCallsPerRegion = max;
        return this;
    }

    /** Seed for the jitter of retry waits, so a run can be replayed (default: a new seed per build). */
    public ReplicatorBuilder randomSeed(long seed) {
        this.randomSeed = seed;
        return this;
    }

    /**
     * The recovery point objective that {@link BackupReplicator#measureRecoveryPoints()} checks: a region
     * whose newest READY backup of a cluster is older than {@code warnAfter} is WARN, older than
     * {@code criticalAfter} CRITICAL (defaults 28 h and 32 h, for daily backups; each at most
     * {@link #MAX_RECOVERY_POINT_OBJECTIVE}).
     */
    public ReplicatorBuilder recoveryPointObjective(Duration warnAfter, Duration criticalAfter) {
        this.rpoWarnAfter = Objects.requireNonNull(warnAfter, "rpoWarnAfter");
        this.rpoCriticalAfter = Objects.requireNonNull(criticalAfter, "rpoCriticalAfter");
        return this;
    }

    /** Adds a listener. */
    public ReplicatorBuilder listener(ReplicationListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The store to talk to: an {@code AwsBackupStore} for AWS, or the testkit's in-memory store. A store
     * handed in here is not closed by the replicator. Without one, {@link #build()} asks the
     * {@link BackupStoreProvider} found on the classpath (the {@code cloudhsm-dr-aws} module registers one) for
     * a store, and the replicator closes it when it is closed. The store is a live resource, so it is not part
     * of the {@link ReplicatorConfig}.
     */
    public ReplicatorBuilder backupStore(BackupStore store) {
        this.backupStore = Objects.requireNonNull(store, "backupStore");
        return this;
    }

    /**
     * Checks every setting and returns the configuration.
     *
     * @throws NullPointerException     when a required setting is missing
     * @throws IllegalArgumentException when a setting has a value that is not allowed
     * @throws IllegalStateException    when settings contradict each other
     */
    public ReplicatorConfig buildConfig() {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name
                    + "' is not allowed: use 1 to 64 characters of A-Z a-z 0-9 _ . : / = + - @");
        }
        Objects.requireNonNull(sourceRegion, "sourceRegion is required");
        String sourcePartition = partition("sourceRegion", sourceRegion);
        if (destinationRegions.isEmpty()) {
            throw new IllegalArgumentException("destinationRegions is empty: give at least one region other than "
                    + "the source region " + sourceRegion);
        }
        Set<String> seen = new HashSet<>();
        for (String d : destinationRegions) {
            if (!seen.add(d)) {
                throw new IllegalArgumentException("destinationRegions lists '" + d + "' twice: each region once");
            }
            if (d.equals(sourceRegion)) {
                throw new IllegalArgumentException("destinationRegions contains the source region '" + d
                        + "': a destination must be another region");
            }
            String p = partition("destinationRegions", d);
            if (!p.equals(sourcePartition)) {
                throw new IllegalArgumentException("destinationRegions contains '" + d + "' in partition " + p
                        + ", but the source region " + sourceRegion + " is in partition " + sourcePartition
                        + ": CloudHSM copies cannot cross partitions");
            }
        }
        Set<String> clusters = new LinkedHashSet<>();
        for (String c : clusterIds) {
            if (!CLUSTER_ID.matcher(c).matches()) {
                throw new IllegalArgumentException("clusterIds contains '" + c
                        + "', which is not a cluster id: expected cluster- followed by 11 to 16 of [2-7a-zA-Z]");
            }
            if (!clusters.add(c)) {
                throw new IllegalArgumentException("clusterIds lists '" + c + "' twice: each cluster once");
            }
        }
        validateCopyTags();
        requirePositive("pollInterval", pollInterval);
        requirePositive("maxPollInterval", maxPollInterval);
        Bounds.atMost("pollInterval", pollInterval, MAX_POLL_INTERVAL);
        Bounds.atMost("maxPollInterval", maxPollInterval, MAX_POLL_INTERVAL);
        if (maxPollInterval.compareTo(pollInterval) < 0) {
            throw new IllegalStateException("maxPollInterval " + maxPollInterval + " is shorter than pollInterval "
                    + pollInterval + ": it must be at least as long");
        }
        if (maxConcurrentCallsPerRegion < 1 || maxConcurrentCallsPerRegion > MAX_CONCURRENT_CALLS_PER_REGION) {
            throw new IllegalArgumentException("maxConcurrentCallsPerRegion must be between 1 and "
                    + MAX_CONCURRENT_CALLS_PER_REGION + ", was " + maxConcurrentCallsPerRegion);
        }
        requirePositive("rpoWarnAfter", rpoWarnAfter);
        requirePositive("rpoCriticalAfter", rpoCriticalAfter);
        Bounds.atMost("rpoWarnAfter", rpoWarnAfter, MAX_RECOVERY_POINT_OBJECTIVE);
        Bounds.atMost("rpoCriticalAfter", rpoCriticalAfter, MAX_RECOVERY_POINT_OBJECTIVE);
        if (rpoCriticalAfter.compareTo(rpoWarnAfter) < 0) {
            throw new IllegalStateException("rpoCriticalAfter " + rpoCriticalAfter + " is shorter than rpoWarnAfter "
                    + rpoWarnAfter + ": it must be at least as long");
        }
        if (waitForReady.isNegative()) {
            throw new IllegalArgumentException("waitForReady must be zero (do not wait) or positive, was "
                    + waitForReady);
        }
        Bounds.atMost("waitForReady", waitForReady, MAX_WAIT_FOR_READY);
        if (maxConcurrentDestinations < 1 || maxConcurrentDestinations > MAX_CONCURRENT_DESTINATIONS) {
            throw new IllegalArgumentException("maxConcurrentDestinations must be between 1 and "
                    + MAX_CONCURRENT_DESTINATIONS + ", was " + maxConcurrentDestinations);
        }
        return new ReplicatorConfig(this);
    }

    /**
     * Checks every setting and builds the replicator. Without a {@link #backupStore(BackupStore)} the store
     * comes from the one {@link BackupStoreProvider} on the classpath.
     *
     * @throws IllegalStateException when no store was given and no provider is on the classpath (add the
     *                               {@code cloudhsm-dr-aws} dependency), or more than one is
     * @see #buildConfig()
     */
    public BackupReplicator build() {
        ReplicatorConfig config = buildConfig();
        if (backupStore != null) {
            return new DefaultBackupReplicator(config, backupStore, false);
        }
        return new DefaultBackupReplicator(config, defaultProvider().create(), true);
    }

    private static BackupStoreProvider defaultProvider() {
        List<BackupStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(BackupStoreProvider.class, ReplicatorBuilder.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            throw new IllegalStateException("backupStore is not set and no BackupStoreProvider is on the classpath: "
                    + "add the dependency io.github.cloudhsmdr:cloudhsm-dr-aws (the AWS SDK store), or call "
                    + "backupStore(...) with a store");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("backupStore is not set and " + found.size() + " BackupStoreProviders are "
                    + "on the classpath " + found.stream().map(p -> p.getClass().getName()).toList()
                    + ": call backupStore(...) to choose one");
        }
        return found.get(0);
    }

    private static String partition(String field, String region) {
        return RegionIds.requirePartition(field, region);
    }

    private void validateCopyTags() {
        if (copyTags.size() + CopyTags.RESERVED_COUNT > CopyTags.MAX_TAGS) {
            throw new IllegalArgumentException("copyTags has " + copyTags.size() + " tags: at most "
                    + (CopyTags.MAX_TAGS - CopyTags.RESERVED_COUNT) + " are allowed, since the library sets "
                    + CopyTags.RESERVED_COUNT + " of the " + CopyTags.MAX_TAGS + " a backup can carry");
        }
        for (Map.Entry<String, String> t : copyTags.entrySet()) {
            String k = Objects.requireNonNull(t.getKey(), "copyTags key");
            String v = Objects.requireNonNull(t.getValue(), "copyTags value for key " + k);
            if (k.isEmpty() || k.length() > 128 || !TAG_TEXT.matcher(k).matches()) {
                throw new IllegalArgumentException("copyTags key '" + k + "' is not allowed: 1 to 128 letters, "
                        + "digits, spaces or _ . : / = + - @");
            }
            if (CopyTags.isReserved(k)) {
                throw new IllegalArgumentException("copyTags key '" + k + "' uses a reserved prefix ("
                        + CopyTags.AWS_PREFIX + " or " + CopyTags.PREFIX + ")");
            }
            if (v.length() > 256 || !TAG_TEXT.matcher(v).matches()) {
                throw new IllegalArgumentException("copyTags value '" + v + "' for key '" + k + "' is not allowed: "
                        + "0 to 256 letters, digits, spaces or _ . : / = + - @");
            }
        }
    }

    private static void requirePositive(String field, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
    }
}
