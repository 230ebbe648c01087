package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The one answer to "which copy of backup X is in region R" and to "which backup is the newest", used by the
 * planner, the apply run, the wait for READY, the recovery points and the restorer. Thread-safe; no instances.
 */
public final class CopyLookup {
    /** Oldest first by CreateTimestamp (unknown first), then by backup id: {@code max} is the newest. */
    public static final Comparator<Backup> BY_CREATED = Comparator.comparing(Backup::createTimestamp,
            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Backup::backupId);
    /** Newest first by CreateTimestamp (unknown last). */
    public static final Comparator<Backup> NEWEST_FIRST = BY_CREATED.reversed();

    /**
     * The copy that stands for a source backup in a region, best first: READY, then CREATE_IN_PROGRESS, then
     * PENDING_DELETION, then a state this library does not know, then DELETED; within a state the latest
     * CopyTimestamp, then the highest backup id.
     */
    private static final Comparator<Backup> BEST_FIRST = Comparator
            .comparing((Backup b) -> rank(b.state()))
            .thenComparing(Backup::copyTimestamp, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Backup::backupId, Comparator.reverseOrder());

    private CopyLookup() {
    }

    private static int rank(BackupState state) {
        switch (state) {
            case READY:
                return 0;
            case CREATE_IN_PROGRESS:
                return 1;
            case PENDING_DELETION:
                return 2;
            case DELETED:
                return 4;
            default:
                return 3;
        }
    }

    /**
     * @param backups a region's listing
     * @return the copies in it grouped by the backup they were made from (SourceBackup, else the provenance tag);
     *         backups that are not copies are left out
     */
    public static Map<String, List<Backup>> bySource(Collection<Backup> backups) {
        return backups.stream().filter(b -> b.originBackup() != null)
                .collect(Collectors.groupingBy(Backup::originBackup, LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * @param copies the copies of one source backup in one region
     * @return the copy that stands for it there (see the order above), or empty when there is none
     */
    public static Optional<Backup> best(Collection<Backup> copies) {
        return copies.stream().min(BEST_FIRST);
    }

    /**
     * @param backups a region's listing
     * @return for each source backup with a copy in the listing, the copy that stands for it
     */
    public static Map<String, Backup> bestBySource(Collection<Backup> backups) {
        Map<String, Backup> best = new LinkedHashMap<>();
        bySource(backups).forEach((source, copies) -> best.put(source, best(copies).orElseThrow()));
        return best;
    }

    /**
     * @param backups backups of any region and state
     * @param filter  which of them count
     * @return the newest READY backup that passes {@code filter}
     */
    public static Optional<Backup> newestReady(Collection<Backup> backups, Predicate<Backup> filter) {
        return backups.stream().filter(b -> b.state() == BackupState.READY).filter(filter).max(BY_CREATED);
    }
}
