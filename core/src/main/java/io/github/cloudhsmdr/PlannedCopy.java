package io.github.cloudhsmdr;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One source backup's fate in one destination region, as planned.
 *
 * @param sourceBackupId  the source backup
 * @param createTimestamp the source backup's creation time, or {@code null} when the service did not say
 * @param action          what will be done
 * @param reason          why, in words
 * @param existingCopyId  id of the copy already in the destination, or {@code null}
 * @param sourceTags      the source backup's tags (carried over to the copy when so configured)
 */
public record PlannedCopy(
        String sourceBackupId,
        Instant createTimestamp,
        PlannedAction action,
        String reason,
        String existingCopyId,
        Map<String, String> sourceTags) {

    public PlannedCopy {
        Objects.requireNonNull(sourceBackupId, "sourceBackupId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        sourceTags = sourceTags == null ? Map.of() : Map.copyOf(sourceTags);
    }

    /** @return true when applying the plan calls CopyBackupToRegion for this item. */
    public boolean copies() {
        return action == PlannedAction.COPY || action == PlannedAction.RECOPY;
    }
}
