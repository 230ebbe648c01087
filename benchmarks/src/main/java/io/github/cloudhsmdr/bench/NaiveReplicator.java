package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;

import java.util.List;
import java.util.Map;

/**
 * The baseline: a correct replicator written the obvious way, against the same port ({@link BackupStore}), one
 * request after another. It lists the source region's READY backups, then for each backup and each destination
 * looks the copy up ({@code DescribeBackups} with {@code sourceBackupIds=[id]}) and calls
 * {@code CopyBackupToRegion} when there is no live copy. No tags, no retention, no retries, no report: every
 * shortcut is in its favour.
 */
final class NaiveReplicator {
    private final BackupStore store;
    private final String source;
    private final List<String> destinations;

    NaiveReplicator(BackupStore store, String source, List<String> destinations) {
        this.store = store;
        this.source = source;
        this.destinations = List.copyOf(destinations);
    }

    /** @return the copies started */
    long run() {
        long copied = 0;
        List<Backup> ready = store.describeBackups(source, BackupFilter.states(BackupState.READY));
        for (Backup b : ready) {
            for (String destination : destinations) {
                boolean present = store.describeBackups(destination, BackupFilter.sourceBackupIds(List.of(b.backupId())))
                        .stream().anyMatch(c -> c.state().isLive());
                if (!present) {
                    store.copyBackupToRegion(source, b.backupId(), destination, Map.of());
                    copied++;
                }
            }
        }
        return copied;
    }
}
