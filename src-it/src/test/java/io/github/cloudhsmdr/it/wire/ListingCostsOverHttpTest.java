package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.cloudhsmdr.it.wire.WireFixture.COPY;
import static io.github.cloudhsmdr.it.wire.WireFixture.DESCRIBE_BACKUPS;
import static io.github.cloudhsmdr.it.wire.WireFixture.DESCRIBE_CLUSTERS;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many requests a run makes over the wire (pages of 50 backups, filters of 20 ids): the source's READY backups
 * in one listing for all clusters, each destination read the cheaper way, the new copies found the same way.
 */
class ListingCostsOverHttpTest {
    WireFixture fx;
    AwsBackupStore store;
    List<String> clusters = new ArrayList<>();
    List<Backup> sources = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new WireFixture(20261201L);
        store = fx.newStore();
        clusters.add(fx.model().addCluster(SOURCE).clusterId());
        clusters.add(fx.model().addCluster(SOURCE).clusterId());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void backups(int perCluster) {
        for (String c : clusters) {
            for (int i = 0; i < perCluster; i++) {
                sources.add(fx.backup(c, Duration.ofHours(i + 1L)));
            }
        }
    }

    @Test
    void aFirstRunListsTheEmptyDestinationOnceAndFindsItsNewCopiesInAWholeListing() {
        backups(60);
        try (BackupReplicator r = fx.replicator(store, WEST).build()) {
            ReplicationReport first = r.replicate();
            assertEquals(120, first.copied(), first.summary());
            fx.figures("first run, 120 copies");
        }
        assertEquals(120, fx.count(COPY, SOURCE));
        // the source: one listing of the READY backups of both clusters (120 = 3 pages) and DescribeClusters
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, SOURCE));
        assertEquals(1, fx.count(DESCRIBE_CLUSTERS, SOURCE));
        // the destination: empty (1 page); the 120 new copies: 3 pages listed whole, where a lookup by
        // sourceBackupIds would take 6 requests; no look-up again before copying
        assertEquals(1 + 3, fx.count(DESCRIBE_BACKUPS, WEST));
    }

    @Test
    void aRunWithNothingToDoListsEachDestinationWholeWhenItHoldsAboutWhatIsLookedFor() {
        backups(60);
        try (BackupReplicator r = fx.replicator(store, WEST).build()) {
            r.replicate();
            fx.requests().clear();
            assertEquals(0, r.replicate().copied());
        }
        // 120 candidates: 3 pages of the destination instead of 6 lookups of 20 ids
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, WEST));
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, SOURCE));
        assertEquals(0, fx.count(COPY, SOURCE));

        // a new replicator (a one-shot CLI run) knows nothing of the destination and gets there the same way
        fx.requests().clear();
        try (BackupReplicator r = fx.replicator(store, WEST).build()) {
            assertEquals(0, r.replicate().copied());
        }
        assertEquals(3, fx.count(DESCRIBE_BACKUPS, WEST));
    }

    @Test
    void aDestinationFullOfOtherBackupsIsAskedOnlyForTheCandidatesCopies() {
        backups(2);
        // the destination's own clusters hold 400 backups: listing it whole takes 8 pages
        String local = fx.model().addCluster(WEST).clusterId();
        for (int i = 0; i < 400; i++) {
            fx.model().addBackup(WEST, local, fx.clock.instant().minus(Duration.ofHours(i + 1L)));
        }
        // one call per region at a time and one destination: the calls come in a fixed order, so the counts are
        // exact (the source is read before the destination's listing has to decide)
        try (BackupReplicator r = fx.replicator(store, WEST).selection(Selection.latest())
                .maxConcurrentDestinations(1).maxConcurrentCallsPerRegion(1).build()) {
            assertEquals(2, r.replicate().copied());
            // without knowing the destination, the whole listing gives way after one page to the lookup of the 2
            // candidates (1 request): never more than twice the cheaper way; then 1 lookup for the new copies
            assertEquals(1 + 1 + 1, fx.count(DESCRIBE_BACKUPS, WEST));

            fx.requests().clear();
            assertEquals(0, r.replicate().copied());
            // now the replicator knows the destination is large: the lookup alone
            assertEquals(1, fx.count(DESCRIBE_BACKUPS, WEST));
        }
    }

    @Test
    void applyLooksTheCopiesUpAgainWhenThePlanWaited() {
        backups(2);
        try (BackupReplicator r = fx.replicator(store, WEST).build()) {
            ReplicationPlan plan = r.plan();
            assertEquals(4, plan.copyCount());
            // the plan waits an hour for approval; meanwhile a person copies one of the backups by hand
            fx.clock.advance(Duration.ofHours(1));
            Backup byHand = sources.get(0);
            fx.model().copyBackupToRegion(SOURCE, byHand.backupId(), WEST, Map.of());
            fx.requests().clear();

            ReplicationReport report = r.apply(plan);
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(3, report.copied(), report.describe());
            CopyOutcome o = report.copies().filter(c -> c.sourceBackupId().equals(byHand.backupId()))
                    .findFirst().orElseThrow();
            assertEquals(CopyAction.IN_PROGRESS, o.action());
            assertTrue(o.detail().contains("just before copying; not copied again"), o.detail());
            assertEquals(1, fx.liveCopies(byHand.backupId(), WEST).size(), "copied once, by hand");
        }
        assertEquals(3, fx.count(COPY, SOURCE));
    }
}
