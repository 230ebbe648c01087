package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.spi.BackupStoreProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultBackupStoreTest {

    @Test
    void theAwsModuleRegistersTheOneDefaultStoreProvider() {
        List<BackupStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackupStoreProvider.class).forEach(providers::add);

        assertEquals(1, providers.size(), providers.toString());
        AwsBackupStore store = assertInstanceOf(AwsBackupStore.class, providers.get(0).create());
        store.close();
        assertThrows(IllegalStateException.class, () -> store.tagResource("us-east-1", "backup-abcdefghijk", Map.of("k", "v")));
    }

    @Test
    void withoutAStoreTheReplicatorBuildsWithTheAwsStore() {
        try (BackupReplicator replicator = BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions("us-west-2").build()) {
            assertEquals("default", replicator.name());
        }
    }

    /** Core reads a region's partition off its id; the SDK's metadata is the reference. */
    @Test
    void coreAcceptsEveryRegionTheSdkKnowsWithItsPartition() {
        int checked = 0;
        for (Region r : Region.regions()) {
            RegionMetadata md = RegionMetadata.of(r);
            if (r.isGlobalRegion() || md == null || md.partition() == null) {
                continue;
            }
            String partition = md.partition().id();
            Region sibling = Region.regions().stream()
                    .filter(o -> !o.isGlobalRegion() && !o.equals(r) && RegionMetadata.of(o) != null
                            && RegionMetadata.of(o).partition() != null
                            && RegionMetadata.of(o).partition().id().equals(partition))
                    .findFirst().orElse(null);
            if (sibling == null) {
                continue;
            }
            BackupReplicator.builder().sourceRegion(r.id()).destinationRegions(sibling.id()).buildConfig();
            Region other = Region.regions().stream()
                    .filter(o -> !o.isGlobalRegion() && RegionMetadata.of(o) != null
                            && RegionMetadata.of(o).partition() != null
                            && !RegionMetadata.of(o).partition().id().equals(partition))
                    .findFirst().orElseThrow();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupReplicator.builder()
                    .sourceRegion(r.id()).destinationRegions(other.id()).buildConfig());
            assertTrue(e.getMessage().contains("partition " + RegionMetadata.of(other).partition().id()),
                    e.getMessage());
            checked++;
        }
        assertTrue(checked > 20, "regions checked: " + checked);
    }
}
