package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How the testkit's in-memory model scales: a no-op {@link BackupReplicator#plan()} on {@link InMemoryBackupStore}
 * over a world of 20 clusters × 1,000 READY backups in us-east-1, each copied (READY) to 5 destination regions
 * (100,000 copies), with retention ({@code keepLast(1000)}: nothing to delete) and without. Nothing is to be
 * copied or deleted, so what is timed is listing and planning; the table also gives the share spent inside the
 * in-memory store and the model (the rest is the library). Virtual time; the median of 3 runs each. No assertion
 * on time: a plan that is not a no-op fails the run.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -f benchmarks exec:java -Dexec.mainClass=io.github.cloudhsmdr.bench.ModelScaleBenchmark
 * </pre>
 * Optional arguments: clusters, backups per cluster, destination regions, repeats (default {@code 20 1000 5 3}).
 */
public final class ModelScaleBenchmark {
    static final String SOURCE = "us-east-1";
    static final List<String> ALL_DESTINATIONS = List.of("us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1",
            "ap-northeast-1", "us-east-2", "ca-central-1", "sa-east-1");
    static final String NAME = "dr";

    private ModelScaleBenchmark() {
    }

    /**
     * One measured operation.
     *
     * @param what     what was measured
     * @param ms       median wall time in milliseconds
     * @param modelMs  of which, inside the in-memory store and the model (the median run's)
     * @param requests CloudHSM requests (pages included) of the median run
     */
    public record Row(String what, double ms, double modelMs, long requests) {
    }

