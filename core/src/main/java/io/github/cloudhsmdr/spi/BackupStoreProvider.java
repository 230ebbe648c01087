package io.github.cloudhsmdr.spi;

/**
 * Makes the {@link BackupStore} a replicator uses when none is given to its builder. Found with
 * {@link java.util.ServiceLoader}: the {@code cloudhsm-dr-aws} module registers one that makes an AWS SDK
 * store with the default credentials. Core names no adapter; exactly one provider may be on the classpath.
 * Implementations are thread-safe and have a public no-argument constructor.
 */
public interface BackupStoreProvider {

    /** @return a new store, owned (and closed) by the replicator that asked for it */
    BackupStore create();
}
