package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;

/** The engine behind {@link BackupReplicator}. */
public final class DefaultBackupReplicator implements BackupReplicator {
    private final ReplicatorConfig config;

    public DefaultBackupReplicator(ReplicatorConfig config) {
        this.config = config;
    }

    @Override
    public ReplicatorConfig config() {
        return config;
    }

    @Override
    public ReplicationPlan plan() {
        throw new IllegalStateException("engine under construction");
    }

    @Override
    public ReplicationReport apply(ReplicationPlan plan) {
        throw new IllegalStateException("engine under construction");
    }

    @Override
    public void close() {
        if (config.ownsBackupStore()) {
            config.backupStore().close();
        }
    }
}
