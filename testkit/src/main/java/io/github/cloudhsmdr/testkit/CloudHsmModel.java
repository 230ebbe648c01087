package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.ClusterCertificates;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.Hsm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An in-memory model of CloudHSM clusters and backups across regions: the one behaviour that both
 * {@link InMemoryBackupStore} and the HTTP emulator serve.
 *
 * <p>Modelled: every field of the API's Backup object; a copy that appears in its destination as
 * CREATE_IN_PROGRESS and turns READY (or DELETED, when told to fail) once its copy delay has passed on
 * the model's clock or on {@link #completeCopies()}; delete to PENDING_DELETION with a DeleteTimestamp 7
 * days on, then DELETED once that passes; RestoreBackup; tags; pagination of at most 50 backups per
 * page; id and region validation with the errors AWS answers. Failures are
 * {@link CloudHsmModelException}s carrying the wire error code.
 *
 * <p>Clusters, for restores and restore drills: CreateCluster answers CREATE_IN_PROGRESS; after
 * {@link #clusterCreateDelay(Duration)} a cluster created from a backup is {@link #restoredClusterState(String)}
 * (INITIALIZED by default: the AWS user guide says a restored cluster needs no initialization or activation), a
 * new empty cluster UNINITIALIZED; a restored cluster turns ACTIVE once one of its HSMs is ACTIVE. CreateHsm
 * answers CREATE_IN_PROGRESS and the HSM is ACTIVE after {@link #hsmCreateDelay(Duration)}; DeleteHsm leaves it
 * DELETE_IN_PROGRESS for {@link #hsmDeleteDelay(Duration)}; DeleteCluster is refused while the cluster has HSMs,
 * else the cluster is DELETE_IN_PROGRESS for {@link #clusterDeleteDelay(Duration)}, then DELETED. A restored
 * cluster reports the cluster certificate, HSM type and mode of the backup's cluster. Faults:
 * {@link #failNextClusterCreations(int)}, {@link #stickNextClusterCreations(int)}, {@link #clusterQuota(int)} /
 * {@link #hsmQuota(int)} (CloudHsmResourceLimitExceededException), {@link #failNextClusterDeletions(int)} and
 * {@link #failNextHsmDeletions(int)}.
 *
 * <p>Thread-safe: every operation holds the model's lock.
 */
public final class CloudHsmModel {
    /** How long a deleted backup can be restored. */
    public static final Duration PENDING_DELETION_PERIOD = Duration.ofDays(7);
    /** The largest MaxResults DescribeBackups accepts. */
    public static final int MAX_BACKUPS_PAGE = 50;
    /** The largest MaxResults DescribeClusters accepts. */
    public static final int MAX_CLUSTERS_PAGE = 25;
    /** The largest MaxResults ListTags accepts. */
    public static final int MAX_TAGS_PAGE = 100;
    /** How long DeleteCluster leaves a cluster DELETE_IN_PROGRESS unless {@link #clusterDeleteDelay} says otherwise. */
    public static final Duration DEFAULT_CLUSTER_DELETE_DELAY = Duration.ofMinutes(3);
    /** The account id used in ARNs. */
    public static final String ACCOUNT_ID = "111122223333";

    static final Pattern BACKUP_ID = Pattern.compile("backup-[2-7a-zA-Z]{11,16}");
    static final Pattern CLUSTER_ID = Pattern.compile("cluster-[2-7a-zA-Z]{11,16}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-(gov))?-(east|west|north|south|central){1,2}-\\d");
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz234567";

    private final Clock clock;
    private final Random random;
    private final Map<String, Map<String, Entry>> backups = new TreeMap<>();
    private final Map<String, Map<String, Cluster>> clusters = new TreeMap<>();
    private Duration copyDelay = Duration.ofMinutes(10);
    private Duration copyVisibilityDelay = Duration.ZERO;
    private int copiesToFail;
    private FaultHook faultHook = (operation, region) -> { };
    private final Map<String, ClusterLife> clusterLives = new HashMap<>();
    private final Map<String, String> clusterCertificates = new HashMap<>();
    private Duration clusterCreateDelay = Duration.ofMinutes(6);
    private Duration hsmCreateDelay = Duration.ofMinutes(12);
    private Duration hsmDeleteDelay = Duration.ofMinutes(4);
    private Duration clusterDeleteDelay = DEFAULT_CLUSTER_DELETE_DELAY;
    private String restoredClusterState = "INITIALIZED";
    private int clusterQuota = Integer.MAX_VALUE;
    private int hsmQuota = Integer.MAX_VALUE;
    private int clusterCreationsToFail;
    private int clusterCreationsToStick;
    private int clusterDeletionsToFail;
    private int hsmDeletionsToFail;

    /**
     * A hook that runs before every operation and may throw a {@link CloudHsmModelException} to fail it.
     * A {@link FaultInjector} plugs in here to fail {@link InMemoryBackupStore} calls; the HTTP emulator
     * applies its own injector before it calls the model.
     */
    @FunctionalInterface
    public interface FaultHook {
        /** Called with the operation name (e.g. {@code CopyBackupToRegion}) and the region it is sent to. */
        void beforeOperation(String operation, String region);

        /**
         * Asked once per copy: should CopyBackupToRegion drop the request's TagList (the copy then gets the
         * source's tags, as for an empty TagList)? The default never does.
         */
        default boolean dropCopyTags(String destinationRegion) {
            return false;
        }

        /**
         * Asked once per copy: should this library's tags be removed from the copy when it completes (someone
         * strips them later)? The default never does.
         */
        default boolean stripTagsLater(String destinationRegion) {
            return false;
        }
    }

    /** A page of DescribeBackups. */
    public record BackupPage(List<Backup> backups, String nextToken) {
        public BackupPage {
            backups = List.copyOf(backups);
        }
    }

    /** A page of ListTags: tags in key order. */
    public record TagPage(Map<String, String> tags, String nextToken) {
        public TagPage {
            tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }
    }

    /** A page of DescribeClusters. */
    public record ClusterPage(List<Cluster> clusters, String nextToken) {
        public ClusterPage {
            clusters = List.copyOf(clusters);
        }
    }

    private static final class Entry {
        Backup backup;
        Instant readyAt;
        boolean failOnCompletion;
        boolean stripTagsOnCompletion;
        Instant visibleAt;

        Entry(Backup backup) {
            this.backup = backup;
        }
    }

    /** The lifecycle of a cluster made by CreateCluster, and its HSMs. */
    private static final class ClusterLife {
        Instant readyAt;
        boolean failCreation;
        boolean stuck;
        Instant deletedAt;
        final Map<String, HsmLife> hsms = new LinkedHashMap<>();
    }

    private static final class HsmLife {
        Hsm hsm;
        Instant activeAt;
        Instant deletedAt;

        HsmLife(Hsm hsm) {
            this.hsm = hsm;
        }
    }

    /** @param clock the model's clock; copies complete and deletions expire on it */
    public CloudHsmModel(Clock clock) {
        this(clock, 42L);
    }

    /**
     * @param clock the model's clock
     * @param seed  seed for generated ids, so a run can be replayed
     */
    public CloudHsmModel(Clock clock, long seed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new Random(seed);
    }

    /** @return the model's clock. */
    public Clock clock() {
        return clock;
    }

    // ----------------------------------------------------------------------------------------- controls

    /** Sets how long a copy stays CREATE_IN_PROGRESS before it turns READY (default 10 minutes). */
    public synchronized CloudHsmModel copyDelay(Duration delay) {
        this.copyDelay = requireNonNegative(delay, "copyDelay");
        return this;
    }

    /**
     * Sets how long a new copy stays invisible to DescribeBackups after the copy call (eventual
     * consistency; default zero).
     */
    public synchronized CloudHsmModel copyVisibilityDelay(Duration delay) {
        this.copyVisibilityDelay = requireNonNegative(delay, "copyVisibilityDelay");
        return this;
    }

    /** The next {@code count} copies fail inside AWS: they turn DELETED instead of READY. */
    public synchronized CloudHsmModel failNextCopies(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        this.copiesToFail = count;
        return this;
    }

    /** Installs the hook that may fail operations (fault injection). */
    public synchronized CloudHsmModel faultHook(FaultHook hook) {
        this.faultHook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Completes every copy in progress now: READY, or DELETED for copies told to fail. */
    public synchronized void completeCopies() {
        for (Map<String, Entry> region : backups.values()) {
            for (Entry e : region.values()) {
                if (e.readyAt != null && e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
                    complete(e);
                }
                e.visibleAt = null;
            }
        }
    }

    /** Makes the copy of {@code sourceBackupId} in {@code destinationRegion} fail (turn DELETED) now. */
    public synchronized void failCopy(String destinationRegion, String sourceBackupId) {
        for (Entry e : regionBackups(destinationRegion).values()) {
            if (sourceBackupId.equals(e.backup.sourceBackup()) && e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
                e.failOnCompletion = true;
                complete(e);
            }
        }
    }

    /** Sets how long CreateCluster leaves a cluster CREATE_IN_PROGRESS (default 6 minutes). */
    public synchronized CloudHsmModel clusterCreateDelay(Duration delay) {
        this.clusterCreateDelay = requireNonNegative(delay, "clusterCreateDelay");
        return this;
    }

    /** Sets how long CreateHsm leaves an HSM CREATE_IN_PROGRESS (default 12 minutes). */
    public synchronized CloudHsmModel hsmCreateDelay(Duration delay) {
        this.hsmCreateDelay = requireNonNegative(delay, "hsmCreateDelay");
        return this;
    }

    /** Sets how long DeleteHsm leaves an HSM DELETE_IN_PROGRESS (default 4 minutes). */
    public synchronized CloudHsmModel hsmDeleteDelay(Duration delay) {
        this.hsmDeleteDelay = requireNonNegative(delay, "hsmDeleteDelay");
        return this;
    }

    /** Sets how long DeleteCluster leaves a cluster DELETE_IN_PROGRESS (default 3 minutes). */
    public synchronized CloudHsmModel clusterDeleteDelay(Duration delay) {
        this.clusterDeleteDelay = requireNonNegative(delay, "clusterDeleteDelay");
        return this;
    }

    /**
     * Sets the state a cluster created from a backup reaches when it leaves CREATE_IN_PROGRESS: {@code INITIALIZED}
     * (the default) or {@code ACTIVE}.
     */
    public synchronized CloudHsmModel restoredClusterState(String state) {
        if (!"INITIALIZED".equals(state) && !"ACTIVE".equals(state)) {
            throw new IllegalArgumentException("restoredClusterState must be INITIALIZED or ACTIVE, was " + state);
        }
        this.restoredClusterState = state;
        return this;
    }

    /** Sets how many live clusters a region may hold before CreateCluster is refused (default: no limit). */
    public synchronized CloudHsmModel clusterQuota(int quota) {
        this.clusterQuota = requireCount(quota, "clusterQuota");
        return this;
    }

    /** Sets how many live HSMs a region may hold before CreateHsm is refused (default: no limit). */
    public synchronized CloudHsmModel hsmQuota(int quota) {
        this.hsmQuota = requireCount(quota, "hsmQuota");
        return this;
    }

    /** The next {@code count} clusters created fail inside AWS: they end DEGRADED with a state message. */
    public synchronized CloudHsmModel failNextClusterCreations(int count) {
        this.clusterCreationsToFail = requireCount(count, "count");
        return this;
    }

    /** The next {@code count} clusters created stay CREATE_IN_PROGRESS for ever. */
    public synchronized CloudHsmModel stickNextClusterCreations(int count) {
        this.clusterCreationsToStick = requireCount(count, "count");
        return this;
    }

    /** The next {@code count} DeleteCluster calls fail with CloudHsmInternalFailureException. */
    public synchronized CloudHsmModel failNextClusterDeletions(int count) {
        this.clusterDeletionsToFail = requireCount(count, "count");
        return this;
    }

    /** The next {@code count} DeleteHsm calls fail with CloudHsmInternalFailureException. */
    public synchronized CloudHsmModel failNextHsmDeletions(int count) {
        this.hsmDeletionsToFail = requireCount(count, "count");
        return this;
    }

    /**
     * Sets the cluster certificate (PEM) of a cluster; clusters restored from its backups afterwards report it.
     * Without it, a cluster's certificate is derived from its id.
     */
    public synchronized CloudHsmModel clusterCertificate(String clusterId, String pem) {
        clusterCertificates.put(Objects.requireNonNull(clusterId, "clusterId"), Objects.requireNonNull(pem, "pem"));
        return this;
    }

    /** @return the cluster certificate (PEM) of {@code clusterId}: as set, or derived from its id. */
    public synchronized String clusterCertificateOf(String clusterId) {
        return clusterCertificates.computeIfAbsent(clusterId, CloudHsmModel::derivedCertificate);
    }

    /** @return every cluster of {@code region} as stored, DELETED ones included. */
    public synchronized List<Cluster> clustersIn(String region) {
        refresh();
        return List.copyOf(clusters.getOrDefault(region, Map.of()).values());
    }

    /** Adds a cluster with a generated id in {@code region}. */
    public synchronized Cluster addCluster(String region) {
        return addCluster(region, "cluster-" + randomSuffix());
    }

    /** Adds a cluster with the given id in {@code region}. */
    public synchronized Cluster addCluster(String region, String clusterId) {
        requireRegion(region);
        requireId(CLUSTER_ID, clusterId, "ClusterId");
        Cluster c = new Cluster(clusterId, region, "ACTIVE", "hsm2m.medium", "vpc-" + randomSuffix(), null,
                clock.instant(), Map.of(), "FIPS", null, null,
                new ClusterCertificates(clusterCertificateOf(clusterId), null, null, null, null), null);
        clusters.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(clusterId, c);
        return c;
    }

    /** Adds a READY backup of {@code clusterId} created at {@code createdAt}, with a generated id. */
    public synchronized Backup addBackup(String region, String clusterId, Instant createdAt) {
        return addBackup(Backup.builder("backup-" + randomSuffix(), region).clusterId(clusterId)
                .createTimestamp(createdAt).state(BackupState.READY).hsmType("hsm2m.medium").mode("FIPS").build());
    }

    /** Adds {@code backup} exactly as given (its ARN is filled in when missing). */
    public synchronized Backup addBackup(Backup backup) {
        requireRegion(backup.region());
        requireId(BACKUP_ID, backup.backupId(), "BackupId");
        Backup b = backup.backupArn() != null ? backup
                : backup.toBuilder().backupArn(arn(backup.region(), backup.backupId())).build();
        regionBackups(b.region()).put(b.backupId(), new Entry(b));
        return b;
    }

    /** @return every backup of every region, as stored (no visibility delay applied). */
    public synchronized List<Backup> allBackups() {
        refresh();
        List<Backup> all = new ArrayList<>();
        backups.values().forEach(r -> r.values().forEach(e -> all.add(e.backup)));
        return all;
    }

    /** @return every backup in {@code region}, as stored (no visibility delay applied). */
    public synchronized List<Backup> backupsIn(String region) {
        refresh();
        return regionBackups(region).values().stream().map(e -> e.backup).collect(Collectors.toList());
    }

    /** @return the backup with this id in {@code region}, as stored. */
    public synchronized Backup backup(String region, String backupId) {
        refresh();
        return find(region, backupId).backup;
    }

    /**
     * The tags of a backup or cluster as stored, without running the fault hook: what an access check
     * evaluates {@code aws:ResourceTag/<key>} against.
     *
     * @return the tags, or empty when {@code resourceId} names no live backup or cluster in {@code region}
     */
    public synchronized java.util.Optional<Map<String, String>> resourceTags(String region, String resourceId) {
        refresh();
        if (resourceId == null) {
            return java.util.Optional.empty();
        }
        if (resourceId.startsWith("cluster-")) {
            Cluster c = clusters.getOrDefault(region, Map.of()).get(resourceId);
            return c == null || "DELETED".equals(c.state()) ? java.util.Optional.empty()
                    : java.util.Optional.of(c.tags());
        }
        Entry e = regionBackups(region).get(resourceId);
        return e == null || e.backup.state() == BackupState.DELETED ? java.util.Optional.empty()
                : java.util.Optional.of(e.backup.tags());
    }

    // ----------------------------------------------------------------------------------------- operations

    /**
     * DescribeBackups.
     *
     * @param sortAscending {@code null} or true: oldest first; false: newest first
     * @param maxResults    1 to 50, or {@code null} for 50
     * @param nextToken     the token of the previous page, or {@code null}
     */
    public synchronized BackupPage describeBackups(String region, BackupFilter filter, Boolean sortAscending,
            Integer maxResults, String nextToken) {
        before("DescribeBackups", region);
        int limit = pageSize(maxResults, MAX_BACKUPS_PAGE);
        Instant now = clock.instant();
        Comparator<Backup> order = Comparator.comparing(Backup::createTimestamp,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Backup::backupId);
        if (Boolean.FALSE.equals(sortAscending)) {
            order = order.reversed();
        }
        List<Backup> matching = regionBackups(region).values().stream()
                .filter(e -> e.visibleAt == null || !now.isBefore(e.visibleAt))
                .map(e -> e.backup)
                .filter(filter::matches)
                .sorted(order)
                .collect(Collectors.toList());
        return page(matching, limit, nextToken, BackupPage::new);
    }

    /**
     * CopyBackupToRegion. {@code tags} {@code null} or empty copies the source's tags; otherwise exactly
     * those tags go on the copy.
     */
    public synchronized CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags) {
        return copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags, false);
    }

    /**
     * CopyBackupToRegion whose copy, when {@code failInsideAws} is true, fails inside AWS: it is accepted like
     * any copy and turns DELETED instead of READY when it completes. The fault injection of the HTTP emulator
     * uses this to fail one copy without racing other callers of {@link #failNextCopies(int)}.
     */
    public synchronized CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
            Map<String, String> tags, boolean failInsideAws) {
        before("CopyBackupToRegion", sourceRegion);
        requireId(BACKUP_ID, backupId, "BackupId");
        requireRegion(destinationRegion);
        if (destinationRegion.equals(sourceRegion)) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "DestinationRegion must differ from the source region " + sourceRegion);
        }
        if (isGov(sourceRegion) != isGov(destinationRegion)) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Backups cannot be copied between " + sourceRegion + " and " + destinationRegion);
        }
        Entry source = find(sourceRegion, backupId);
        if (source.backup.state() != BackupState.READY) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Backup " + backupId + " is " + source.backup.state() + "; only READY backups can be copied");
        }
        validateTags(tags);
        if (faultHook.dropCopyTags(destinationRegion)) {
            tags = null;
        }
        Instant now = clock.instant();
        Backup src = source.backup;
        String copyId = "backup-" + randomSuffix();
        Backup copy = Backup.builder(copyId, destinationRegion)
                .backupArn(arn(destinationRegion, copyId))
                .state(BackupState.CREATE_IN_PROGRESS)
                .clusterId(src.clusterId())
                .createTimestamp(src.createTimestamp())
                .copyTimestamp(now)
                .sourceRegion(sourceRegion)
                .sourceBackup(src.backupId())
                .sourceCluster(src.clusterId())
                .hsmType(src.hsmType())
                .mode(src.mode())
                .neverExpires(false)
                .tags(tags == null || tags.isEmpty() ? src.tags() : tags)
                .build();
        Entry e = new Entry(copy);
        e.readyAt = now.plus(copyDelay);
        if (copiesToFail > 0) {
            copiesToFail--;
            e.failOnCompletion = true;
        }
        if (failInsideAws) {
            e.failOnCompletion = true;
        }
        e.stripTagsOnCompletion = faultHook.stripTagsLater(destinationRegion);
        if (!copyVisibilityDelay.isZero()) {
            e.visibleAt = now.plus(copyVisibilityDelay);
        }
        regionBackups(destinationRegion).put(copyId, e);
        if (copyDelay.isZero()) {
            complete(e);
        }
        return new CopyResult(src.backupId(), sourceRegion, src.clusterId(), src.createTimestamp());
    }

    /** DeleteBackup: READY (or CREATE_IN_PROGRESS) to PENDING_DELETION with a DeleteTimestamp 7 days on. */
    public synchronized Backup deleteBackup(String region, String backupId) {
        before("DeleteBackup", region);
        Entry e = find(region, backupId);
        BackupState s = e.backup.state();
        if (s == BackupState.PENDING_DELETION) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Backup " + backupId + " is already PENDING_DELETION");
        }
        e.backup = e.backup.withState(BackupState.PENDING_DELETION, clock.instant().plus(PENDING_DELETION_PERIOD));
        e.readyAt = null;
        return e.backup;
    }

    /** RestoreBackup: PENDING_DELETION back to READY. */
    public synchronized Backup restoreBackup(String region, String backupId) {
        before("RestoreBackup", region);
        Entry e = find(region, backupId);
        if (e.backup.state() != BackupState.PENDING_DELETION) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Backup " + backupId + " is " + e.backup.state() + "; only PENDING_DELETION backups can be restored");
        }
        e.backup = e.backup.withState(BackupState.READY, null);
        return e.backup;
    }

    /** ModifyBackupAttributes: sets NeverExpires. */
    public synchronized Backup modifyBackupAttributes(String region, String backupId, boolean neverExpires) {
        before("ModifyBackupAttributes", region);
        Entry e = find(region, backupId);
        e.backup = e.backup.toBuilder().neverExpires(neverExpires).build();
        return e.backup;
    }

    /**
     * ListTags of a backup or cluster, one page of tags in key order.
     *
     * @param maxResults 1 to 100, or {@code null} for 100
     * @param nextToken  the token of the previous page, or {@code null}
     */
    public synchronized TagPage listTags(String region, String resourceId, Integer maxResults, String nextToken) {
        before("ListTags", region);
        int limit = pageSize(maxResults, MAX_TAGS_PAGE);
        Map<String, String> tags = resourceId != null && resourceId.startsWith("cluster-")
                ? findCluster(region, resourceId).tags() : find(region, resourceId).backup.tags();
        List<Map.Entry<String, String>> sorted = new ArrayList<>(new TreeMap<>(tags).entrySet());
        return page(sorted, limit, nextToken, (entries, next) -> {
            Map<String, String> m = new LinkedHashMap<>();
            entries.forEach(t -> m.put(t.getKey(), t.getValue()));
            return new TagPage(m, next);
        });
    }

    /** ListTags of a backup or cluster (all tags, unpaged). */
    public synchronized Map<String, String> listTags(String region, String resourceId) {
        before("ListTags", region);
        if (resourceId != null && resourceId.startsWith("cluster-")) {
            return new TreeMap<>(findCluster(region, resourceId).tags());
        }
        return new TreeMap<>(find(region, resourceId).backup.tags());
    }

    /** TagResource on a backup or cluster. */
    public synchronized void tagResource(String region, String resourceId, Map<String, String> tags) {
        before("TagResource", region);
        validateTags(tags);
        if (tags == null || tags.isEmpty()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST, "TagList must not be empty");
        }
        updateTags(region, resourceId, current -> current.putAll(tags));
    }

    /** UntagResource on a backup or cluster. */
    public synchronized void untagResource(String region, String resourceId, Set<String> keys) {
        before("UntagResource", region);
        if (keys == null || keys.isEmpty()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST, "TagKeyList must not be empty");
        }
        updateTags(region, resourceId, current -> current.keySet().removeAll(keys));
    }

    /** DescribeClusters; an empty {@code clusterIds} lists all. */
    public synchronized ClusterPage describeClusters(String region, Set<String> clusterIds, Integer maxResults,
            String nextToken) {
        return describeClusters(region, clusterIds, null, null, maxResults, nextToken);
    }

    /**
     * DescribeClusters with the API's three filters; an empty or {@code null} set does not filter.
     *
     * @param clusterIds match these cluster ids
     * @param states     match these cluster states (e.g. {@code ACTIVE})
     * @param vpcIds     match clusters in these VPCs
     * @param maxResults 1 to 25, or {@code null} for 25
     * @param nextToken  the token of the previous page, or {@code null}
     */
    public synchronized ClusterPage describeClusters(String region, Set<String> clusterIds, Set<String> states,
            Set<String> vpcIds, Integer maxResults, String nextToken) {
        before("DescribeClusters", region);
        int limit = pageSize(maxResults, MAX_CLUSTERS_PAGE);
        List<Cluster> matching = clusters.getOrDefault(region, Map.of()).values().stream()
                .filter(c -> clusterIds == null || clusterIds.isEmpty() || clusterIds.contains(c.clusterId()))
                .filter(c -> states == null || states.isEmpty() || states.contains(c.state()))
                .filter(c -> vpcIds == null || vpcIds.isEmpty() || vpcIds.contains(c.vpcId()))
                .filter(c -> !"DELETED".equals(c.state()))
                .collect(Collectors.toList());
        return page(matching, limit, nextToken, ClusterPage::new);
    }

    /** CreateCluster from a backup in the same region (the restore path). */
    public synchronized Cluster createCluster(String region, String sourceBackupId, String hsmType,
            List<String> subnetIds, Map<String, String> tags) {
        before("CreateCluster", region);
        if (hsmType == null || hsmType.isBlank()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST, "HsmType is required");
        }
        if (subnetIds == null || subnetIds.isEmpty() || subnetIds.size() > 10) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "SubnetIds must hold 1 to 10 subnets, had " + (subnetIds == null ? 0 : subnetIds.size()));
        }
        String backupId = sourceBackupId;
        if (backupId != null && backupId.startsWith("arn:")) {
            backupId = backupId.substring(backupId.lastIndexOf('/') + 1);
        }
        Backup source = null;
        if (backupId != null) {
            Entry e = find(region, backupId);
            if (e.backup.state() != BackupState.READY) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "Backup " + backupId + " is " + e.backup.state() + "; a cluster can only be created from a READY backup");
            }
            source = e.backup;
        }
        validateTags(tags);
        long live = clusters.getOrDefault(region, Map.of()).values().stream()
                .filter(x -> !"DELETED".equals(x.state())).count();
        if (live >= clusterQuota) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED, "The cluster quota of "
                    + clusterQuota + " clusters in " + region + " is reached");
        }
        String id = "cluster-" + randomSuffix();
        Map<String, String> subnets = new LinkedHashMap<>();
        for (int i = 0; i < subnetIds.size(); i++) {
            subnets.put(region + (char) ('a' + i), subnetIds.get(i));
        }
        String origin = source == null ? null : source.isCopy() && source.originCluster() != null
                ? source.originCluster() : source.clusterId();
        ClusterCertificates certificates = origin != null
                ? new ClusterCertificates(clusterCertificateOf(origin), null, null, null, null)
                : new ClusterCertificates(null, derivedCertificate(id + "/csr"), null, null, null);
        String mode = source != null ? source.mode() : "FIPS";
        Cluster c = new Cluster(id, region, "CREATE_IN_PROGRESS", hsmType, "vpc-" + randomSuffix(), backupId,
                clock.instant(), tags, mode, null, subnets, certificates, null);
        clusters.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(id, c);
        ClusterLife life = new ClusterLife();
        life.readyAt = clock.instant().plus(clusterCreateDelay);
        if (clusterCreationsToStick > 0) {
            clusterCreationsToStick--;
            life.stuck = true;
        } else if (clusterCreationsToFail > 0) {
            clusterCreationsToFail--;
            life.failCreation = true;
        }
        clusterLives.put(id, life);
        refreshClusters();
        return clusters.get(region).get(id);
    }

    /** CreateHsm: an HSM in {@code availabilityZone}, CREATE_IN_PROGRESS, ACTIVE after the HSM creation delay. */
    public synchronized Hsm createHsm(String region, String clusterId, String availabilityZone) {
        before("CreateHsm", region);
        Cluster c = findCluster(region, clusterId);
        if (!Set.of("UNINITIALIZED", "INITIALIZED", "ACTIVE", "DEGRADED").contains(c.state())) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Cluster " + clusterId + " is " + c.state() + "; HSMs cannot be added to it now");
        }
        String subnet = c.subnetMapping().get(availabilityZone);
        if (subnet == null) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST, "Availability zone "
                    + availabilityZone + " is not in the subnet mapping of " + clusterId + ": " + c.subnetMapping());
        }
        long live = clusters.getOrDefault(region, Map.of()).values().stream().mapToLong(x -> x.hsms().size()).sum();
        if (live >= hsmQuota) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED,
                    "The HSM quota of " + hsmQuota + " HSMs in " + region + " is reached");
        }
        ClusterLife life = clusterLives.computeIfAbsent(clusterId, k -> new ClusterLife());
        String suffix = randomSuffix();
        HsmLife h = new HsmLife(new Hsm("hsm-" + suffix, clusterId, availabilityZone, subnet, "eni-" + randomSuffix(),
                "10.0." + random.nextInt(256) + "." + (1 + random.nextInt(254)), "CREATE_IN_PROGRESS", null));
        h.activeAt = clock.instant().plus(hsmCreateDelay);
        life.hsms.put(h.hsm.hsmId(), h);
        refreshClusters();
        return h.hsm;
    }

    /** DeleteHsm: the HSM is DELETE_IN_PROGRESS, then gone after the HSM deletion delay. */
    public synchronized Hsm deleteHsm(String region, String clusterId, String hsmId) {
        before("DeleteHsm", region);
        findCluster(region, clusterId);
        ClusterLife life = clusterLives.get(clusterId);
        HsmLife h = life == null ? null : life.hsms.get(hsmId);
        if (h == null) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_NOT_FOUND,
                    "HSM " + hsmId + " not found in cluster " + clusterId);
        }
        if (hsmDeletionsToFail > 0) {
            hsmDeletionsToFail--;
            throw CloudHsmModelException.of(CloudHsmModelException.INTERNAL_FAILURE,
                    "An internal failure occurred deleting HSM " + hsmId + " (injected)");
        }
        if (h.deletedAt == null) {
            h.hsm = new Hsm(h.hsm.hsmId(), clusterId, h.hsm.availabilityZone(), h.hsm.subnetId(), h.hsm.eniId(),
                    h.hsm.eniIp(), "DELETE_IN_PROGRESS", null);
            h.deletedAt = clock.instant().plus(hsmDeleteDelay);
        }
        refreshClusters();
        return h.hsm;
    }

    /** DeleteCluster. */
    public synchronized Cluster deleteCluster(String region, String clusterId) {
        before("DeleteCluster", region);
        Cluster c = findCluster(region, clusterId);
        if (!c.hsms().isEmpty()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST, "Cluster " + clusterId
                    + " still has " + c.hsms().size() + " HSM(s); delete every HSM before the cluster");
        }
        if (clusterDeletionsToFail > 0) {
            clusterDeletionsToFail--;
            throw CloudHsmModelException.of(CloudHsmModelException.INTERNAL_FAILURE,
                    "An internal failure occurred deleting cluster " + clusterId + " (injected)");
        }
        if ("DELETE_IN_PROGRESS".equals(c.state())) {
            return c;
        }
        ClusterLife life = clusterLives.computeIfAbsent(clusterId, k -> new ClusterLife());
        life.deletedAt = clock.instant().plus(clusterDeleteDelay);
        clusters.get(region).put(clusterId, withState(c, "DELETE_IN_PROGRESS", null, c.hsms()));
        refreshClusters();
        return clusters.get(region).get(clusterId);
    }

    // ----------------------------------------------------------------------------------------- helpers

    private void before(String operation, String region) {
        requireRegion(region);
        faultHook.beforeOperation(operation, region);
        refresh();
    }

    private void refreshClusters() {
        Instant now = clock.instant();
        for (Map<String, Cluster> region : clusters.values()) {
            for (Cluster c : List.copyOf(region.values())) {
                ClusterLife life = clusterLives.get(c.clusterId());
                if (life == null) {
                    continue;
                }
                String state = c.state();
                String message = c.stateMessage();
                if ("CREATE_IN_PROGRESS".equals(state) && !life.stuck && life.readyAt != null
                        && !now.isBefore(life.readyAt)) {
                    if (life.failCreation) {
                        state = "DEGRADED";
                        message = "Cluster creation failed: the service could not restore the backup (injected)";
                    } else {
                        state = c.sourceBackupId() != null ? restoredClusterState : "UNINITIALIZED";
                    }
                }
                List<Hsm> hsms = new ArrayList<>();
                for (java.util.Iterator<HsmLife> it = life.hsms.values().iterator(); it.hasNext(); ) {
                    HsmLife h = it.next();
                    if (h.deletedAt != null && !now.isBefore(h.deletedAt)) {
                        it.remove();
                        continue;
                    }
                    if ("CREATE_IN_PROGRESS".equals(h.hsm.state()) && !now.isBefore(h.activeAt)) {
                        h.hsm = new Hsm(h.hsm.hsmId(), h.hsm.clusterId(), h.hsm.availabilityZone(), h.hsm.subnetId(),
                                h.hsm.eniId(), h.hsm.eniIp(), "ACTIVE", null);
                    }
                    hsms.add(h.hsm);
                }
                if ("INITIALIZED".equals(state) && hsms.stream().anyMatch(h -> "ACTIVE".equals(h.state()))) {
                    state = "ACTIVE";
                }
                if ("DELETE_IN_PROGRESS".equals(state) && life.deletedAt != null && !now.isBefore(life.deletedAt)) {
                    state = "DELETED";
                }
                region.put(c.clusterId(), withState(c, state, message, hsms));
            }
        }
    }

    private static Cluster withState(Cluster c, String state, String message, List<Hsm> hsms) {
        return new Cluster(c.clusterId(), c.region(), state, c.hsmType(), c.vpcId(), c.sourceBackupId(),
                c.createTimestamp(), c.tags(), c.mode(), message, c.subnetMapping(), c.certificates(), hsms);
    }

    private static String derivedCertificate(String seed) {
        byte[] der;
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            der = new byte[96];
            for (int i = 0; i < der.length; i += 32) {
                sha.update((seed + "#" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                System.arraycopy(sha.digest(), 0, der, i, 32);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private static int requireCount(int count, String name) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + count);
        }
        return count;
    }

    private void refresh() {
        refreshClusters();
        Instant now = clock.instant();
        for (Map<String, Entry> region : backups.values()) {
            for (Entry e : region.values()) {
                BackupState s = e.backup.state();
                if (s == BackupState.CREATE_IN_PROGRESS && e.readyAt != null && !now.isBefore(e.readyAt)) {
                    complete(e);
                } else if (s == BackupState.PENDING_DELETION && e.backup.deleteTimestamp() != null
                        && !now.isBefore(e.backup.deleteTimestamp())) {
                    e.backup = e.backup.withState(BackupState.DELETED, e.backup.deleteTimestamp());
                }
            }
        }
    }

    private static void complete(Entry e) {
        e.backup = e.backup.withState(e.failOnCompletion ? BackupState.DELETED : BackupState.READY, null);
        e.readyAt = null;
        if (e.stripTagsOnCompletion) {
            e.backup = withoutLibraryTags(e.backup);
        }
    }

    private static Backup withoutLibraryTags(Backup b) {
        Map<String, String> tags = new HashMap<>(b.tags());
        tags.keySet().removeIf(k -> k.startsWith(CopyTags.PREFIX));
        return b.toBuilder().tags(tags).build();
    }

    /**
     * Removes this library's tags ({@code cloudhsm-dr:…}) from the copies of {@code sourceBackupId} in
     * {@code destinationRegion} when they complete, or now for those already complete: someone strips the tags
     * later. Used by the HTTP emulator's fault injection; tests may call it directly.
     */
    public synchronized void stripTagsOnCompletion(String destinationRegion, String sourceBackupId) {
        for (Entry e : regionBackups(destinationRegion).values()) {
            if (sourceBackupId.equals(e.backup.sourceBackup())) {
                if (e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
                    e.stripTagsOnCompletion = true;
                } else {
                    e.backup = withoutLibraryTags(e.backup);
                }
            }
        }
    }

    private void updateTags(String region, String resourceId, java.util.function.Consumer<Map<String, String>> change) {
        if (resourceId != null && resourceId.startsWith("cluster-")) {
            Cluster c = findCluster(region, resourceId);
            Map<String, String> t = new HashMap<>(c.tags());
            change.accept(t);
            clusters.get(region).put(resourceId, new Cluster(c.clusterId(), region, c.state(), c.hsmType(), c.vpcId(),
                    c.sourceBackupId(), c.createTimestamp(), t, c.mode(), c.stateMessage(), c.subnetMapping(),
                    c.certificates(), c.hsms()));
            return;
        }
        Entry e = find(region, resourceId);
        Map<String, String> t = new HashMap<>(e.backup.tags());
        change.accept(t);
        if (t.size() > 50) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED,
                    "A resource can have at most 50 tags; " + resourceId + " would have " + t.size());
        }
        e.backup = e.backup.toBuilder().tags(t).build();
    }

    private Map<String, Entry> regionBackups(String region) {
        return backups.computeIfAbsent(region, r -> new LinkedHashMap<>());
    }

    private Entry find(String region, String backupId) {
        requireId(BACKUP_ID, backupId, "BackupId");
        Entry e = regionBackups(region).get(backupId);
        if (e == null || e.backup.state() == BackupState.DELETED) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_NOT_FOUND,
                    "Backup " + backupId + " not found in " + region);
        }
        return e;
    }

    private Cluster findCluster(String region, String clusterId) {
        requireId(CLUSTER_ID, clusterId, "ClusterId");
        Cluster c = clusters.getOrDefault(region, Map.of()).get(clusterId);
        if (c == null || "DELETED".equals(c.state())) {
            throw CloudHsmModelException.of(CloudHsmModelException.RESOURCE_NOT_FOUND,
                    "Cluster " + clusterId + " not found in " + region);
        }
        return c;
    }

    private static int pageSize(Integer maxResults, int max) {
        if (maxResults == null) {
            return max;
        }
        if (maxResults < 1 || maxResults > max) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "MaxResults must be between 1 and " + max + ", was " + maxResults);
        }
        return maxResults;
    }

    private static <T, P> P page(List<T> all, int limit, String nextToken,
            java.util.function.BiFunction<List<T>, String, P> ctor) {
        int from = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                from = Integer.parseInt(nextToken.startsWith("page-") ? nextToken.substring(5) : "x");
            } catch (NumberFormatException e) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "NextToken is not valid: " + nextToken);
            }
            if (from < 0 || from > all.size()) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "NextToken is not valid: " + nextToken);
            }
        }
        int to = Math.min(all.size(), from + limit);
        String next = to < all.size() ? "page-" + to : null;
        return ctor.apply(all.subList(from, to), next);
    }

    private static void validateTags(Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > 50) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "TagList can hold at most 50 tags, had " + tags.size());
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey() == null || t.getKey().isEmpty() || t.getKey().length() > 128) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "Tag key must be 1 to 128 characters: '" + t.getKey() + "'");
            }
            if (t.getValue() == null || t.getValue().length() > 256) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "Tag value must be 0 to 256 characters for key " + t.getKey());
            }
            if (t.getKey().startsWith("aws:")) {
                throw CloudHsmModelException.of(CloudHsmModelException.TAG,
                        "Tag keys starting with aws: are reserved: " + t.getKey());
            }
        }
    }

    private static void requireId(Pattern p, String id, String field) {
        if (id == null || !p.matcher(id).matches()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    field + " '" + id + "' does not match " + p.pattern());
        }
    }

    private static void requireRegion(String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "Region '" + region + "' is not a valid CloudHSM region");
        }
    }

    private static boolean isGov(String region) {
        return region.contains("-gov-");
    }

    private static String arn(String region, String backupId) {
        String partition = isGov(region) ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":cloudhsm:" + region + ":" + ACCOUNT_ID + ":backup/" + backupId;
    }

    private String randomSuffix() {
        StringBuilder sb = new StringBuilder(11);
        for (int i = 0; i < 11; i++) {
            sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    private static Duration requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d;
    }
}
