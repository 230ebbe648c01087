package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end benchmark of replication runs: wall time of the dry run, of the first run (copies everything),
 * of the second run (copies nothing), the number of CloudHSM requests, and the peak heap, for growing numbers
 * of backups, on the in-memory model and over HTTP through the real AWS SDK and the emulator. Virtual time
 * everywhere, so what is measured is the library's own work plus (for HTTP) the wire.
 *
 * <p>Run: {@code mvn -B -q -DskipTests install && mvn -B -q -f benchmarks exec:java} (arguments: the backup
 * counts, default {@code 100 500 2000}; {@code -Dexec.args="100 500"}).
 */
public final class ReplicationBenchmark {
    private static final String SOURCE = "us-east-1";
    private static final List<String> DESTINATIONS = List.of("us-west-2", "eu-west-1", "ap-southeast-2");
    private static final int CLUSTERS = 4;
    private static final int REPEATS = 3;

    private ReplicationBenchmark() {
    }

    /** One measured configuration. */
    record Result(String store, int backups, double planMs, double firstMs, double secondMs, long firstRequests,
            long secondRequests, long peakHeapMb) {
    }

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {100, 500, 2000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<Result> results = new ArrayList<>();
        for (String store : List.of("in-memory", "http")) {
            for (int n : counts) {
                results.add(median(store, n));
            }
        }
        System.out.printf(Locale.ROOT, "%n%d clusters, %d destination regions, retention keepLast(n), JVM %s, %d cores%n",
                CLUSTERS, DESTINATIONS.size(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| store | backups | copies | plan ms | first run ms | second run ms | requests 1st | requests 2nd | peak heap MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.0f | %d | %d | %d |%n", r.store(), r.backups(),
                    r.backups() * DESTINATIONS.size(), r.planMs(), r.firstMs(), r.secondMs(), r.firstRequests(),
                    r.secondRequests(), r.peakHeapMb());
        }
    }

    private static Result median(String store, int backups) {
        List<Result> runs = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            runs.add(once(store, backups));
        }
        runs.sort((a, b) -> Double.compare(a.firstMs(), b.firstMs()));
        return runs.get(REPEATS / 2);
    }

    private static Result once(String storeKind, int backups) {
        System.gc();
        resetPeaks();
        MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T00:00:00Z"));
        CloudHsmModel model = new CloudHsmModel(clock, backups).copyDelay(Duration.ZERO);
        List<String> clusters = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            clusters.add(model.addCluster(SOURCE).clusterId());
        }
        for (int i = 0; i < backups; i++) {
            model.addBackup(SOURCE, clusters.get(i % CLUSTERS), clock.instant().minus(Duration.ofMinutes(i + 1L)));
        }
        CloudHsmEmulator emulator = null;
        BackupStore store;
        if (storeKind.equals("http")) {
            emulator = CloudHsmEmulator.builder().model(model).start();
            store = AwsBackupStore.builder().endpointOverride(emulator.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                    .build();
        } else {
            store = new InMemoryBackupStore(model);
        }
        try (BackupReplicator r = BackupReplicator.builder().sourceRegion(SOURCE)
                .destinationRegions(DESTINATIONS).backupStore(store).clock(clock).sleeper(clock::advance)
                .selection(Selection.allWithin(Duration.ofDays(365)))
                .retentionPolicy(RetentionPolicy.builder().keepLast(backups).build())
                .build()) {
            long t0 = System.nanoTime();
            r.plan();
            long t1 = System.nanoTime();
            long before = requests(store, emulator);
            ReplicationReport first = r.replicate();
            long t2 = System.nanoTime();
            long afterFirst = requests(store, emulator);
            ReplicationReport second = r.replicate();
            long t3 = System.nanoTime();
            long afterSecond = requests(store, emulator);
            if (first.status() != RunStatus.SUCCESS || first.copied() != (long) backups * DESTINATIONS.size()
                    || second.copied() != 0) {
                throw new IllegalStateException("benchmark run misbehaved: " + first.summary() + " / " + second.summary());
            }
            return new Result(storeKind, backups, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), afterFirst - before,
                    afterSecond - afterFirst, peakHeapMb());
        } finally {
            store.close();
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private static long requests(BackupStore store, CloudHsmEmulator emulator) {
        return emulator != null ? emulator.requestLog().requests().size() : ((InMemoryBackupStore) store).calls();
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
