package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The invariants a replicator with retention must keep whatever the service does, checked against the model's
 * truth (every backup as stored, listed or not) and against the runs' reports.
 *
 * <p>Words used below. A copy is <em>ours</em> when it carries the ownership tag {@link CopyTags#OWNER} with the
 * replicator's name. The <em>group</em> of (cluster, destination) is our copies in the destination that were made
 * from the source region of that cluster (NeverExpires ones included): what retention evaluates. A copy is
 * <em>live</em> when READY or CREATE_IN_PROGRESS; a PENDING_DELETION copy has been deleted (it can be restored for
 * 7 days, but nobody keeps it) and is not live here.
 *
 * <ol>
 *   <li><b>One copy after clean-up.</b> After a run in which retention's clean-up of a (cluster, destination)
 *       pair completed (its inventory was read, its deletions were not deferred, every deletion succeeded), no
 *       source backup has more than one READY copy of ours left among the copies that clean-up listed, NeverExpires
 *       copies aside (the operator pinned them). Copies the service did not list yet (eventual consistency) and
 *       extras still CREATE_IN_PROGRESS (retention deletes READY copies only) are left for the next clean-up; they
 *       are covered by the steady-state form ({@link #checkSteadyState()}), asserted after every fault-free run:
 *       no (source backup, destination) pair holds more than one live copy of ours.</li>
 *   <li><b>Hands off.</b> A backup without our ownership tag, and any NeverExpires backup, is never changed (state,
 *       tags, attributes: equal to its first snapshot) and never named by a deletion.</li>
 *   <li><b>The newest READY copy stays.</b> At the moment of each deletion, the group still holds a READY copy at
 *       least as new as the deleted one (so the deleted one was not the newest READY copy), and a deletion by the
 *       rules (not of a duplicate) leaves at least {@code minReadyCopies} source backups with a READY copy. After
 *       every run, a group that ever had a READY copy still has one.</li>
 *   <li><b>Delivery.</b> Once faults stop, every eligible backup has a READY copy in every destination (ours or
 *       not): for each cluster, the newest backup of each of the {@code keepDaily} most recent days that have a
 *       backup, and the newest of each of the {@code keepWeekly} most recent ISO weeks when it lies in the selection
 *       window — the backups the policy keeps that the replicator may still copy.</li>
 *   <li><b>Deletions wait for copies.</b> A pair whose run has a failed copy, or a copy not yet listed, deletes
 *       nothing in that run.</li>
 * </ol>
 *
 * <p>Thread-safe: deletions are reported from the replicator's worker threads.
 */
final class Invariants {
    private final CloudHsmModel model;
    private final String owner;
    private final String sourceRegion;
    private final List<String> destinations;
    private final RetentionPolicy policy;
    private final Duration selectionWindow;
    private final Map<String, Backup> handsOff = new ConcurrentHashMap<>();
    private final Set<String> groupsWithReady = new HashSet<>();
    private final List<String> pending = Collections.synchronizedList(new ArrayList<>());

    Invariants(CloudHsmModel model, String owner, String sourceRegion, List<String> destinations,
            RetentionPolicy policy, Duration selectionWindow) {
        this.model = model;
        this.owner = owner;
        this.sourceRegion = sourceRegion;
        this.destinations = List.copyOf(destinations);
        this.policy = policy;
        this.selectionWindow = selectionWindow;
    }

    boolean ours(Backup b) {
        return owner.equals(b.tags().get(CopyTags.OWNER));
    }

    /** @return the cluster of the group {@code b} belongs to, or {@code null} when it is in no group. */
    String groupCluster(Backup b) {
        if (!ours(b)) {
            return null;
        }
        String from = b.sourceRegion() != null ? b.sourceRegion() : b.tags().get(CopyTags.SOURCE_REGION);
        if (!sourceRegion.equals(from)) {
            return null;
        }
        return b.sourceCluster() != null ? b.sourceCluster() : b.tags().get(CopyTags.SOURCE_CLUSTER);
    }

    private List<Backup> group(String region, String cluster) {
        return model.backupsIn(region).stream().filter(b -> cluster.equals(groupCluster(b)))
                .collect(Collectors.toList());
    }

    /**
     * Takes the first snapshot of every backup invariant 2 protects, and notes the groups that hold a READY copy.
     * Call it once before the first run and after anything the test itself changes (e.g. pinning a copy).
     *
     * @return violations of invariant 2 found on the way
     */
    synchronized List<String> observe() {
        List<String> violations = new ArrayList<>();
        for (Backup b : model.allBackups()) {
            if (!ours(b) || b.neverExpires()) {
                Backup first = handsOff.putIfAbsent(key(b.region(), b.backupId()), b);
                if (first != null && completedByTheService(first, b)) {
                    handsOff.put(key(b.region(), b.backupId()), b);
                } else if (first != null && !first.equals(b)) {
                    violations.add("invariant 2: " + describe(first) + " was changed to " + describe(b));
                }
            }
        }
        for (String region : destinations) {
            for (Backup b : model.backupsIn(region)) {
                String cluster = groupCluster(b);
                if (cluster != null && b.state() == BackupState.READY) {
                    groupsWithReady.add(key(region, cluster));
                }
            }
        }
        return violations;
    }

    /**
     * A copy that was CREATE_IN_PROGRESS when first seen and has since turned READY (or DELETED, failed inside AWS)
     * with nothing else changed: the service did that, not the replicator. (A copy whose tags were dropped and
     * that was not listed yet when its run ended is first seen this way.)
     */
    private static boolean completedByTheService(Backup first, Backup now) {
        return first.state() == BackupState.CREATE_IN_PROGRESS
                && (now.state() == BackupState.READY || now.state() == BackupState.DELETED)
                && first.withState(now.state(), now.deleteTimestamp()).equals(now);
    }

    /** Invariant 3 at the moment of a deletion; called by the replicator's listener, so it only records. */
    void copyDeleted(Deletion d) {
        if (handsOff.containsKey(key(d.region(), d.backupId()))) {
            pending.add("invariant 2: retention tried to delete " + d.backupId() + " in " + d.region()
                    + ", which is not ours or NeverExpires (" + (d.succeeded() ? "deleted" : "failed") + ")");
        }
        if (!d.succeeded()) {
            return;
        }
        Backup deleted = model.backup(d.region(), d.backupId());
        String cluster = groupCluster(deleted);
        if (cluster == null) {
            pending.add("invariant 2: retention deleted " + describe(deleted) + ", which is in no group of ours");
            return;
        }
        List<Backup> ready = group(d.region(), cluster).stream().filter(b -> b.state() == BackupState.READY)
                .collect(Collectors.toList());
        Instant newestLeft = ready.stream().map(Backup::createTimestamp).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        if (newestLeft == null || newestLeft.isBefore(deleted.createTimestamp())) {
            pending.add("invariant 3: deleted " + describe(deleted) + " (" + d.verdict() + ") was the newest READY "
                    + "copy of cluster " + cluster + " in " + d.region() + "; newest READY left: " + newestLeft);
        }
        long sourcesLeft = ready.stream().map(Backup::sourceBackup).distinct().count();
        if (d.verdict() == RetentionVerdict.DELETE && sourcesLeft < policy.minReadyCopies()) {
            pending.add("invariant 3: deleting " + describe(deleted) + " left " + sourcesLeft
                    + " source backups with a READY copy of cluster " + cluster + " in " + d.region()
                    + ", fewer than minReadyCopies " + policy.minReadyCopies());
        }
    }

    /** Checks invariants 1, 2, 3 and 5 after {@code report}'s run. */
    synchronized List<String> checkRun(ReplicationReport report) {
        List<String> violations = new ArrayList<>();
        synchronized (pending) {
            violations.addAll(pending);
            pending.clear();
        }
        for (DestinationOutcome o : report.outcomes()) {
            checkDeferral(o, violations);
            if (cleanUpCompleted(o)) {
                checkOneCopyAfterCleanUp(o, violations);
            }
            for (Deletion d : o.deletions()) {
                if (d.succeeded() && model.backup(d.region(), d.backupId()).state() != BackupState.PENDING_DELETION) {
                    violations.add("deletion of " + d.backupId() + " in " + d.region() + " reported, but it is "
                            + model.backup(d.region(), d.backupId()).state());
                }
            }
        }
        violations.addAll(observe());
        for (String region : destinations) {
            Map<String, List<Backup>> groups = model.backupsIn(region).stream().filter(b -> groupCluster(b) != null)
                    .collect(Collectors.groupingBy(this::groupCluster));
            for (String g : groupsWithReady) {
                if (!g.startsWith(region + "/")) {
                    continue;
                }
                String cluster = g.substring(region.length() + 1);
                boolean anyReady = groups.getOrDefault(cluster, List.of()).stream()
                        .anyMatch(b -> b.state() == BackupState.READY);
                if (!anyReady) {
                    violations.add("invariant 3: cluster " + cluster + " had a READY copy in " + region
                            + " and has none now");
                }
            }
        }
        return violations;
    }

    /** @return true when retention listed the pair's region, did not defer, and every deletion succeeded. */
    static boolean cleanUpCompleted(DestinationOutcome o) {
        return o.failure() == null && o.retentionNote().isEmpty() && o.deletions().stream().allMatch(Deletion::succeeded);
    }

    private void checkDeferral(DestinationOutcome o, List<String> violations) {
        boolean notInPlace = o.copies().stream().anyMatch(c -> c.failed()
                || (c.action() == CopyAction.COPIED && c.destinationBackupId() == null));
        if (notInPlace && !o.deletions().isEmpty()) {
            violations.add("invariant 5: " + o.clusterId() + " -> " + o.destinationRegion() + " deleted "
                    + o.deletions().stream().map(Deletion::backupId).toList() + " although copies were not in place: "
                    + o.copies().stream().filter(c -> c.failed() || c.destinationBackupId() == null)
                    .map(CopyOutcome::sourceBackupId).toList());
        }
    }

    private void checkOneCopyAfterCleanUp(DestinationOutcome o, List<String> violations) {
        Map<String, List<String>> keptReady = new TreeMap<>();
        for (RetentionDecision d : o.retention()) {
            if (d.state() != BackupState.READY || d.verdict().deletes() || d.sourceBackupId() == null) {
                continue;
            }
            Backup now = model.backup(o.destinationRegion(), d.backupId());
            if (!ours(now) || now.neverExpires() || now.state() != BackupState.READY) {
                continue;
            }
            keptReady.computeIfAbsent(d.sourceBackupId(), k -> new ArrayList<>()).add(d.backupId());
        }
        keptReady.forEach((source, copies) -> {
            if (copies.size() > 1) {
                violations.add("invariant 1: after clean-up of " + o.clusterId() + " in " + o.destinationRegion()
                        + ", source backup " + source + " still has " + copies.size() + " READY copies: " + copies);
            }
        });
    }

    /**
     * Invariant 1 in its steady-state form, on the model's truth: no (source backup, destination) pair holds more
     * than one live (READY or CREATE_IN_PROGRESS) copy of ours. Holds after a fault-free run.
     */
    synchronized List<String> checkSteadyState() {
        List<String> violations = new ArrayList<>();
        for (String region : destinations) {
            Map<String, List<String>> live = new TreeMap<>();
            for (Backup b : model.backupsIn(region)) {
                if (groupCluster(b) != null && b.sourceBackup() != null
                        && (b.state() == BackupState.READY || b.state() == BackupState.CREATE_IN_PROGRESS)) {
                    live.computeIfAbsent(b.sourceBackup(), k -> new ArrayList<>()).add(b.backupId() + " " + b.state());
                }
            }
            live.forEach((source, copies) -> {
                if (copies.size() > 1) {
                    violations.add("invariant 1: source backup " + source + " has " + copies.size()
                            + " live copies in " + region + ": " + copies);
                }
            });
        }
        return violations;
    }

    /**
     * The backups invariant 4 expects in every destination, per cluster, for a run that planned at {@code at}.
     *
     * @return source backup id to its cluster, in the order found
     */
    Map<String, String> eligible(Instant at) {
        Instant from = at.minus(selectionWindow);
        Map<String, List<Backup>> byCluster = model.backupsIn(sourceRegion).stream()
                .filter(b -> b.state() == BackupState.READY && !b.isCopy() && b.createTimestamp() != null)
                .filter(b -> !b.createTimestamp().isAfter(at))
                .collect(Collectors.groupingBy(Backup::clusterId, TreeMap::new, Collectors.toList()));
        Map<String, String> eligible = new LinkedHashMap<>();
        byCluster.forEach((cluster, backups) -> {
            backups.sort(Comparator.comparing(Backup::createTimestamp).reversed());
            Map<LocalDate, Backup> newestOfDay = new LinkedHashMap<>();
            Map<String, Backup> newestOfWeek = new LinkedHashMap<>();
            for (Backup b : backups) {
                LocalDate day = b.createTimestamp().atZone(policy.zone()).toLocalDate();
                newestOfDay.putIfAbsent(day, b);
                String week = day.get(IsoFields.WEEK_BASED_YEAR) + "-W" + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                newestOfWeek.putIfAbsent(week, b);
            }
            newestOfDay.values().stream().limit(policy.keepDaily())
                    .filter(b -> !b.createTimestamp().isBefore(from))
                    .forEach(b -> eligible.put(b.backupId(), cluster));
            newestOfWeek.values().stream().limit(policy.keepWeekly())
                    .filter(b -> !b.createTimestamp().isBefore(from))
                    .forEach(b -> eligible.put(b.backupId(), cluster));
        });
        return eligible;
    }

    /**
     * Invariant 4: every backup {@link #eligible(Instant)} for a run that planned at {@code at} has a READY copy
     * in every destination.
     *
     * @return one line per missing (backup, destination)
     */
    synchronized List<String> checkEligibleReached(Instant at) {
        List<String> missing = new ArrayList<>();
        Map<String, String> eligible = eligible(at);
        for (String region : destinations) {
            Set<String> ready = model.backupsIn(region).stream().filter(b -> b.state() == BackupState.READY)
                    .map(Backup::sourceBackup).filter(Objects::nonNull).collect(Collectors.toSet());
            eligible.forEach((id, cluster) -> {
                if (!ready.contains(id)) {
                    Backup source = model.backup(sourceRegion, id);
                    missing.add("invariant 4: " + id + " of cluster " + cluster + " (created "
                            + source.createTimestamp() + ") has no READY copy in " + region + "; copies there: "
                            + model.backupsIn(region).stream().filter(b -> id.equals(b.sourceBackup()))
                            .map(b -> b.backupId() + " " + b.state()).toList());
                }
            });
        }
        return missing;
    }

    private static String key(String region, String id) {
        return region + "/" + id;
    }

    static String describe(Backup b) {
        return b.backupId() + " [" + b.region() + " " + b.state() + (b.neverExpires() ? " NeverExpires" : "")
                + " created " + b.createTimestamp() + " source " + b.sourceBackup() + " owner "
                + b.tags().get(CopyTags.OWNER) + "]";
    }
}
