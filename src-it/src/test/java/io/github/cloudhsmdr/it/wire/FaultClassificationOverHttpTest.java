package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.emulator.RequestLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static io.github.cloudhsmdr.it.wire.WireFixture.COPY;
import static io.github.cloudhsmdr.it.wire.WireFixture.DESCRIBE_BACKUPS;
import static io.github.cloudhsmdr.it.wire.WireFixture.EU;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How each kind of CloudHSM failure is classified and retried when it arrives over the wire through the real
 * SDK, counted at the emulator: the number of requests it received is the number of attempts, so these tests
 * prove that the retry bound holds end to end (the SDK clients built by {@link AwsBackupStore} add no attempts
 * of their own).
 */
class FaultClassificationOverHttpTest {
    private static final long SEED = 20261102L;
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.builder().maxAttempts(3).build();

    WireFixture fx;
    AwsBackupStore store;
    String cluster;
    Backup backup;
    List<RetryEvent> retries;
    final List<CloudHsmV2Client> suppliedClients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new WireFixture(SEED);
        store = fx.newStore();
        cluster = fx.model().addCluster(SOURCE).clusterId();
        backup = fx.backup(cluster, Duration.ofHours(6));
        retries = Collections.synchronizedList(new ArrayList<>());
    }

    @AfterEach
    void tearDown() {
        fx.close();
        suppliedClients.forEach(CloudHsmV2Client::close);
    }

    ReplicatorBuilder replicator(AwsBackupStore s, String... destinations) {
        return fx.replicator(s, destinations).clusterIds(cluster).retryPolicy(THREE_ATTEMPTS)
                .listener(new ReplicationListener() {
                    @Override
                    public void onRetry(RetryEvent event) {
                        retries.add(event);
                    }
                });
    }

    /** Lifts a fault once {@code n} retries were announced: the next attempt goes through. */
    ReplicationListener liftAfterRetries(int n, Runnable lift) {
        return new ReplicationListener() {
            int seen;

            @Override
            public synchronized void onRetry(RetryEvent event) {
                if (++seen == n) {
                    lift.run();
                }
            }
        };
    }

    long failedRequests(String operation, String region) {
        return fx.requests().count(e -> operation.equals(e.operation()) && region.equals(e.region())
                && !e.succeeded());
    }

    CopyOutcome onlyCopy(ReplicationReport report) {
        List<CopyOutcome> copies = report.copies().toList();
        assertEquals(1, copies.size(), report.describe());
        return copies.get(0);
    }

    /** A transient fault of the copy call, switched on and off at the emulator. */
    enum TransientCopyFault {
        THROTTLING(ServiceErrorKind.THROTTLING, CloudHsmModelException.THROTTLING,
                (f, on) -> f.throttle(COPY, SOURCE, on ? 1.0 : 0.0)),
        INTERNAL_FAILURE(ServiceErrorKind.INTERNAL_FAILURE, CloudHsmModelException.INTERNAL_FAILURE,
                (f, on) -> f.internalFailure(COPY, SOURCE, on ? 1.0 : 0.0)),
        SERVICE_EXCEPTION(ServiceErrorKind.SERVICE_ERROR, CloudHsmModelException.SERVICE,
                (f, on) -> f.error(COPY, SOURCE, on ? 1.0 : 0.0, CloudHsmModelException.SERVICE));

        final ServiceErrorKind kind;
        final String errorCode;
        final BiConsumer<FaultInjector, Boolean> toggle;

        TransientCopyFault(ServiceErrorKind kind, String errorCode, BiConsumer<FaultInjector, Boolean> toggle) {
            this.kind = kind;
            this.errorCode = errorCode;
            this.toggle = toggle;
        }
    }

    @ParameterizedTest
    @EnumSource(TransientCopyFault.class)
    void transientCopyFaultIsRetriedAndTheCopySucceeds(TransientCopyFault fault) {
        fault.toggle.accept(fx.faults(), true);
        try (BackupReplicator r = replicator(store, WEST)
                .listener(liftAfterRetries(2, () -> fault.toggle.accept(fx.faults(), false))).build()) {
            ReplicationReport report = r.replicate();
            fx.figures("transient " + fault + " twice, then success");
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.COPIED, o.action(), report.describe());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        assertEquals(3, fx.count(COPY, SOURCE), "two refused attempts and the one that went through");
        assertEquals(2, fx.requests().countErrors(fault.errorCode));
        assertEquals(2, retries.size());
        retries.forEach(e -> assertEquals(fault.kind, e.kind(), e.toString()));
        retries.forEach(e -> assertEquals(COPY, e.operation()));
        assertEquals(1, fx.liveCopies(backup.backupId(), WEST).size());
    }

    @ParameterizedTest
    @EnumSource(TransientCopyFault.class)
    void transientCopyFaultThatPersistsIsSentExactlyMaxAttemptsTimes(TransientCopyFault fault) {
        fault.toggle.accept(fx.faults(), true);
        try (BackupReplicator r = replicator(store, WEST).build()) {
            ReplicationReport report = r.replicate();
            fx.figures("persistent " + fault + ", maxAttempts 3");
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.FAILED, o.action(), report.describe());
            assertEquals(fault.kind, o.failure().kind());
            assertEquals(3, o.failure().attempts());
            assertEquals(COPY, o.failure().operation());
            assertTrue(o.failure().isTransient());
            assertTrue(o.failure().message().contains(backup.backupId()), o.failure().message());
            assertTrue(o.failure().message().contains(fault.errorCode), o.failure().message());
            assertEquals(RunStatus.FAILED, report.status());
        }
        assertEquals(3, fx.count(COPY, SOURCE), "maxAttempts 3 means 3 requests, no SDK retries on top");
        assertEquals(2, retries.size());
        assertTrue(fx.liveCopies(backup.backupId(), WEST).isEmpty());
    }

    @Test
    void sdkRetriesInCallerSuppliedClientsWouldMultiplyTheAttempts() {
        AwsBackupStore retrying = AwsBackupStore.builder().clientFactory(region -> {
            CloudHsmV2Client c = fx.emulator.clientBuilder(region).overrideConfiguration(o -> o.retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).circuitBreakerEnabled(false)
                            .backoffStrategy(BackoffStrategy.retryImmediately())
                            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build())).build();
            suppliedClients.add(c);
            return c;
        }).build();
        fx.faults().throttle(COPY, SOURCE, 1.0);
        try (BackupReplicator r = replicator(retrying, WEST).build()) {
            CopyOutcome o = onlyCopy(r.replicate());
            assertEquals(3, o.failure().attempts(), "the library counts its own attempts");
        } finally {
            retrying.close();
        }
        assertEquals(9, fx.count(COPY, SOURCE), "3 library attempts x 3 SDK attempts: what the emulator counts");
    }

    static Stream<Arguments> regionDownModes() {
        return Stream.of(Arguments.of(FaultInjector.RegionDownMode.SERVICE_UNAVAILABLE, ServiceErrorKind.INTERNAL_FAILURE),
                Arguments.of(FaultInjector.RegionDownMode.CLOSE_CONNECTION, ServiceErrorKind.NETWORK));
    }

    @ParameterizedTest
    @MethodSource("regionDownModes")
    void destinationDownFailsOnlyItsPairAfterExactlyMaxAttempts(FaultInjector.RegionDownMode mode,
            ServiceErrorKind kind) {
        fx.faults().regionDown(EU, mode);
        try (BackupReplicator r = replicator(store, WEST, EU).build()) {
            ReplicationReport report = r.replicate();
            fx.figures("destination down (" + mode + ")");
            assertEquals(RunStatus.PARTIAL, report.status(), report.describe());
            DestinationOutcome west = outcome(report, WEST);
            assertEquals(RunStatus.SUCCESS, west.status());
            assertEquals(1, west.count(CopyAction.COPIED));
            DestinationOutcome eu = outcome(report, EU);
            assertEquals(RunStatus.FAILED, eu.status());
            Failure f = eu.failure();
            assertEquals(kind, f.kind(), f.toString());
            assertEquals(DESCRIBE_BACKUPS, f.operation());
            assertEquals(3, f.attempts());
            assertTrue(f.message().contains(EU), f.message());
        }
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, EU), "the down region got exactly 3 requests");
        assertEquals(3, fx.faults().count(FaultInjector.Kind.REGION_DOWN));
        if (mode == FaultInjector.RegionDownMode.CLOSE_CONNECTION) {
            assertEquals(3, fx.requests().countErrors(RequestLog.NO_RESPONSE));
        }
        assertEquals(1, fx.count(COPY, SOURCE), "only the copy to the region that is up");
    }

    @ParameterizedTest
    @MethodSource("regionDownModes")
    void destinationBackAfterTwoFailedAttemptsIsCopiedInTheSameRun(FaultInjector.RegionDownMode mode,
            ServiceErrorKind kind) {
        fx.faults().regionDown(EU, mode);
        try (BackupReplicator r = replicator(store, WEST, EU).listener(liftAfterRetries(2, () -> fx.faults().regionUp(EU)))
                .build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(2, report.copied());
        }
        assertEquals(2, failedRequests(DESCRIBE_BACKUPS, EU));
        assertEquals(2, retries.size());
        retries.forEach(e -> assertEquals(kind, e.kind(), e.toString()));
        assertEquals(1, fx.liveCopies(backup.backupId(), EU).size());
    }

    @Test
    void sourceRegionDownFailsTheRunPlainlyAfterExactlyMaxAttempts() {
        fx.faults().regionDown(SOURCE);
        try (BackupReplicator r = replicator(store, WEST, EU).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.FAILED, report.status());
            assertEquals(1, report.failures().size(), report.describe());
            Failure f = report.failures().get(0);
            assertEquals(ServiceErrorKind.INTERNAL_FAILURE, f.kind());
            assertEquals(DESCRIBE_BACKUPS, f.operation());
            assertEquals(3, f.attempts());
            assertTrue(report.summary().contains("nothing could be done"), report.summary());
        }
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, SOURCE));
        assertEquals(0, fx.count(COPY, SOURCE));
        // the destinations are read side by side with the source: an empty one is one page, and no more
        assertTrue(fx.count(DESCRIBE_BACKUPS, WEST) <= 1, "nothing to look for in the destinations");
    }

    static Stream<Arguments> permanentErrors() {
        return Stream.of(
                Arguments.of(CloudHsmModelException.ACCESS_DENIED, ServiceErrorKind.ACCESS_DENIED),
                Arguments.of("UnrecognizedClientException", ServiceErrorKind.ACCESS_DENIED),
                Arguments.of(CloudHsmModelException.INVALID_REQUEST, ServiceErrorKind.INVALID_REQUEST),
                Arguments.of(CloudHsmModelException.TAG, ServiceErrorKind.TAG),
                Arguments.of(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED, ServiceErrorKind.RESOURCE_LIMIT_EXCEEDED),
                Arguments.of(CloudHsmModelException.RESOURCE_NOT_FOUND, ServiceErrorKind.RESOURCE_NOT_FOUND));
    }

    @ParameterizedTest
    @MethodSource("permanentErrors")
    void permanentCopyErrorFailsAtOnceWithOneRequest(String errorCode, ServiceErrorKind kind) {
        fx.faults().error(COPY, SOURCE, 1.0, errorCode);
        try (BackupReplicator r = replicator(store, WEST).retryPolicy(RetryPolicy.defaults()).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.FAILED, o.action(), report.describe());
            assertEquals(kind, o.failure().kind());
            assertEquals(1, o.failure().attempts());
            assertEquals(COPY, o.failure().operation());
            assertTrue(o.failure().message().contains(errorCode), o.failure().message());
            assertEquals(RunStatus.FAILED, report.status());
        }
        assertEquals(1, fx.count(COPY, SOURCE), "a permanent error is never sent again");
        assertTrue(retries.isEmpty(), retries.toString());
        assertTrue(fx.liveCopies(backup.backupId(), WEST).isEmpty());
    }

    @Test
    void accessDeniedListingOneDestinationFailsThatPairAtOnce() {
        fx.faults().error(DESCRIBE_BACKUPS, EU, 1.0, CloudHsmModelException.ACCESS_DENIED);
        try (BackupReplicator r = replicator(store, WEST, EU).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.PARTIAL, report.status(), report.describe());
            Failure f = outcome(report, EU).failure();
            assertEquals(ServiceErrorKind.ACCESS_DENIED, f.kind());
            assertEquals(1, f.attempts());
            assertEquals(RunStatus.SUCCESS, outcome(report, WEST).status());
        }
        assertEquals(1, fx.count(DESCRIBE_BACKUPS, EU));
    }

    @Test
    void sourceDeletedBetweenPlanAndApplyIsReportedGoneNotFailed() {
        try (BackupReplicator r = replicator(store, WEST).build()) {
            ReplicationPlan plan = r.plan();
            fx.model().deleteBackup(SOURCE, backup.backupId());
            ReplicationReport report = r.apply(plan);
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.SOURCE_GONE, o.action(), report.describe());
            assertNull(o.failure());
            assertTrue(o.detail().contains("PENDING_DELETION"), o.detail());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        assertEquals(1, fx.requests().count(e -> COPY.equals(e.operation())
                && CloudHsmModelException.INVALID_REQUEST.equals(e.errorCode())), "refused: not READY");
        assertEquals(1, fx.count(COPY, SOURCE));
        assertTrue(fx.model().backupsIn(WEST).isEmpty());
    }

    @Test
    void sourcePurgedBetweenPlanAndApplyIsResourceNotFoundAndReportedGone() {
        try (BackupReplicator r = replicator(store, WEST).build()) {
            ReplicationPlan plan = r.plan();
            fx.model().deleteBackup(SOURCE, backup.backupId());
            fx.clock.advance(Duration.ofDays(8));
            ReplicationReport report = r.apply(plan);
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.SOURCE_GONE, o.action(), report.describe());
            assertTrue(o.detail().contains("DELETED"), o.detail());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        assertEquals(1, fx.requests().count(e -> COPY.equals(e.operation())
                && CloudHsmModelException.RESOURCE_NOT_FOUND.equals(e.errorCode())));
        assertEquals(1, fx.count(COPY, SOURCE), "not found is not retried");
        assertTrue(retries.isEmpty());
    }

    @Test
    void responseWithheldAfterTheCopyWasMadeIsReconciledInsteadOfCopiedAgain() {
        AwsBackupStore impatient = fx.newStore(b -> b.apiCallAttemptTimeout(Duration.ofMillis(300)));
        // first calls load and initialise the SDK; keep them out of the 300 ms the fault is about
        impatient.describeBackups(SOURCE, BackupFilter.ALL);
        impatient.describeBackups(WEST, BackupFilter.ALL);
        fx.requests().clear();
        fx.faults().timeoutAfterNextCopies(1).withholdFor(Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        try (BackupReplicator r = replicator(impatient, WEST).build()) {
            ReplicationReport report = r.replicate();
            fx.figures("response withheld after the copy, attempt timeout 300 ms");
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.COPIED, o.action(), report.describe());
            assertTrue(o.detail().contains("the copy was found in " + WEST + " before retrying"), o.detail());
            assertEquals(fx.liveCopies(backup.backupId(), WEST).get(0).backupId(), o.destinationBackupId());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "the client's attempt timeout ended the wait: " + took);
        assertEquals(1, fx.count(COPY, SOURCE), "the copy was not sent again");
        assertEquals(1, fx.requests().countErrors(RequestLog.NO_RESPONSE));
        assertEquals(1, fx.faults().count(FaultInjector.Kind.TIMEOUT_AFTER_COPY));
        assertEquals(1, retries.size());
        assertEquals(ServiceErrorKind.NETWORK, retries.get(0).kind());
        assertEquals(1, fx.liveCopies(backup.backupId(), WEST).size(), "exactly one live copy");
    }

    @Test
    void connectionClosedAfterTheCopyWasMadeIsReportedAsCopiedEvenWithoutRetries() {
        fx.faults().timeoutAfterNextCopies(1).noResponseMode(FaultInjector.NoResponseMode.CLOSE_CONNECTION);
        try (BackupReplicator r = replicator(store, WEST).retryPolicy(RetryPolicy.none()).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = onlyCopy(report);
            assertEquals(CopyAction.COPIED, o.action(), report.describe());
            assertTrue(o.detail().contains("copy call failed (NETWORK) but the copy exists"), o.detail());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        assertEquals(1, fx.count(COPY, SOURCE));
        assertEquals(1, fx.liveCopies(backup.backupId(), WEST).size());
        try (BackupReplicator r = replicator(fx.newStore(), WEST).build()) {
            assertEquals(0, r.replicate().copied(), "the next run finds the copy");
        }
        assertEquals(1, fx.count(COPY, SOURCE));
    }

    private static DestinationOutcome outcome(ReplicationReport report, String region) {
        return report.outcomes().stream().filter(o -> Objects.equals(o.destinationRegion(), region)).findFirst()
                .orElseThrow(() -> new AssertionError("no outcome for " + region + ": " + report.describe()));
    }
}
