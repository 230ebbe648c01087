package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A destination whose DescribeBackups answers the same NextToken again: the engine's page-by-page listing must
 * stop at the first token it has already followed and fail that listing as a bad response, instead of reading
 * the same page forever. The fake stops repeating after {@value #CUT_OFF} pages so that an engine without the
 * check ends (and the test fails) instead of hanging.
 */
class RepeatedPageTokenTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final int CUT_OFF = 500;

    @Test
    void aListingThatRepeatsItsNextTokenFailsAsBadResponse() {
        MutableClock clock = MutableClock.at("2026-11-01T12:00:00Z");
        CloudHsmModel model = new CloudHsmModel(clock, 7L);
        String cluster = model.addCluster(SOURCE).clusterId();
        model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(2)));
        LoopingStore store = new LoopingStore(new InMemoryBackupStore(model), WEST);

        ReplicationReport report;
        try (BackupReplicator replicator = BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(WEST)
                .clusterIds(cluster).backupStore(store).clock(clock).sleeper(clock::advance).build()) {
            report = replicator.replicate();
        }

        assertNotEquals(RunStatus.SUCCESS, report.status(), report.describe());
        List<Failure> failures = report.allFailures();
        assertTrue(failures.stream().anyMatch(f -> f.kind() == ServiceErrorKind.BAD_RESPONSE
                && "DescribeBackups".equals(f.operation()) && f.message().contains("NextToken 'loop'")),
                report.describe());
        // the whole listing meets the repeat on its second page, unless it gave way to the lookup after its first
        // (the source was read by then), and the lookup meets it on its second: 3 pages at most, in either order
        assertTrue(store.pagesInWest.get() <= 3, "pages read in " + WEST + ": " + store.pagesInWest.get());
    }

    /** Serves the model, but every page of a listing in {@code region} points at the same next page. */
    static final class LoopingStore extends DelegatingStore {
        final String region;
        final AtomicInteger pagesInWest = new AtomicInteger();

        LoopingStore(BackupStore delegate, String region) {
            super(delegate);
            this.region = region;
        }

        @Override
        public BackupPage describeBackupsPage(String r, BackupFilter filter, String nextToken) {
            BackupPage page = delegate.describeBackupsPage(r, filter, null);
            if (!r.equals(region) || pagesInWest.incrementAndGet() >= CUT_OFF) {
                return page;
            }
            return new BackupPage(page.backups(), "loop");
        }
    }
}
