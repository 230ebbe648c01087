package io.github.cloudhsmdr;

import java.util.Objects;

/**
 * What {@link BackupReplicator#adoptCopies} did with one copy that lacked the library's ownership tag.
 *
 * @param backupId       the copy
 * @param region         its region
 * @param sourceBackupId the source backup it is a copy of
 * @param adopted        true when the ownership and provenance tags are now on it (retention manages it from now)
 * @param failure        why it could not be tagged, or {@code null}
 */
public record AdoptionOutcome(String backupId, String region, String sourceBackupId, boolean adopted,
        Failure failure) {

    public AdoptionOutcome {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(region, "region");
    }
}
