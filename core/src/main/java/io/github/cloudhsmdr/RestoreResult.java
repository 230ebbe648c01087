package io.github.cloudhsmdr;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.Cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A cluster created from a backup, with what remains to be done by hand.
 *
 * @param cluster   the new cluster (CREATE_IN_PROGRESS at first)
 * @param backup    the backup it was created from
 * @param dataAge   how old the restored data is (now minus the backup's CreateTimestamp), or {@code null}
 * @param nextSteps the manual steps that complete the recovery, in order
 */
public record RestoreResult(Cluster cluster, Backup backup, Duration dataAge, List<String> nextSteps) {

    public RestoreResult {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(backup, "backup");
        nextSteps = List.copyOf(nextSteps);
    }
}
