package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.BackupStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code rpo}: the recovery point each region holds for each cluster. */
@Command(name = "rpo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the recovery point each region holds for each cluster. A MISSING region says how "
                + "many copies of the cluster are still being made there.",
        footer = {"%nExit codes: 0 OK, 1 WARN, 2 CRITICAL, MISSING or UNKNOWN, 64 usage error."})
final class RpoCommand extends BaseCommand {
    @Mixin
    ReplicatorOptions replicator;

    @Option(names = "--rpo-warn", paramLabel = "DURATION", converter = Converters.PositiveDurationConverter.class,
            description = "age after which a recovery point is WARN (default: 28h)")
    Duration rpoWarn;

    @Option(names = "--rpo-critical", paramLabel = "DURATION",
            converter = Converters.PositiveDurationConverter.class,
            description = "age after which a recovery point is CRITICAL (default: 32h)")
    Duration rpoCritical;

    @Override
    int execute() {
        ReplicatorSettings settings = replicator.settings().rpoWarnAfter(rpoWarn).rpoCriticalAfter(rpoCritical)
                .build();
        return withReplicator(settings, Duration.ZERO, (r, store) -> {
            RecoveryPointReport report = r.measureRecoveryPoints();
            Map<RecoveryPoint, Integer> inProgress = copiesInProgress(store, report);
            RecoveryPointStatus worst = report.worst();
            result(worst.name(), doc -> document(doc, report, inProgress), text(report, inProgress));
            return switch (worst) {
                case OK -> ExitCodes.OK;
                case WARN -> ExitCodes.WARN;
                case CRITICAL, MISSING, UNKNOWN -> ExitCodes.FAILED;
            };
        });
    }

    /** For each MISSING destination point: how many copies of its cluster are being made in its region. */
    private static Map<RecoveryPoint, Integer> copiesInProgress(BackupStore store, RecoveryPointReport report) {
        Map<String, List<Backup>> byRegion = new HashMap<>();
        Map<RecoveryPoint, Integer> counts = new HashMap<>();
        for (RecoveryPoint p : report.points()) {
            if (p.status() != RecoveryPointStatus.MISSING || p.source() || p.failure() != null) {
                continue;
            }
            try {
                List<Backup> pending = byRegion.computeIfAbsent(p.region(), region -> store.describeBackups(region,
                        BackupFilter.states(BackupState.CREATE_IN_PROGRESS)));
                counts.put(p, (int) pending.stream().filter(b -> b.state() == BackupState.CREATE_IN_PROGRESS)
                        .filter(b -> p.clusterId().equals(b.originCluster())).count());
            } catch (RuntimeException e) {
                // the listing failed: the count stays unknown (null); the recovery point is MISSING either way
            }
        }
        return counts;
    }

    static void document(ObjectNode doc, RecoveryPointReport report, Map<RecoveryPoint, Integer> inProgress) {
        doc.put("replicator", report.replicatorName());
        Json.instant(doc, "measuredAt", report.measuredAt());
        Json.duration(doc, "warnAfter", report.warnAfter());
        Json.duration(doc, "criticalAfter", report.criticalAfter());
        Json.failures(doc, "failures", report.failures());
        ArrayNode points = doc.putArray("points");
        for (RecoveryPoint p : report.points()) {
            ObjectNode n = points.addObject();
            n.put("clusterId", p.clusterId());
            n.put("region", p.region());
            n.put("source", p.source());
            n.put("status", p.status().name());
            n.put("backupId", p.backupId());
            Json.instant(n, "createdAt", p.createTimestamp());
            Json.duration(n, "age", p.age());
            Json.duration(n, "copyLag", p.copyLag());
            Json.duration(n, "behindSource", p.behindSource());
            n.put("copiesInProgress", inProgress.get(p));
            Json.failure(n, "failure", p.failure());
        }
    }

    static String text(RecoveryPointReport report, Map<RecoveryPoint, Integer> inProgress) {
        StringBuilder sb = new StringBuilder("Recovery points of replicator '").append(report.replicatorName())
                .append("' at ").append(Text.time(report.measuredAt())).append(" (warn after ")
                .append(Text.duration(report.warnAfter())).append(", critical after ")
                .append(Text.duration(report.criticalAfter())).append("): ").append(report.worst()).append('\n');
        for (Failure f : report.failures()) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (RecoveryPoint p : report.points()) {
            sb.append("  ").append(p.clusterId()).append(' ').append(p.region()).append(p.source() ? " (source)" : "")
                    .append(": ").append(p.status());
            if (p.backupId() != null) {
                sb.append(' ').append(p.backupId()).append(" of ").append(Text.time(p.createTimestamp()))
                        .append(", age ").append(Text.duration(p.age()));
            }
            if (p.behindSource() != null && !p.source()) {
                sb.append(", behind source ").append(Text.duration(p.behindSource()));
            }
            Integer pending = inProgress.get(p);
            if (pending != null) {
                sb.append(pending == 0 ? ", no copy in progress" : ", " + pending + (pending == 1 ? " copy" : " copies")
                        + " in progress");
            }
            if (p.failure() != null) {
                sb.append(": ").append(p.failure().message());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