    /**
     * The figures of one run of the benchmark.
     *
     * @param clusters           clusters in the source region
     * @param backupsPerCluster  READY backups per cluster
     * @param destinations       destination regions, each holding a READY copy of every source backup
     * @param copies             copies in all destinations
     * @param setupMs            time to build the world (backups added, copies made with the model's copy call)
     * @param plan               a no-op plan without retention
     * @param planWithRetention  a no-op plan with {@code keepLast(backupsPerCluster)}
     */
    public record Figures(int clusters, int backupsPerCluster, int destinations, int copies, double setupMs,
            Row plan, Row planWithRetention) {

        /** @return the figures as a small markdown table. */
        public String markdown() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "model: %d clusters x %d READY backups in %s, copied to %d regions "
                    + "(%d copies); world built in %.0f ms%n%n", clusters, backupsPerCluster, SOURCE, destinations,
                    copies, setupMs));
            sb.append("| what | ms | of which in the model, ms | requests |\n|---|---|---|---|\n");
            for (Row r : List.of(plan, planWithRetention)) {
                sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d |%n", r.what(), r.ms(), r.modelMs(),
                        r.requests()));
            }
            return sb.toString();
        }
    }

    /** Runs the benchmark with its default size (20 × 1,000 × 5, 3 repeats) and prints the table. */
    public static void main(String[] args) {
        int[] a = args.length == 0 ? new int[] {20, 1000, 5, 3} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        if (a.length != 4) {
            throw new IllegalArgumentException("arguments: clusters backupsPerCluster destinations repeats, had "
                    + Arrays.toString(args));
        }
        Figures f = measure(a[0], a[1], a[2], a[3]);
        System.out.printf(Locale.ROOT, "%nJVM %s, %d cores%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.print(f.markdown());
    }

    /** @return the figures of the default size: 20 clusters × 1,000 backups × 5 destinations, median of 3 */
    public static Figures measure() {
        return measure(20, 1000, 5, 3);
    }

    /**
     * Builds the world once and measures the no-op plans on it.
     *
     * @param clusters          clusters in the source region, at least 1
     * @param backupsPerCluster READY backups per cluster, at least 1
     * @param destinations      destination regions, 1 to 8
     * @param repeats           runs per measure (the median is kept), at least 1
     * @return the figures
     */
    public static Figures measure(int clusters, int backupsPerCluster, int destinations, int repeats) {
        if (clusters < 1 || backupsPerCluster < 1 || repeats < 1) {
            throw new IllegalArgumentException("clusters, backupsPerCluster and repeats must be >= 1, were "
                    + clusters + ", " + backupsPerCluster + ", " + repeats);
        }
        if (destinations < 1 || destinations > ALL_DESTINATIONS.size()) {
            throw new IllegalArgumentException("destinations must be 1 to " + ALL_DESTINATIONS.size() + ", was "
                    + destinations);
        }
        List<String> regions = ALL_DESTINATIONS.subList(0, destinations);
        MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T00:00:00Z"));
        long t0 = System.nanoTime();
        CloudHsmModel model = world(clock, clusters, backupsPerCluster, regions);
        double setupMs = ms(System.nanoTime() - t0);
        TimedStore store = new TimedStore(new InMemoryBackupStore(model));
        Row plain = median("no-op plan()", repeats, store, clock, regions, null, clusters, backupsPerCluster);
        Row retained = median("no-op plan(), keepLast(" + backupsPerCluster + ")", repeats, store, clock, regions,
                RetentionPolicy.builder().keepLast(backupsPerCluster).build(), clusters, backupsPerCluster);
        return new Figures(clusters, backupsPerCluster, destinations, clusters * backupsPerCluster * destinations,
                setupMs, plain, retained);
    }

    /** 1,000 backups a cluster, one a minute across the clusters, then a READY copy of each in every destination. */
    static CloudHsmModel world(MutableClock clock, int clusters, int backupsPerCluster, List<String> destinations) {
        CloudHsmModel model = new CloudHsmModel(clock, 7L).copyDelay(Duration.ZERO);
        List<String> clusterIds = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            clusterIds.add(model.addCluster(SOURCE).clusterId());
        }
        Instant now = clock.instant();
        List<Backup> backups = new ArrayList<>();
        for (int i = 0; i < backupsPerCluster; i++) {
            for (int c = 0; c < clusters; c++) {
                backups.add(model.addBackup(SOURCE, clusterIds.get(c),
                        now.minus(Duration.ofMinutes((long) i * clusters + c + 1))));
            }
        }
        for (String destination : destinations) {
            for (Backup b : backups) {
                model.copyBackupToRegion(SOURCE, b.backupId(), destination, Map.of(
                        CopyTags.OWNER, NAME,
                        CopyTags.SOURCE_BACKUP, b.backupId(),
                        CopyTags.SOURCE_REGION, SOURCE,
                        CopyTags.SOURCE_CLUSTER, b.clusterId()));
            }
        }
        clock.advance(Duration.ofMinutes(1));
        return model;
    }

    private static Row median(String what, int repeats, TimedStore store, MutableClock clock,
            List<String> destinations, RetentionPolicy retention, int clusters, int backupsPerCluster) {
        List<Row> runs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            var builder = BackupReplicator.builder().name(NAME).sourceRegion(SOURCE).destinationRegions(destinations)
                    .backupStore(store).clock(clock).sleeper(clock::advance)
                    .selection(Selection.allWithin(Duration.ofMinutes((long) clusters * backupsPerCluster + 60)));
            if (retention != null) {
                builder.retentionPolicy(retention);
            }
            try (BackupReplicator replicator = builder.build()) {
                long calls = store.calls();
                long inStore = store.nanos();
                long t0 = System.nanoTime();
                ReplicationPlan plan = replicator.plan();
                long t1 = System.nanoTime();
                if (plan.copyCount() != 0 || plan.deletionCount() != 0 || !plan.failures().isEmpty()
                        || plan.destinations().size() != clusters * destinations.size()
                        || plan.destinations().stream().anyMatch(d -> d.failure() != null)) {
                    throw new IllegalStateException("the plan is not a no-op: " + plan.copyCount() + " copies, "
                            + plan.deletionCount() + " deletions, failures " + plan.failures());
                }
                runs.add(new Row(what, ms(t1 - t0), ms(store.nanos() - inStore), store.calls() - calls));
            }
        }
        runs.sort((x, y) -> Double.compare(x.ms(), y.ms()));
        return runs.get(runs.size() / 2);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** The in-memory store, counting the time spent in its listing calls (all a no-op plan makes). */
    static final class TimedStore implements BackupStore {
        private final InMemoryBackupStore delegate;
        private final AtomicLong nanos = new AtomicLong();

        TimedStore(InMemoryBackupStore delegate) {
            this.delegate = delegate;
        }

        long nanos() {
            return nanos.get();
        }

        long calls() {
            return delegate.calls();
        }

        private <T> T timed(Supplier<T> call) {
            long t0 = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public List<Backup> describeBackups(String region, BackupFilter filter) {
            return timed(() -> delegate.describeBackups(region, filter));
        }

        @Override
        public BackupPage describeBackupsPage(String region, BackupFilter filter, String nextToken) {
            return timed(() -> delegate.describeBackupsPage(region, filter, nextToken));
        }

        @Override
        public List<Cluster> describeClusters(String region, Set<String> clusterIds) {
            return timed(() -> delegate.describeClusters(region, clusterIds));
        }

        @Override
        public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
                Map<String, String> tags) {
            return timed(() -> delegate.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags));
        }

        @Override
        public Backup deleteBackup(String region, String backupId) {
            return timed(() -> delegate.deleteBackup(region, backupId));
        }

        @Override
        public Backup restoreBackup(String region, String backupId) {
            return timed(() -> delegate.restoreBackup(region, backupId));
        }

        @Override
        public void tagResource(String region, String resourceId, Map<String, String> tags) {
            timed(() -> {
                delegate.tagResource(region, resourceId, tags);
                return null;
            });
        }

        @Override
        public Cluster createCluster(CreateClusterRequest request) {
            return timed(() -> delegate.createCluster(request));
        }

        @Override
        public Hsm createHsm(String region, String clusterId, String availabilityZone) {
            return timed(() -> delegate.createHsm(region, clusterId, availabilityZone));
        }

        @Override
        public void deleteHsm(String region, String clusterId, String hsmId) {
            timed(() -> {
                delegate.deleteHsm(region, clusterId, hsmId);
                return null;
            });
        }

        @Override
        public Cluster deleteCluster(String region, String clusterId) {
            return timed(() -> delegate.deleteCluster(region, clusterId));
        }
    }
}
