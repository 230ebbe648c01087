package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBehaviourTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";

    MutableClock clock;
    CloudHsmModel model;
    String cluster;
    List<RetryEvent> retries;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-11-01T12:00:00Z");
        model = new CloudHsmModel(clock, 3L);
        cluster = model.addCluster(SOURCE).clusterId();
        retries = Collections.synchronizedList(new ArrayList<>());
    }

    ReplicatorBuilder builder(BackupStore store) {
        return BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(WEST).clusterIds(cluster)
                .backupStore(store).clock(clock).sleeper(clock::advance).randomSeed(1L)
                .listener(new ReplicationListener() {
                    @Override
                    public void onRetry(RetryEvent event) {
                        retries.add(event);
                    }
                });
    }

    long liveCopies(String sourceBackupId) {
        return model.backupsIn(WEST).stream()
                .filter(b -> sourceBackupId.equals(b.sourceBackup()) && b.state().isLive()).count();
    }

    /** Fails the first {@code n} calls of {@code operation} with {@code errorCode}, before the model sees them. */
    void failFirst(String operation, int n, String errorCode) {
        AtomicInteger left = new AtomicInteger(n);
        model.faultHook((op, region) -> {
            if (op.equals(operation) && left.getAndDecrement() > 0) {
                throw CloudHsmModelException.of(errorCode, "injected " + errorCode);
            }
        });
    }

    @Test
    void transientErrorsAreRetriedAndTheRunSucceeds() {
        Backup b = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        failFirst("CopyBackupToRegion", 2, CloudHsmModelException.THROTTLING);
        try (BackupReplicator r = builder(new InMemoryBackupStore(model)).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(1, report.copied());
        }
        assertEquals(2, retries.size());
        assertEquals(ServiceErrorKind.THROTTLING, retries.get(0).kind());
        assertEquals(1, liveCopies(b.backupId()));
    }

    @Test
    void permanentErrorFailsTheItemAtOnceWithOneAttempt() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        failFirst("CopyBackupToRegion", 100, CloudHsmModelException.TAG);
        try (BackupReplicator r = builder(new InMemoryBackupStore(model)).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.FAILED, o.action());
            assertEquals(ServiceErrorKind.TAG, o.failure().kind());
            assertEquals(1, o.failure().attempts());
            assertEquals(RunStatus.FAILED, report.status());
        }
        assertTrue(retries.isEmpty());
    }

    @Test
    void exhaustedRetriesReportTheAttemptsAndTheLastError() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        failFirst("CopyBackupToRegion", 100, CloudHsmModelException.INTERNAL_FAILURE);
        try (BackupReplicator r = builder(new InMemoryBackupStore(model))
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build()).build()) {
            CopyOutcome o = r.replicate().copies().findFirst().orElseThrow();
            assertEquals(CopyAction.FAILED, o.action());
            assertEquals(ServiceErrorKind.INTERNAL_FAILURE, o.failure().kind());
            assertEquals(3, o.failure().attempts());
        }
    }

    @Test
    void ambiguousCopyFailureIsReconciledBeforeRetryingSoNoDuplicateIsMade() {
        Backup b = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        CopyThenFailStore store = new CopyThenFailStore(new InMemoryBackupStore(model), 1);
        try (BackupReplicator r = builder(store).build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, o.action(), report.describe());
            assertTrue(o.detail().contains("found in " + WEST + " before retrying"), o.detail());
            assertEquals(RunStatus.SUCCESS, report.status());
        }
        assertEquals(1, store.copyCalls.get(), "the copy call was not sent again");
        assertEquals(1, liveCopies(b.backupId()));
    }

    @Test
    void ambiguousFailureOnEveryAttemptStillLeavesOneCopyReported() {
        Backup b = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        CopyThenFailStore store = new CopyThenFailStore(new InMemoryBackupStore(model), 1);
        try (BackupReplicator r = builder(store).retryPolicy(RetryPolicy.none()).build()) {
            CopyOutcome o = r.replicate().copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, o.action());
            assertTrue(o.detail().contains("but the copy exists"), o.detail());
        }
        assertEquals(1, liveCopies(b.backupId()));
    }

    @Test
    void attemptsNeverExceedTheBoundAndTheBudgetStopsRetries() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        failFirst("CopyBackupToRegion", 1000, CloudHsmModelException.THROTTLING);
        InMemoryBackupStore store = new InMemoryBackupStore(model);
        try (BackupReplicator r = builder(store).retryPolicy(RetryPolicy.builder().maxAttempts(4)
                .maxTotalTime(Duration.ofMinutes(10)).build()).build()) {
            CopyOutcome o = r.replicate().copies().findFirst().orElseThrow();
            assertEquals(4, o.failure().attempts());
        }
        assertEquals(3, retries.size());
        try (BackupReplicator r = builder(store).retryPolicy(RetryPolicy.builder().maxAttempts(50)
                .initialBackoff(Duration.ofSeconds(10)).throttlingBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(30)).jitter(0).maxTotalTime(Duration.ofSeconds(45)).build()).build()) {
            CopyOutcome o = r.replicate().copies().findFirst().orElseThrow();
            assertTrue(o.failure().attempts() < 50, "the 45 s budget stopped the retries: " + o.failure());
        }
    }

    @Test
    void throttledRegionIsPacedAndRecovers() {
        for (int i = 0; i < 6; i++) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(i + 1)));
        }
        failFirst("CopyBackupToRegion", 3, CloudHsmModelException.THROTTLING);
        List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        try (BackupReplicator r = builder(new InMemoryBackupStore(model)).sleeper(d -> {
            sleeps.add(d);
            clock.advance(d);
        }).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(6, report.copied(), report.describe());
        }
        assertTrue(sleeps.contains(Duration.ofMillis(250)), "spacing after the first throttle: " + sleeps);
        assertTrue(sleeps.contains(Duration.ofMillis(500)), "spacing doubles on the next: " + sleeps);
    }

    @Test
    void waitingForReadyDoesNotUseUpTheRetryBudget() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        model.copyDelay(Duration.ofHours(1));
        AtomicInteger euThrottles = new AtomicInteger();
        java.time.Instant afterTheWait = clock.instant().plus(Duration.ofMinutes(30));
        model.faultHook((op, region) -> {
            if (op.equals("DescribeBackups") && region.equals("eu-west-1") && clock.instant().isAfter(afterTheWait)
                    && euThrottles.getAndIncrement() < 2) {
                throw CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "slow down");
            }
        });
        try (BackupReplicator r = builder(new InMemoryBackupStore(model)).destinationRegions(WEST, "eu-west-1")
                .maxConcurrentDestinations(1).waitForReady(Duration.ofHours(2))
                .retryPolicy(RetryPolicy.builder().maxTotalTime(Duration.ofMinutes(1)).build()).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(2, report.copied());
        }
        assertEquals(2, retries.size(), "the second region's throttled listing was retried after an hour of waiting");
    }

    @Test
    void aFailedPageOfALongListingIsRetriedAloneNotTheWholeListing() {
        for (int i = 0; i < 120; i++) {
            model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofMinutes(i + 1L)));
        }
        AtomicInteger sourceListings = new AtomicInteger();
        model.faultHook((op, region) -> {
            if (op.equals("DescribeBackups") && region.equals(SOURCE) && sourceListings.incrementAndGet() == 3) {
                throw CloudHsmModelException.of(CloudHsmModelException.INTERNAL_FAILURE, "page 3 lost");
            }
        });
        InMemoryBackupStore store = new InMemoryBackupStore(model);
        try (BackupReplicator r = builder(store).build()) {
            assertEquals(120, r.plan().copyCount());
        }
        assertEquals(4, sourceListings.get(), "3 pages and one retry of the third, not a new listing from page 1");
        assertEquals(1, retries.size());
    }

    /** Makes the copy, then answers the first {@code failures} copy calls with an internal failure. */
    static final class CopyThenFailStore extends DelegatingStore {
        final AtomicInteger failuresLeft;
        final AtomicInteger copyCalls = new AtomicInteger();

        CopyThenFailStore(BackupStore delegate, int failures) {
            super(delegate);
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public CopyResult copyBackupToRegion(String sourceRegion, String backupId, String destinationRegion,
                Map<String, String> tags) {
            copyCalls.incrementAndGet();
            CopyResult r = delegate.copyBackupToRegion(sourceRegion, backupId, destinationRegion, tags);
            if (failuresLeft.getAndDecrement() > 0) {
                throw new BackupServiceException(ServiceErrorKind.NETWORK, "CopyBackupToRegion", sourceRegion,
                        backupId, null, "read timed out", null);
            }
            return r;
        }
    }
}
