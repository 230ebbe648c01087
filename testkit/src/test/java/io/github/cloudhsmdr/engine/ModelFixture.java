package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;

/**
 * The world an engine test starts from: a model of CloudHSM (seed 11, unless a test overrides {@link #modelSeed()})
 * on a virtual clock at 2026-11-01T12:00Z (or {@link #startsAt()}), the in-memory store over it and one cluster in
 * the source region.
 */
abstract class ModelFixture {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";
    static final String EU = "eu-west-1";

    MutableClock clock;
    CloudHsmModel model;
    InMemoryBackupStore store;
    String cluster;

    /** @return the seed of the model's ids */
    long modelSeed() {
        return 11L;
    }

    /** @return the virtual clock's start */
    String startsAt() {
        return "2026-11-01T12:00:00Z";
    }

    @BeforeEach
    void setUpModel() {
        clock = MutableClock.at(startsAt());
        model = new CloudHsmModel(clock, modelSeed());
        store = new InMemoryBackupStore(model);
        cluster = model.addCluster(SOURCE).clusterId();
    }

    /** @return replicator "dr" from the source region to us-west-2, sleeping on the virtual clock */
    ReplicatorBuilder replicatorToWest() {
        return BackupReplicator.builder().name("dr").sourceRegion(SOURCE).destinationRegions(WEST)
                .backupStore(store).clock(clock).sleeper(clock::advance);
    }
}
