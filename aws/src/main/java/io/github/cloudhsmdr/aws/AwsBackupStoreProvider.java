package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.BackupStoreProvider;

/**
 * Registered with {@link java.util.ServiceLoader}, so a replicator built without a store talks to AWS with
 * {@link AwsBackupStore#create()}: default credentials, one client per region, no SDK retries. Core finds it
 * without importing this module; adding {@code cloudhsm-dr-aws} to the classpath is all it takes. Thread-safe.
 */
public final class AwsBackupStoreProvider implements BackupStoreProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public AwsBackupStoreProvider() {
    }

    @Override
    public BackupStore create() {
        return AwsBackupStore.create();
    }
}
