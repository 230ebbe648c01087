package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxConcurrentDestinations} bounds how many destination regions a plan and a measurement read at once,
 * as it bounds how many an apply works on: five destinations with a limit of 2 are read two at a time.
 */
class DestinationConcurrencyTest extends ModelFixture {
    static final List<String> DESTINATIONS = List.of("us-west-1", "us-west-2", "eu-west-1", "eu-central-1",
            "ap-southeast-2");

    CountingStore counting;

    @BeforeEach
    void oneBackupToCopy() {
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
        counting = new CountingStore(store);
    }

    private BackupReplicator replicator() {
        return BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(DESTINATIONS).clusterIds(cluster)
                .backupStore(counting).clock(clock).sleeper(clock::advance)
                .maxConcurrentDestinations(2).maxConcurrentCallsPerRegion(4).build();
    }

    @Test
    void aPlanReadsAtMostMaxConcurrentDestinationsAtOnce() {
        try (BackupReplicator replicator = replicator()) {
            ReplicationPlan plan = replicator.plan();
            assertEquals(5, plan.copyCount(), plan.describe());
        }
        assertEquals(2, counting.mostRegionsAtOnce.get(), "destination regions read at once");
    }

    @Test
    void aMeasurementReadsAtMostMaxConcurrentDestinationsAtOnce() {
        try (BackupReplicator replicator = replicator()) {
            RecoveryPointReport report = replicator.measureRecoveryPoints();
            // nothing was copied yet: no destination holds a recovery point
            assertNotEquals(RecoveryPointStatus.OK, report.worst(), report.describe());
        }
        assertEquals(2, counting.mostRegionsAtOnce.get(), "destination regions read at once");
    }

    /**
     * Counts the destination regions with a listing in flight. A listing waits until two regions are being read
     * (at once with a limit of 2; without a limit the five regions start together and more than two meet).
     */
    static final class CountingStore extends DelegatingStore {
        final Map<String, Integer> inFlight = new HashMap<>();
        final AtomicInteger mostRegionsAtOnce = new AtomicInteger();
        final CountDownLatch twoRegions = new CountDownLatch(2);

        CountingStore(BackupStore delegate) {
            super(delegate);
        }

        @Override
        public BackupPage describeBackupsPage(String region, BackupFilter filter, String nextToken) {
            if (SOURCE.equals(region)) {
                return delegate.describeBackupsPage(region, filter, nextToken);
            }
            synchronized (inFlight) {
                if (inFlight.merge(region, 1, Integer::sum) == 1) {
                    twoRegions.countDown();
                }
                mostRegionsAtOnce.accumulateAndGet(inFlight.size(), Math::max);
            }
            try {
                assertTrue(twoRegions.await(30, TimeUnit.SECONDS), "the destinations were read one at a time");
                return delegate.describeBackupsPage(region, filter, nextToken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                synchronized (inFlight) {
                    inFlight.computeIfPresent(region, (r, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }
}
