package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.DemoData;

import java.time.Clock;
import java.util.List;

/**
 * A started CloudHSM emulator holding {@link DemoData} in us-east-1: two clusters, a backup a day for two weeks.
 * On a virtual clock for tests that drive time, or on the system clock for tests of programs that use it.
 */
public final class DemoEmulator implements AutoCloseable {
    public static final String SOURCE = "us-east-1";
    /** The virtual clock's start: the newest demo backups are 23 h and 22 h old. */
    public static final String START = "2026-11-28T02:00:00Z";

    private final Clock clock;
    private final CloudHsmEmulator emulator;
    private final List<Cluster> clusters;

    private DemoEmulator(Clock clock) {
        this.clock = clock;
        this.emulator = CloudHsmEmulator.builder().clock(clock).seed(7L).build();
        this.clusters = DemoData.seed(emulator.model(), SOURCE);
        emulator.start();
    }

    /** @return an emulator on a {@link MutableClock} standing at {@link #START}. */
    public static DemoEmulator onVirtualClock() {
        return new DemoEmulator(MutableClock.at(START));
    }

    /** @return an emulator on the system clock. */
    public static DemoEmulator onSystemClock() {
        return new DemoEmulator(Clock.systemUTC());
    }

    public MutableClock clock() {
        return (MutableClock) clock;
    }

    public CloudHsmEmulator emulator() {
        return emulator;
    }

    public String endpoint() {
        return emulator.endpoint().toString();
    }

    public String cluster(int i) {
        return clusters.get(i).clusterId();
    }

    /** @return the copies in {@code region} (backups with a source backup), in any state. */
    public List<Backup> copiesIn(String region) {
        return emulator.model().backupsIn(region).stream().filter(b -> b.sourceBackup() != null).toList();
    }

    /** @return how many copies in {@code region} are READY. */
    public long readyCopiesIn(String region) {
        return copiesIn(region).stream().filter(b -> b.state() == BackupState.READY).count();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
