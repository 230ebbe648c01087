package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.spi.Backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a backup's time and provenance can be believed. A backup whose CreateTimestamp lies more than
 * {@link #CLOCK_SKEW_ALLOWANCE} after the reader's clock, or whose provenance tags ({@link CopyTags#SOURCE_CLUSTER},
 * {@link CopyTags#SOURCE_REGION}) contradict what the service itself says (SourceCluster — or, when the service
 * leaves it out, ClusterId —, SourceRegion), is never chosen automatically: retention protects it, the recovery
 * point and the restorer look past it. (A source-backup tag that differs from SourceBackup is left to the
 * duplicate handling: both name the same cluster's backups.) Pure and thread-safe.
 */
public final class CopySanity {
    /**
     * How far a CreateTimestamp may lie after the reader's clock and still be believed: 15 minutes, for clocks
     * that disagree. Beyond it the backup is "in the future" and never counts as the newest.
     */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(15);

    private CopySanity() {
    }

    /** @return why {@code b} is dated in the future at {@code now}, or {@code null} when it is not. */
    public static String futureReason(Backup b, Instant now) {
        Instant latest = now.plus(CLOCK_SKEW_ALLOWANCE);
        if (b.createTimestamp() == null || !b.createTimestamp().isAfter(latest)) {
            return null;
        }
        return "CreateTimestamp " + b.createTimestamp() + " is in the future: later than " + latest + " (now "
                + now + " plus the clock-skew allowance of " + Bounds.readable(CLOCK_SKEW_ALLOWANCE) + ")";
    }

    /**
     * @return why the provenance tags of {@code b} contradict the service's own fields, or {@code null} when they do
     *         not (a tag or a field that is absent contradicts nothing)
     */
    public static String provenanceConflict(Backup b) {
        String serviceCluster = b.sourceCluster() != null ? b.sourceCluster() : b.clusterId();
        String field = b.sourceCluster() != null ? "SourceCluster" : "ClusterId";
        String conflict = conflict(b, CopyTags.SOURCE_CLUSTER, field, serviceCluster);
        if (conflict == null) {
            conflict = conflict(b, CopyTags.SOURCE_REGION, "SourceRegion", b.sourceRegion());
        }
        return conflict;
    }

    private static String conflict(Backup b, String tag, String field, String value) {
        String tagged = b.tags().get(tag);
        if (tagged == null || value == null || tagged.equals(value)) {
            return null;
        }
        return "provenance tag " + tag + "=" + tagged + " contradicts the service's " + field + " " + value;
    }

    /** @return why not to believe {@code b} at {@code now} (in the future, contradictory provenance), or none. */
    public static List<String> distrust(Backup b, Instant now) {
        List<String> reasons = new ArrayList<>(2);
        String future = futureReason(b, now);
        if (future != null) {
            reasons.add(future);
        }
        String conflict = provenanceConflict(b);
        if (conflict != null) {
            reasons.add(conflict);
        }
        return reasons;
    }

    /** @return true when {@code b} may be chosen automatically at {@code now}: not in the future, no conflict. */
    public static boolean believable(Backup b, Instant now) {
        return futureReason(b, now) == null && provenanceConflict(b) == null;
    }

    /**
     * Checks a backup named explicitly for a restore of {@code clusterId}: the service's fields and the provenance
     * tags must both name that cluster, where present.
     *
     * @throws IllegalArgumentException naming the backup and the clusters when its provenance is another cluster or
     *                                  contradicts itself
     */
    public static void requireProvenance(Backup b, String clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        String serviceCluster = b.isCopy() ? b.sourceCluster() != null ? b.sourceCluster() : b.clusterId()
                : b.clusterId();
        String taggedCluster = b.tags().get(CopyTags.SOURCE_CLUSTER);
        String conflict = provenanceConflict(b);
        if (conflict != null) {
            throw new IllegalArgumentException("backup " + b.backupId() + " in " + b.region() + " cannot be restored "
                    + "as cluster " + clusterId + ": its " + conflict + "; check it by hand");
        }
        String named = serviceCluster != null ? serviceCluster : taggedCluster;
        if (named != null && !named.equals(clusterId)) {
            throw new IllegalArgumentException("backup " + b.backupId() + " in " + b.region() + " is a backup of "
                    + "cluster " + named + ", not of " + clusterId + ": restore it as " + named
                    + " or name a backup of " + clusterId);
        }
    }
}
