package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;

/**
 * The world an engine test starts from: a model of CloudHSM (seed 11) on a virtual clock at 2026-11-01T12:00Z, the
 * in-memory store over it and one cluster in the source region.
 */
abstract class ModelFixture {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final String EU = "eu-west-1";

    MutableClock clock;
    CloudHsmModel model;
    InMemoryBackupStore store;
    String cluster;

    @BeforeEach
    void setUpModel() {
        clock = MutableClock.at("2026-11-01T12:00:00Z");
        model = new CloudHsmModel(clock, 11L);
        store = new InMemoryBackupStore(model);
        cluster = model.addCluster(SOURCE).clusterId();
    }

    /** @return replicator "dr" from the source region to us-west-2, sleeping on the virtual clock */
    ReplicatorBuilder replicatorToWest() {
        return BackupReplicator.builder().name("dr").sourceRegion(SOURCE).destinationRegions(WEST)
                .backupStore(store).clock(clock).sleeper(clock::advance);
    }
}
