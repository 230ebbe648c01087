package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

/** The choice between a whole listing and a filtered lookup, on a store with AWS's page and filter sizes. */
class ListingsTest {
    private final Listings listings = new Listings(awsLike(), 8);

    private static BackupStore awsLike() {
        BackupStore store = Mockito.mock(BackupStore.class);
        when(store.maxBackupsPerPage()).thenReturn(50);
        when(store.maxFilterIdsPerRequest()).thenReturn(20);
        return store;
    }

    @Test
    void costsCountCalls() {
        assertEquals(1, listings.wholeCost(0), "an empty region is one call");
        assertEquals(1, listings.wholeCost(50));
        assertEquals(2, listings.wholeCost(51));
        assertEquals(80, listings.wholeCost(4000));
        assertEquals(0, listings.filteredCost(0), "nothing to look for costs nothing");
        assertEquals(1, listings.filteredCost(20));
        assertEquals(200, listings.filteredCost(4000));
    }

    @Test
    void withoutAnythingKnownTheWholeListingStartsAndGoesOnWhileTheSourceIsRead() {
        assertTrue(listings.keepListing("us-west-2", 0, -1));
        assertTrue(listings.keepListing("us-west-2", 40, -1));
    }

    @Test
    void withoutAKnownSizeTheListingGivesWayOnceItCostAsMuchAsTheLookup() {
        // 100 candidates: the lookup costs 5 calls
        assertTrue(listings.keepListing("us-west-2", 4, 100));
        assertFalse(listings.keepListing("us-west-2", 5, 100));
        assertFalse(listings.keepListing("us-west-2", 1, 0), "no candidates: nothing to read");
    }

    @Test
    void aKnownSizeDecidesUpFront() {
        listings.listedWhole("eu-west-1", 4000);
        // 4,000 candidates: 80 pages beat 200 lookups; 100 candidates: 5 lookups beat 80 pages
        assertTrue(listings.keepListing("eu-west-1", 0, 4000));
        assertFalse(listings.keepListing("eu-west-1", 0, 100));
        // part-way, the pages left are weighed against the lookup
        assertTrue(listings.keepListing("eu-west-1", 76, 100));
        assertFalse(listings.keepListing("eu-west-1", 70, 100));
    }

    @Test
    void theLastPlansCandidatesPredictWhetherToStartBeforeTheSourceIsRead() {
        listings.listedWhole("eu-west-1", 1460);
        listings.candidates(4);
        assertFalse(listings.keepListing("eu-west-1", 0, -1), "30 pages for what 1 lookup answers: wait");
        listings.candidates(600);
        assertTrue(listings.keepListing("eu-west-1", 0, -1));
    }

    @Test
    void aListingGivenUpLeavesALowerBound() {
        listings.gaveUp("ap-southeast-2", 5);
        assertEquals(251, listings.knownSize("ap-southeast-2").getAsLong());
        listings.gaveUp("ap-southeast-2", 2);
        assertEquals(251, listings.knownSize("ap-southeast-2").getAsLong(), "a bound never shrinks");
    }

    @Test
    void aStoreThatAnswersInOnePageMakesEveryListingOneCall() {
        Listings oneCall = new Listings(new BackupStore() {
            @Override
            public java.util.List<Backup> describeBackups(String region, BackupFilter filter) {
                return java.util.List.of();
            }

            @Override
            public io.github.cloudhsmdr.spi.CopyResult copyBackupToRegion(String s, String b, String d,
                    java.util.Map<String, String> t) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Backup deleteBackup(String region, String backupId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Backup restoreBackup(String region, String backupId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void tagResource(String region, String resourceId, java.util.Map<String, String> tags) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.List<io.github.cloudhsmdr.spi.Cluster> describeClusters(String region,
                    java.util.Set<String> clusterIds) {
                return java.util.List.of();
            }

            @Override
            public io.github.cloudhsmdr.spi.Cluster createCluster(io.github.cloudhsmdr.spi.CreateClusterRequest r) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.github.cloudhsmdr.spi.Hsm createHsm(String region, String clusterId, String az) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deleteHsm(String region, String clusterId, String hsmId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.github.cloudhsmdr.spi.Cluster deleteCluster(String region, String clusterId) {
                throw new UnsupportedOperationException();
            }
        }, 8);
        assertEquals(1, oneCall.wholeCost(1_000_000));
        assertEquals(1, oneCall.filteredCost(1_000_000));
    }
}
