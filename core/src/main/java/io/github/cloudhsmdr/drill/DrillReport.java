package io.github.cloudhsmdr.drill;

import io.github.cloudhsmdr.spi.Backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one restore drill: the backup used and its age (the recovery point at drill time), the time of
 * each phase, the recovery time against the objective, each check, the teardown, and the verdict. A value made of
 * records, strings, instants and durations, so any JSON library serializes it as it is.
 *
 * @param drillId         the drill's id (the value of its {@link RestoreDrill#DRILL_ID_TAG} tag)
 * @param name            the drill's name (the value of its {@link RestoreDrill#DRILL_TAG} tag)
 * @param sourceClusterId the cluster whose backups were restored
 * @param sourceRegion    the source cluster's region, or {@code null} when not configured
 * @param region          the DR region the drill restored in
 * @param withHsm         whether an HSM was part of the drill
 * @param startedAt       start of the drill
 * @param finishedAt      end of the drill (after the teardown)
 * @param backup          the backup restored, or {@code null} when none was found
 * @param backupAge       age of the backup's data at drill time (now − CreateTimestamp), or {@code null}
 * @param clusterId       the restored cluster, or {@code null} when none was created
 * @param hsmId           the HSM created, or {@code null}
 * @param timeline        when each phase ended
 * @param rto             the recovery time measured: request to HSM ACTIVE with an HSM, else to the restored state;
 *                        {@code null} when the drill did not get there
 * @param rtoObjective    the objective
 * @param rtoIncludesHsm  true when {@code rto} includes an HSM (the full recovery time); false: a lower bound
 * @param checks          each check and its result
 * @param teardown        the teardown of the drill's own cluster, or {@code null} when none was created
 * @param leftovers       leftovers of earlier drills found and torn down first
 * @param status          PASS or FAIL
 * @param problems        why the drill failed, in order; empty when it passed
 */
public record DrillReport(String drillId, String name, String sourceClusterId, String sourceRegion, String region,
        boolean withHsm, Instant startedAt, Instant finishedAt, Backup backup, Duration backupAge, String clusterId,
        String hsmId, DrillTimeline timeline, Duration rto, Duration rtoObjective, boolean rtoIncludesHsm,
        List<DrillCheck> checks, Teardown teardown, List<Teardown> leftovers, DrillStatus status,
        List<String> problems) {

    public DrillReport {
        Objects.requireNonNull(drillId, "drillId");
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        leftovers = List.copyOf(leftovers);
        problems = List.copyOf(problems);
    }

    /** @return the result of check {@code name}, if the drill made it */
    public Optional<DrillCheck> check(DrillCheck.Name name) {
        return checks.stream().filter(c -> c.name() == name).findFirst();
    }

    /** @return how long the drill took, start to end */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** @return one line for the log: verdict, backup, RTO */
    public String summary() {
        return "restore drill " + drillId + " " + status + ": " + sourceClusterId + " in " + region
                + (backup == null ? ", no backup" : " from " + backup.backupId() + " (data age " + fmt(backupAge) + ")")
                + ", RTO " + fmt(rto) + (rtoIncludesHsm ? "" : " (no HSM: lower bound)") + " vs objective "
                + fmt(rtoObjective) + (problems.isEmpty() ? "" : "; " + problems.get(0));
    }

    /** @return the full text report */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Restore drill ").append(drillId).append(" (").append(name).append("): ").append(status).append('\n');
        sb.append("  source cluster  ").append(sourceClusterId)
                .append(sourceRegion == null ? "" : " in " + sourceRegion).append('\n');
        sb.append("  DR region       ").append(region).append(withHsm ? ", with one HSM" : ", without HSM").append('\n');
        if (backup != null) {
            sb.append("  backup          ").append(backup.backupId()).append(" created ").append(backup.createTimestamp())
                    .append(", data age ").append(fmt(backupAge)).append(" (the recovery point at drill time)")
                    .append('\n');
        }
        if (clusterId != null) {
            sb.append("  drill cluster   ").append(clusterId).append(hsmId == null ? "" : ", HSM " + hsmId).append('\n');
        }
        sb.append("  phases          request ").append(timeline.requestedAt() == null ? "-" : timeline.requestedAt())
                .append('\n');
        sb.append("                  -> restored state   +").append(fmt(timeline.toRestored().orElse(null))).append('\n');
        if (withHsm) {
            sb.append("                  -> HSM ACTIVE       +").append(fmt(timeline.toHsmActive().orElse(null)))
                    .append(" (").append(fmt(timeline.restoredToHsmActive().orElse(null))).append(" after restore)\n");
        }
        sb.append("                  -> torn down        ").append(fmt(timeline.teardown().orElse(null)))
                .append(" after the last phase\n");
        sb.append("  RTO             ").append(fmt(rto)).append(rtoIncludesHsm ? "" : " (no HSM: a lower bound)")
                .append(" vs objective ").append(fmt(rtoObjective)).append('\n');
        sb.append("  checks\n");
        for (DrillCheck c : checks) {
            sb.append(String.format("    %-7s %-19s %s", c.status(), c.name(), c.detail())).append('\n');
        }
        for (Teardown t : leftovers) {
            sb.append("  leftover        ").append(t.describe()).append('\n');
        }
        if (teardown != null) {
            sb.append("  teardown        ").append(teardown.describe()).append('\n');
        }
        for (String p : problems) {
            sb.append("  problem         ").append(p).append('\n');
        }
        sb.append("  took            ").append(fmt(duration())).append('\n');
        return sb.toString();
    }

    static String fmt(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
