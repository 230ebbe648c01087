package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One CloudHSM emulator on loopback with its model on a {@link MutableClock}, and real {@link AwsBackupStore}s
 * whose SDK clients talk HTTP to it. Replicators built here run on the same clock and "sleep" by advancing it, so
 * nothing in these tests waits for real (except the one fault that withholds a response for real time, which
 * its test bounds with a short attempt timeout).
 */
final class WireFixture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WireFixture.class);

    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final String EU = "eu-west-1";
    static final String AP = "ap-southeast-2";
    static final String CA = "ca-central-1";
    static final Instant START = Instant.parse("2026-11-01T12:00:00Z");
    static final String COPY = "CopyBackupToRegion";
    static final String DESCRIBE_BACKUPS = "DescribeBackups";
    static final String DESCRIBE_CLUSTERS = "DescribeClusters";

    final MutableClock clock = MutableClock.at(START);
    final long seed;
    final CloudHsmEmulator emulator;
    private final List<AwsBackupStore> stores = new ArrayList<>();

    WireFixture(long seed) {
        this(seed, b -> b);
    }

    /** @param settings more emulator settings (e.g. a rate limit on the fixture's clock) */
    WireFixture(long seed, UnaryOperator<CloudHsmEmulator.Builder> settings) {
        this.seed = seed;
        this.emulator = settings.apply(CloudHsmEmulator.builder().clock(clock).seed(seed).sleeper(clock::advance))
                .start();
        LOG.info("emulator {} seed={}", emulator.endpoint(), seed);
    }

    CloudHsmModel model() {
        return emulator.model();
    }

    FaultInjector faults() {
        return emulator.faults();
    }

    RequestLog requests() {
        return emulator.requestLog();
    }

    /** A store as a user builds it for the emulator: endpoint override and dummy static credentials. */
    AwsBackupStore newStore() {
        return newStore(b -> b);
    }

    /** A store with more settings (e.g. an attempt timeout); closed with the fixture. */
    AwsBackupStore newStore(UnaryOperator<AwsBackupStore.Builder> settings) {
        AwsBackupStore store = settings.apply(AwsBackupStore.builder()
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))).build();
        stores.add(store);
        return store;
    }

    /** A raw SDK client for {@code region} talking to the emulator, for calls the library never makes. */
    CloudHsmV2Client sdkClient(String region) {
        return CloudHsmV2Client.builder().region(Region.of(region)).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    /** A replicator builder on the fixture's clock, sleeping by advancing it, over {@code store}. */
    ReplicatorBuilder replicator(AwsBackupStore store, String... destinations) {
        return BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(destinations)
                .backupStore(store).clock(clock).sleeper(clock::advance).randomSeed(seed);
    }

    /** Adds a READY backup of {@code cluster} in the source region, {@code age} old. */
    Backup backup(String cluster, Duration age) {
        return model().addBackup(SOURCE, cluster, clock.instant().minus(age));
    }

    /** The live copies (READY, in progress or pending deletion) of a source backup, as the model holds them. */
    List<Backup> liveCopies(String sourceBackupId, String region) {
        return model().backupsIn(region).stream()
                .filter(b -> sourceBackupId.equals(b.sourceBackup()) && b.state().isLive())
                .collect(Collectors.toList());
    }

    /** The copies of a source backup as the SDK reads them back over the wire. */
    List<Backup> copiesOverWire(AwsBackupStore store, String sourceBackupId, String region) {
        return store.describeBackups(region, BackupFilter.sourceBackupIds(List.of(sourceBackupId)));
    }

    /** Requests the emulator received for {@code operation} in {@code region}. */
    long count(String operation, String region) {
        return requests().count(operation, region);
    }

    /** Requests per {@code operation@region}, sorted. */
    Map<String, Long> requestsPerOperation() {
        return requests().requests().stream().collect(Collectors.groupingBy(
                e -> e.operation() + "@" + e.region(), TreeMap::new, Collectors.counting()));
    }

    /** Logs one line of figures for a scenario: requests in total and per operation and region. */
    void figures(String scenario) {
        LOG.info("figures scenario={} requests={} virtualTime={} perOperation={}", scenario, requests().size(),
                Duration.between(START, clock.instant()), requestsPerOperation());
    }

    @Override
    public void close() {
        stores.forEach(AwsBackupStore::close);
        emulator.close();
    }
}
