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
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
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
 * <p>Scales to hundreds of thousands of backups: each region keeps its backups indexed by id, by cluster, by source
 * backup and by state, in the order DescribeBackups serves them (creation time, then id), so a page of
 * DescribeBackups costs about its size, read from the most selective index the filter allows; its NextToken carries
 * the last key served. Copies complete and deletions expire from queues ordered by due time, not by a walk of every
 * backup on every call.
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
    private final Map<String, RegionBackups> backups = new TreeMap<>();
    /** Copies in progress, by the time they complete; stale items are skipped when they come due. */
    private final PriorityQueue<Due> completions = new PriorityQueue<>();
    /** PENDING_DELETION backups, by their DeleteTimestamp; stale items are skipped when they come due. */
    private final PriorityQueue<Due> expiries = new PriorityQueue<>();
    /** Copies made invisible for a while by the copy visibility delay (cleared by {@link #completeCopies()}). */
    private final Set<Entry> delayedVisibility = Collections.newSetFromMap(new IdentityHashMap<>());
    private long dueSequence;
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

    /**
     * One backup as stored. Its sort key (creation time, then id) and the fields the indexes use (cluster, source
     * backup) never change while it is stored; its state does, through {@link #set(Entry, Backup)}.
     */
    private static final class Entry {
        final RegionBackups home;
        final Instant created;
        final String id;
        Backup backup;
        Instant readyAt;
        boolean failOnCompletion;
        boolean stripTagsOnCompletion;
        Instant visibleAt;
        /** True once another backup with the same id replaced this one: its queued transitions are void. */
        boolean removed;

        Entry(RegionBackups home, Backup backup) {
            this.home = home;
            this.created = backup.createTimestamp();
            this.id = backup.backupId();
            this.backup = backup;
        }

        /** A key only, to position a cursor in a sorted index. */
        Entry(Instant created, String id) {
            this.home = null;
            this.created = created;
            this.id = id;
        }
    }

    /** The order DescribeBackups serves backups in, oldest first: creation time (none first), then id. */
    private static final Comparator<Entry> ORDER = (a, b) -> {
        if (a.created == null || b.created == null) {
            if (a.created != b.created) {
                return a.created == null ? -1 : 1;
            }
        } else {
            int c = a.created.compareTo(b.created);
            if (c != 0) {
                return c;
            }
        }
        return a.id.compareTo(b.id);
    };

    /**
     * The backups of one region, in insertion order (what {@link #backupsIn(String)} answers), and the indexes
     * DescribeBackups reads: every backup in {@link #ORDER}, and the same by cluster, by state and by source backup.
     */
    private static final class RegionBackups {
        final Map<String, Entry> byId = new LinkedHashMap<>();
        final NavigableSet<Entry> sorted = new TreeSet<>(ORDER);
        final Map<String, NavigableSet<Entry>> byCluster = new HashMap<>();
        final Map<BackupState, NavigableSet<Entry>> byState = new EnumMap<>(BackupState.class);
        /** Copies by source backup id, unordered: a source has few copies in a region. */
        final Map<String, List<Entry>> bySource = new HashMap<>();
        int copies;

        void index(Entry e) {
            sorted.add(e);
            String cluster = e.backup.clusterId();
            if (cluster != null) {
                byCluster.computeIfAbsent(cluster, k -> new TreeSet<>(ORDER)).add(e);
            }
            byState.computeIfAbsent(e.backup.state(), k -> new TreeSet<>(ORDER)).add(e);
            String source = e.backup.sourceBackup();
            if (source != null) {
                bySource.computeIfAbsent(source, k -> new ArrayList<>(1)).add(e);
                copies++;
            }
        }

        void unindex(Entry e) {
            sorted.remove(e);
            String cluster = e.backup.clusterId();
            if (cluster != null) {
                removeFrom(byCluster, cluster, e);
            }
            removeFrom(byState, e.backup.state(), e);
            String source = e.backup.sourceBackup();
            if (source != null) {
                List<Entry> list = bySource.get(source);
                if (list != null && list.remove(e)) {
                    copies--;
                    if (list.isEmpty()) {
                        bySource.remove(source);
                    }
                }
            }
        }

        void stateChanged(Entry e, BackupState from, BackupState to) {
            removeFrom(byState, from, e);
            byState.computeIfAbsent(to, k -> new TreeSet<>(ORDER)).add(e);
        }

        List<Entry> copiesOf(String sourceBackupId) {
            List<Entry> list = bySource.get(sourceBackupId);
            return list == null ? List.of() : List.copyOf(list);
        }

        private static <K> void removeFrom(Map<K, NavigableSet<Entry>> index, K key, Entry e) {
            NavigableSet<Entry> set = index.get(key);
            if (set != null) {
                set.remove(e);
                if (set.isEmpty()) {
                    index.remove(key);
                }
            }
        }
    }

    /** A backup's transition that falls due at {@code at}; ties in the order they were queued. */
    private record Due(Instant at, long sequence, Entry entry) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
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
        for (Due d : completions) {
            Entry e = d.entry();
            if (!e.removed && e.readyAt != null && e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
                complete(e);
            }
        }
        completions.clear();
        for (Entry e : delayedVisibility) {
            e.visibleAt = null;
        }
        delayedVisibility.clear();
    }

    /** Makes the copy of {@code sourceBackupId} in {@code destinationRegion} fail (turn DELETED) now. */
    public synchronized void failCopy(String destinationRegion, String sourceBackupId) {
        for (Entry e : regionBackups(destinationRegion).copiesOf(sourceBackupId)) {
            if (e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
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
        store(b);
        return b;
    }

    /** @return every backup of every region, as stored (no visibility delay applied). */
    public synchronized List<Backup> allBackups() {
        refresh();
        List<Backup> all = new ArrayList<>();
        backups.values().forEach(r -> r.byId.values().forEach(e -> all.add(e.backup)));
        return all;
    }

    /** @return every backup in {@code region}, as stored (no visibility delay applied). */
    public synchronized List<Backup> backupsIn(String region) {
        refresh();
        return regionBackups(region).byId.values().stream().map(e -> e.backup).collect(Collectors.toList());
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
        Entry e = regionBackups(region).byId.get(resourceId);
        return e == null || e.backup.state() == BackupState.DELETED ? java.util.Optional.empty()
                : java.util.Optional.of(e.backup.tags());
    }

    // ----------------------------------------------------------------------------------------- operations

    /**
     * DescribeBackups: the visible backups of {@code region} that match {@code filter}, by creation time then id.
     * A NextToken is answered while more backups match after the page; it resumes after the last backup served,
     * so backups added or changed between pages neither repeat nor shift the pages after it (a token of the form
     * {@code page-<offset>}, without a key, still resumes at that offset).
     *
     * @param sortAscending {@code null} or true: oldest first; false: newest first
     * @param maxResults    1 to 50, or {@code null} for 50
     * @param nextToken     the token of the previous page, or {@code null}
     */
    public synchronized BackupPage describeBackups(String region, BackupFilter filter, Boolean sortAscending,
            Integer maxResults, String nextToken) {
        before("DescribeBackups", region);
        int limit = pageSize(maxResults, MAX_BACKUPS_PAGE);
        Objects.requireNonNull(filter, "filter");
        Instant now = clock.instant();
        boolean ascending = !Boolean.FALSE.equals(sortAscending);
        Cursor cursor = Cursor.parse(nextToken);
        Predicate<Entry> wanted = e -> (e.visibleAt == null || !now.isBefore(e.visibleAt))
                && filter.matches(e.backup);
        Iterator<Entry> matching = matching(regionBackups(region), filter, ascending, cursor.after(), limit, wanted);
        if (cursor.after() == null) {
            for (int i = 0; i < cursor.offset(); i++) {
                if (!matching.hasNext()) {
                    throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                            "NextToken is not valid: " + nextToken);
                }
                matching.next();
            }
        }
        List<Backup> page = new ArrayList<>(Math.min(limit, 64));
        Entry last = null;
        while (page.size() < limit && matching.hasNext()) {
            last = matching.next();
            page.add(last.backup);
        }
        String next = matching.hasNext() ? Cursor.token(cursor.offset() + page.size(), last) : null;
        return new BackupPage(page, next);
    }

    /**
     * Where a page of DescribeBackups starts: {@code page-<offset>} (the start, or that many matches on) or
     * {@code page-<offset>/<created>/<id>} (right after the backup with that key; the offset only counts).
     */
    private record Cursor(int offset, Entry after) {
        private static final String PREFIX = "page-";

        static Cursor parse(String token) {
            if (token == null || token.isEmpty()) {
                return new Cursor(0, null);
            }
            try {
                if (!token.startsWith(PREFIX)) {
                    throw new IllegalArgumentException("no " + PREFIX + " prefix");
                }
                String[] parts = token.substring(PREFIX.length()).split("/", -1);
                if (parts.length != 1 && parts.length != 3) {
                    throw new IllegalArgumentException("not offset or offset/created/id");
                }
                int offset = Integer.parseInt(parts[0]);
                if (offset < 0) {
                    throw new IllegalArgumentException("negative offset");
                }
                if (parts.length == 1) {
                    return new Cursor(offset, null);
                }
                Instant created = null;
                if (!"-".equals(parts[1])) {
                    int dot = parts[1].indexOf('.');
                    created = Instant.ofEpochSecond(Long.parseLong(parts[1].substring(0, dot)),
                            Long.parseLong(parts[1].substring(dot + 1)));
                }
                if (parts[2].isEmpty()) {
                    throw new IllegalArgumentException("no id");
                }
                return new Cursor(offset, new Entry(created, parts[2]));
            } catch (RuntimeException e) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "NextToken is not valid: " + token);
            }
        }

        static String token(int offset, Entry last) {
            String created = last.created == null ? "-"
                    : last.created.getEpochSecond() + "." + last.created.getNano();
            return PREFIX + offset + "/" + created + "/" + last.id;
        }
    }

    /**
     * The backups of {@code region} that {@code wanted} accepts, in page order, strictly after {@code after} when
     * given, read from the index that costs least for this filter: a page read from a sorted index (all backups, the
     * filter's clusters or states) costs about the page's size divided by the share of that index that matches; one
     * read from the filter's backup ids or source backup ids costs a look-up per id.
     */
    private static Iterator<Entry> matching(RegionBackups region, BackupFilter filter, boolean ascending, Entry after,
            int limit, Predicate<Entry> wanted) {
        int n = region.sorted.size();
        double estimate = n;
        if (!filter.backupIds().isEmpty()) {
            estimate = Math.min(estimate, filter.backupIds().size());
        }
        if (!filter.sourceBackupIds().isEmpty()) {
            double perSource = region.bySource.isEmpty() ? 0 : (double) region.copies / region.bySource.size();
            estimate = Math.min(estimate, filter.sourceBackupIds().size() * perSource);
        }
        List<NavigableSet<Entry>> clusterSets = new ArrayList<>();
        long clusterSize = indexed(region.byCluster, filter.clusterIds(), clusterSets);
        if (!filter.clusterIds().isEmpty()) {
            estimate = Math.min(estimate, clusterSize);
        }
        List<NavigableSet<Entry>> stateSets = new ArrayList<>();
        long stateSize = indexed(region.byState, filter.states(), stateSets);
        if (!filter.states().isEmpty()) {
            estimate = Math.min(estimate, stateSize);
        }
        double perMatch = (limit + 1.0) / Math.max(1.0, estimate);
        double best = 1 + perMatch * n;
        List<NavigableSet<Entry>> scan = List.of(region.sorted);
        if (!filter.clusterIds().isEmpty() && clusterSets.size() + perMatch * clusterSize < best) {
            best = clusterSets.size() + perMatch * clusterSize;
            scan = clusterSets;
        }
        if (!filter.states().isEmpty() && stateSets.size() + perMatch * stateSize < best) {
            best = stateSets.size() + perMatch * stateSize;
            scan = stateSets;
        }
        Comparator<Entry> order = ascending ? ORDER : ORDER.reversed();
        Predicate<Entry> afterCursor = after == null ? e -> true : e -> order.compare(e, after) > 0;
        boolean byIds = !filter.backupIds().isEmpty() && filter.backupIds().size() < best;
        boolean bySources = !byIds && !filter.sourceBackupIds().isEmpty() && filter.sourceBackupIds().size() < best;
        if (byIds || bySources) {
            List<Entry> found = new ArrayList<>();
            if (byIds) {
                for (String id : filter.backupIds()) {
                    Entry e = region.byId.get(id);
                    if (e != null && afterCursor.test(e) && wanted.test(e)) {
                        found.add(e);
                    }
                }
            } else {
                for (String id : filter.sourceBackupIds()) {
                    for (Entry e : region.bySource.getOrDefault(id, List.of())) {
                        if (afterCursor.test(e) && wanted.test(e)) {
                            found.add(e);
                        }
                    }
                }
            }
            found.sort(order);
            return found.iterator();
        }
        List<Iterator<Entry>> runs = new ArrayList<>(scan.size());
        for (NavigableSet<Entry> set : scan) {
            NavigableSet<Entry> view = ascending ? set : set.descendingSet();
            if (after != null) {
                view = view.tailSet(after, false);
            }
            runs.add(new Filtered(view.iterator(), wanted));
        }
        return runs.size() == 1 ? runs.get(0) : new Merged(runs, order);
    }

    /** The elements of an iterator that a predicate accepts. */
    private static final class Filtered implements Iterator<Entry> {
        private final Iterator<Entry> source;
        private final Predicate<Entry> wanted;
        private Entry next;

        Filtered(Iterator<Entry> source, Predicate<Entry> wanted) {
            this.source = source;
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            while (next == null && source.hasNext()) {
                Entry e = source.next();
                if (wanted.test(e)) {
                    next = e;
                }
            }
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            next = null;
            return e;
        }
    }

    /** Sorted iterators over disjoint sets, merged into one in {@code order}. */
    private static final class Merged implements Iterator<Entry> {
        private record Head(Entry entry, Iterator<Entry> rest) {
        }

        private final PriorityQueue<Head> heads;

        Merged(List<Iterator<Entry>> runs, Comparator<Entry> order) {
            heads = new PriorityQueue<>(Math.max(1, runs.size()), (a, b) -> order.compare(a.entry(), b.entry()));
            for (Iterator<Entry> run : runs) {
                if (run.hasNext()) {
                    heads.add(new Head(run.next(), run));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public Entry next() {
            Head h = heads.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            if (h.rest().hasNext()) {
                heads.add(new Head(h.rest().next(), h.rest()));
            }
            return h.entry();
        }
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
        boolean fail = failInsideAws;
        if (copiesToFail > 0) {
            copiesToFail--;
            fail = true;
        }
        boolean strip = faultHook.stripTagsLater(destinationRegion);
        Entry e = store(copy);
        e.readyAt = now.plus(copyDelay);
        e.failOnCompletion = fail;
        e.stripTagsOnCompletion = strip;
        if (!copyVisibilityDelay.isZero()) {
            e.visibleAt = now.plus(copyVisibilityDelay);
            delayedVisibility.add(e);
        }
        if (copyDelay.isZero()) {
            complete(e);
        } else {
            completions.add(new Due(e.readyAt, dueSequence++, e));
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
        set(e, e.backup.withState(BackupState.PENDING_DELETION, clock.instant().plus(PENDING_DELETION_PERIOD)));
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
        set(e, e.backup.withState(BackupState.READY, null));
        return e.backup;
    }

    /** ModifyBackupAttributes: sets NeverExpires. */
    public synchronized Backup modifyBackupAttributes(String region, String backupId, boolean neverExpires) {
        before("ModifyBackupAttributes", region);
        Entry e = find(region, backupId);
        set(e, e.backup.toBuilder().neverExpires(neverExpires).build());
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

    /**
     * Applies every transition that is due on the model's clock: copies in progress whose copy delay has passed
     * complete, PENDING_DELETION backups whose DeleteTimestamp has passed turn DELETED. Items whose backup has
     * moved on since they were queued (deleted, restored, replaced) are dropped.
     */
    private void refresh() {
        refreshClusters();
        Instant now = clock.instant();
        while (!completions.isEmpty() && !now.isBefore(completions.peek().at())) {
            Entry e = completions.poll().entry();
            if (!e.removed && e.backup.state() == BackupState.CREATE_IN_PROGRESS && e.readyAt != null
                    && !now.isBefore(e.readyAt)) {
                complete(e);
            }
        }
        while (!expiries.isEmpty() && !now.isBefore(expiries.peek().at())) {
            Entry e = expiries.poll().entry();
            Backup b = e.backup;
            if (!e.removed && b.state() == BackupState.PENDING_DELETION && b.deleteTimestamp() != null
                    && !now.isBefore(b.deleteTimestamp())) {
                set(e, b.withState(BackupState.DELETED, b.deleteTimestamp()));
            }
        }
    }

    private void complete(Entry e) {
        Backup b = e.backup.withState(e.failOnCompletion ? BackupState.DELETED : BackupState.READY, null);
        e.readyAt = null;
        if (e.stripTagsOnCompletion) {
            b = withoutLibraryTags(b);
        }
        set(e, b);
    }

    /**
     * Every change of a stored backup goes through here: keeps the state index right and queues the expiry of a
     * backup that turns PENDING_DELETION (or gets a new DeleteTimestamp). The sort key, cluster and source backup
     * of {@code b} are those of {@code e}.
     */
    private void set(Entry e, Backup b) {
        Backup old = e.backup;
        e.backup = b;
        if (old.state() != b.state()) {
            e.home.stateChanged(e, old.state(), b.state());
        }
        if (b.state() == BackupState.PENDING_DELETION && b.deleteTimestamp() != null
                && (old.state() != BackupState.PENDING_DELETION
                        || !b.deleteTimestamp().equals(old.deleteTimestamp()))) {
            expiries.add(new Due(b.deleteTimestamp(), dueSequence++, e));
        }
    }

    /** Stores {@code b} in its region, replacing (in place) any backup with its id there, and indexes it. */
    private Entry store(Backup b) {
        RegionBackups region = regionBackups(b.region());
        Entry e = new Entry(region, b);
        Entry old = region.byId.put(b.backupId(), e);
        if (old != null) {
            region.unindex(old);
            old.removed = true;
            delayedVisibility.remove(old);
        }
        region.index(e);
        if (b.state() == BackupState.PENDING_DELETION && b.deleteTimestamp() != null) {
            expiries.add(new Due(b.deleteTimestamp(), dueSequence++, e));
        }
        return e;
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
        for (Entry e : regionBackups(destinationRegion).copiesOf(sourceBackupId)) {
            if (e.backup.state() == BackupState.CREATE_IN_PROGRESS) {
                e.stripTagsOnCompletion = true;
            } else {
                set(e, withoutLibraryTags(e.backup));
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
        set(e, e.backup.toBuilder().tags(t).build());
    }

    private RegionBackups regionBackups(String region) {
        return backups.computeIfAbsent(region, r -> new RegionBackups());
    }

    private Entry find(String region, String backupId) {
        requireId(BACKUP_ID, backupId, "BackupId");
        Entry e = regionBackups(region).byId.get(backupId);
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

    /**
     * @param index the sets of one index, by key
     * @param keys  the keys a filter asks for
     * @param into  receives the sets of those keys that hold anything
     * @return how many entries those sets hold together
     */
    private static <K> long indexed(Map<K, NavigableSet<Entry>> index, Collection<K> keys,
            List<NavigableSet<Entry>> into) {
        long size = 0;
        for (K key : keys) {
            NavigableSet<Entry> set = index.get(key);
            if (set != null) {
                into.add(set);
                size += set.size();
            }
        }
        return size;
    }
}
