package io.github.cloudhsmdr;

import io.github.cloudhsmdr.spi.BackupState;

import java.util.Objects;

/**
 * The result of bringing one deleted copy back with RestoreBackup.
 *
 * @param backupId the copy
 * @param region   its region
 * @param state    its state afterwards (READY when restored), or {@code null} when unknown
 * @param failure  why it could not be restored (e.g. already removed for good), or {@code null}
 */
public record UndoOutcome(String backupId, String region, BackupState state, Failure failure) {

    public UndoOutcome {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(region, "region");
    }

    /** @return true when the copy was restored. */
    public boolean restored() {
        return failure == null;
    }
}
