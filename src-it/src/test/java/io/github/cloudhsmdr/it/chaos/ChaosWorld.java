package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The world a chaos run plays in: one CloudHSM emulator on loopback whose model runs on a {@link MutableClock}, a
 * real {@link AwsBackupStore} talking HTTP to it (endpoint override, dummy static credentials), the source region
 * with its clusters and their history, and the destinations seeded with backups the replicator must never touch.
 *
 * <p>Replicators built here use the same clock and "sleep" by advancing it, and the emulator's latency advances it
 * too, so nothing waits for real: the one fault that withholds a response is used in its connection-close form.
 */
final class ChaosWorld implements AutoCloseable {
    static final String SOURCE = "us-east-1";
    static final List<String> DESTINATIONS = List.of("us-west-2", "eu-west-1", "ap-southeast-2");
    /** A region other replicators copy from: copies from it are never ours to delete. */
    static final String OTHER_SOURCE = "eu-central-1";
    static final String NAME = "chaos-dr";
    /** A Monday, so ISO weeks start with the run. */
    static final Instant START = Instant.parse("2027-03-01T00:00:00Z");
    static final int HISTORY_DAYS = 20;
    static final Duration WAIT_FOR_READY = Duration.ofHours(2);
    static final Selection SELECTION = Selection.allWithin(Duration.ofDays(14));
    static final RetentionPolicy POLICY = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).minReadyCopies(2)
            .build();

    final long seed;
    final MutableClock clock = MutableClock.at(START);
    final CloudHsmEmulator emulator;
    final AwsBackupStore store;
    final List<String> clusters = new ArrayList<>();
    private int seeded;

    ChaosWorld(long seed) {
        this.seed = seed;
        this.emulator = CloudHsmEmulator.builder().clock(clock).seed(seed).sleeper(clock::advance).start();
        this.store = AwsBackupStore.builder()
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                // a guard against a hung request only: no fault used here withholds a response
                .apiCallAttemptTimeout(Duration.ofSeconds(30))
                .build();
    }

    CloudHsmModel model() {
        return emulator.model();
    }

    FaultInjector faults() {
        return emulator.faults();
    }

    /**
     * Three clusters in the source region with {@link #HISTORY_DAYS} days of daily backups, and in every destination:
     * a copy without the ownership tag, a copy owned by another replicator, two NeverExpires copies of ours (one of a
     * backup still in the selection window), a copy of ours made from another region, and a cluster that lives in
     * the destination with backups of its own, one of them carrying our ownership tag.
     */
    void seed() {
        for (int c = 0; c < 3; c++) {
            clusters.add(model().addCluster(SOURCE).clusterId());
        }
        List<List<Backup>> history = new ArrayList<>();
        for (String cluster : clusters) {
            List<Backup> backups = new ArrayList<>();
            for (int d = HISTORY_DAYS; d >= 1; d--) {
                backups.add(model().addBackup(SOURCE, cluster, START.minus(Duration.ofDays(d)).plus(Duration.ofHours(1))));
            }
            history.add(backups);
        }
        for (String region : DESTINATIONS) {
            Backup recent0 = history.get(0).get(HISTORY_DAYS - 3);
            Backup recent1 = history.get(1).get(HISTORY_DAYS - 5);
            Backup recent2 = history.get(2).get(HISTORY_DAYS - 2);
            addCopy(region, recent0, Map.of(), false);
            addCopy(region, recent1, Map.of(CopyTags.OWNER, "someone-else"), false);
            addCopy(region, recent2, ownedTags(recent2), true);
            Backup gone = Backup.builder(seedId("gone"), SOURCE).clusterId(clusters.get(0))
                    .createTimestamp(START.minus(Duration.ofDays(60))).state(BackupState.READY).build();
            addCopy(region, gone, ownedTags(gone), true);
            Backup elsewhere = Backup.builder(seedId("else"), OTHER_SOURCE).clusterId(clusters.get(1))
                    .createTimestamp(START.minus(Duration.ofDays(30))).state(BackupState.READY).build();
            Map<String, String> elsewhereTags = Map.of(CopyTags.OWNER, NAME, CopyTags.SOURCE_REGION, OTHER_SOURCE,
                    CopyTags.SOURCE_CLUSTER, clusters.get(1), CopyTags.SOURCE_BACKUP, elsewhere.backupId());
            addCopy(region, elsewhere, elsewhereTags, false);
            String local = model().addCluster(region).clusterId();
            model().addBackup(region, local, START.minus(Duration.ofDays(2)));
            model().addBackup(Backup.builder(seedId("local"), region).clusterId(local)
                    .createTimestamp(START.minus(Duration.ofDays(40))).state(BackupState.READY)
                    .hsmType("hsm2m.medium").mode("FIPS").tags(Map.of(CopyTags.OWNER, NAME)).build());
        }
    }

    private Map<String, String> ownedTags(Backup source) {
        return Map.of(CopyTags.OWNER, NAME, CopyTags.SOURCE_REGION, SOURCE, CopyTags.SOURCE_CLUSTER,
                source.clusterId(), CopyTags.SOURCE_BACKUP, source.backupId());
    }

    private void addCopy(String region, Backup source, Map<String, String> tags, boolean neverExpires) {
        String sourceRegion = source.region();
        model().addBackup(Backup.builder(seedId("copy"), region).clusterId(source.clusterId())
                .createTimestamp(source.createTimestamp()).copyTimestamp(START.minus(Duration.ofHours(12)))
                .sourceRegion(sourceRegion).sourceBackup(source.backupId()).sourceCluster(source.clusterId())
                .state(BackupState.READY).neverExpires(neverExpires).hsmType("hsm2m.medium").mode("FIPS")
                .tags(tags).build());
    }

    /** A valid, recognisable backup id for a seeded backup: {@code backup-seed<kind><n>}. */
    private String seedId(String kind) {
        int n = seeded++;
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            suffix.append((char) ('a' + n % 26));
            n /= 26;
        }
        return "backup-seed" + kind + suffix;
    }

    /** A new replicator instance (as after a process restart: no memory of copies in flight). */
    BackupReplicator newReplicator(ChaosSettings settings, ReplicationListener listener) {
        RetryPolicy retry = settings.retryBudget() == null ? RetryPolicy.defaults()
                : RetryPolicy.defaults().toBuilder().maxTotalTime(settings.retryBudget()).build();
        return BackupReplicator.builder()
                .name(NAME)
                .sourceRegion(SOURCE)
                .destinationRegions(DESTINATIONS)
                .selection(SELECTION)
                .retentionPolicy(POLICY)
                .waitForReady(WAIT_FOR_READY)
                .maxConcurrentDestinations(settings.destinationThreads())
                // one call per region at a time too with one destination thread: the calls keep their order
                .maxConcurrentCallsPerRegion(settings.destinationThreads() == 1 ? 1 : 8)
                .retryPolicy(retry)
                .backupStore(store)
                .clock(clock)
                .sleeper(clock::advance)
                .randomSeed(seed)
                .listener(listener)
                .build();
    }

    /** Moves the clock to {@code instant}, or leaves it where it is when a run already took it past. */
    void advanceTo(Instant instant) {
        if (clock.instant().isBefore(instant)) {
            clock.set(instant);
        }
    }

    @Override
    public void close() {
        store.close();
        emulator.close();
    }
}
