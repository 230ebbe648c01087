package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.RequestLog;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scenario's CloudHSM: a model seeded with a {@link Shape} (clusters and READY backups in the source region,
 * one a minute going back from now; copies complete at once), served over HTTP by the emulator on the real
 * clock (so that latency is real time), or read directly by the in-memory store.
 */
final class World implements AutoCloseable {
    private final Shape shape;
    private final CloudHsmModel model;
    private final CloudHsmEmulator emulator;
    private final List<AwsBackupStore> stores = new ArrayList<>();

    private World(Shape shape, CloudHsmModel model, CloudHsmEmulator emulator) {
        this.shape = shape;
        this.model = model;
        this.emulator = emulator;
    }

    /** A world served over HTTP by the emulator: real clock, real sleeping for the injected latency. */
    static World http(Shape shape, long seed, RateLimit rateLimit) {
        CloudHsmModel model = seeded(shape, Clock.systemUTC(), seed);
        CloudHsmEmulator.Builder b = CloudHsmEmulator.builder().model(model).seed(seed).sleeper(Sleeper.SYSTEM);
        if (rateLimit != null) {
            b.rateLimit(rateLimit.requestsPerSecond(), rateLimit.burst());
        }
        return new World(shape, model, b.start());
    }

    /** A world read by the in-memory store on {@code clock}. */
    static World inMemory(Shape shape, long seed, Clock clock) {
        return new World(shape, seeded(shape, clock, seed), null);
    }

    private static CloudHsmModel seeded(Shape shape, Clock clock, long seed) {
        CloudHsmModel model = new CloudHsmModel(clock, seed).copyDelay(Duration.ZERO);
        List<String> clusters = new ArrayList<>();
        for (int c = 0; c < shape.clusters(); c++) {
            clusters.add(model.addCluster(Shape.SOURCE).clusterId());
        }
        Instant now = clock.instant();
        for (int i = 0; i < shape.backups(); i++) {
            model.addBackup(Shape.SOURCE, clusters.get(i % shape.clusters()), now.minus(Duration.ofMinutes(i + 1L)));
        }
        return model;
    }

    /** A rate limit of the emulator, per region. */
    record RateLimit(double requestsPerSecond, int burst) {
    }

    Shape shape() {
        return shape;
    }

    CloudHsmModel model() {
        return model;
    }

    CloudHsmEmulator emulator() {
        return Objects.requireNonNull(emulator, "an in-memory world has no emulator");
    }

    RequestLog requestLog() {
        return emulator().requestLog();
    }

    /** Injected latency on every request to every region; zero removes it. */
    void latency(Duration latency) {
        emulator().faults().latency(FaultInjector.ANY, FaultInjector.ANY, latency);
    }

    /**
     * @return a new AWS store pointed at the emulator, as a one-shot run makes one: static credentials, its own
     *         SDK clients, no SDK retries
     */
    AwsBackupStore newStore() {
        AwsBackupStore s = AwsBackupStore.builder().endpointOverride(emulator().endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build();
        stores.add(s);
        return s;
    }

    /** @return the copies the destination regions hold */
    long copiesHeld() {
        return shape.destinationRegions().stream().mapToLong(r -> model.backupsIn(r).size()).sum();
    }

    /**
     * The replicator every scenario runs: every cluster of the source region, every backup of the last year,
     * to the shape's destinations; with retention, keepLast of every backup (it deletes nothing).
     */
    static BackupReplicator replicator(Shape shape, BackupStore store, boolean retention, Clock clock,
            Sleeper sleeper, Integer maxCallsPerRegion, ReplicationListener... listeners) {
        ReplicatorBuilder b = BackupReplicator.builder().sourceRegion(Shape.SOURCE)
                .destinationRegions(shape.destinationRegions()).backupStore(store).clock(clock).sleeper(sleeper)
                .selection(Selection.allWithin(Duration.ofDays(365))).randomSeed(7);
        if (retention) {
            b.retentionPolicy(RetentionPolicy.builder().keepLast(shape.backupsPerCluster()).build());
        }
        if (maxCallsPerRegion != null) {
            b.maxConcurrentCallsPerRegion(maxCallsPerRegion);
        }
        for (ReplicationListener l : listeners) {
            b.listener(l);
        }
        return b.build();
    }

    @Override
    public void close() {
        stores.forEach(AwsBackupStore::close);
        if (emulator != null) {
            emulator.close();
        }
    }
}
