package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultBackupStoreTest {

    @Test
    void withoutAStoreTheReplicatorCreatesAnAwsStoreAndClosesIt() {
        BackupReplicator replicator = BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions("us-west-2").build();
        ReplicatorConfig config = replicator.config();
        AwsBackupStore store = assertInstanceOf(AwsBackupStore.class, config.backupStore());
        assertTrue(config.ownsBackupStore());

        replicator.close();

        assertThrows(IllegalStateException.class, () -> store.listTags("us-east-1", "backup-abcdefghijk"));
    }

    @Test
    void aConfigRebuiltFromAnOwnedStoreGetsItsOwnStore() {
        ReplicatorConfig first = BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions("us-west-2").buildConfig();

        ReplicatorConfig second = first.toBuilder().buildConfig();

        assertTrue(second.ownsBackupStore());
        assertNotSame(first.backupStore(), second.backupStore());
        first.backupStore().close();
        second.backupStore().close();
    }

    @Test
    void aStoreHandedInIsKeptAndNotOwned() {
        BackupStore given = AwsBackupStore.builder().clients(Map.of()).build();

        ReplicatorConfig config = BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions("us-west-2").backupStore(given).buildConfig();

        assertSame(given, config.backupStore());
        assertFalse(config.ownsBackupStore());
        assertSame(given, config.toBuilder().buildConfig().backupStore());
    }
}
