package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** {@code plan}: what a replication run would copy and delete now; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Dry run: show what a replication run would copy and delete now; changes nothing.",
        footer = {"%nExit codes: 0 planned, 1 some pairs could not be planned, 2 nothing could be planned, "
                + "64 usage error."})
final class PlanCommand extends BaseCommand {
    @Mixin
    ReplicatorOptions replicator;

    @Mixin
    RetentionOptions retention;

    @Override
    int execute() {
        ReplicatorSettings settings = retention.applyTo(replicator.settings()).build();
        return withReplicator(settings, Duration.ZERO, (r, store) -> {
            ReplicationPlan plan = r.plan();
            long failedPairs = plan.destinations().stream().filter(DestinationPlan::failed).count();
            RunStatus status = plan.failures().isEmpty() && failedPairs == 0 ? RunStatus.SUCCESS
                    : failedPairs < plan.destinations().size() ? RunStatus.PARTIAL : RunStatus.FAILED;
            Instant now = now();
            result(status.name(), doc -> document(doc, plan, now), text(plan, now));
            return ExitCodes.of(status);
        });
    }

    static void document(ObjectNode doc, ReplicationPlan plan, Instant now) {
        doc.put("replicator", plan.replicatorName());
        doc.put("sourceRegion", plan.sourceRegion());
        Json.instant(doc, "createdAt", plan.createdAt());
        doc.put("copyCount", plan.copyCount());
        doc.put("deletionCount", plan.deletionCount());
        Json.failures(doc, "failures", plan.failures());
        ArrayNode pairs = doc.putArray("pairs");
        for (DestinationPlan d : plan.destinations()) {
            ObjectNode p = pairs.addObject();
            p.put("clusterId", d.clusterId());
            p.put("destinationRegion", d.destinationRegion());
            Json.failure(p, "failure", d.failure());
            ArrayNode items = p.putArray("items");
            for (PlannedCopy c : d.items()) {
                ObjectNode i = items.addObject();
                i.put("action", c.action().name());
                i.put("sourceBackupId", c.sourceBackupId());
                Json.instant(i, "createdAt", c.createTimestamp());
                Json.duration(i, "age", c.createTimestamp() == null ? null : Duration.between(c.createTimestamp(), now));
                i.put("existingCopyId", c.existingCopyId());
                i.put("reason", c.reason());
            }
            ArrayNode retention = p.putArray("retention");
            for (RetentionDecision r : d.retention()) {
                retention.add(decision(r));
            }
        }
    }

    static ObjectNode decision(RetentionDecision r) {
        ObjectNode n = Json.object();
        n.put("backupId", r.backupId());
        n.put("sourceBackupId", r.sourceBackupId());
        Json.instant(n, "createdAt", r.createTimestamp());
        n.put("state", r.state().name());
        n.put("verdict", r.verdict().name());
        Json.strings(n, "reasons", r.reasons());
        return n;
    }

    static String text(ReplicationPlan plan, Instant now) {
        StringBuilder sb = new StringBuilder("Plan of replicator '").append(plan.replicatorName()).append("' from ")
                .append(plan.sourceRegion()).append(" at ").append(Text.time(plan.createdAt())).append(": ")
                .append(plan.copyCount()).append(" copies to start, ").append(plan.deletionCount())
                .append(" copies retention would delete\n");
        for (Failure f : plan.failures()) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (DestinationPlan d : plan.destinations()) {
            sb.append("  ").append(d.clusterId()).append(" -> ").append(d.destinationRegion());
            if (d.failed()) {
                sb.append(": FAILED ").append(d.failure().message()).append('\n');
                continue;
            }
            sb.append('\n');
            String previous = null;
            for (PlannedCopy c : d.items()) {
                sb.append("    ").append(c.action()).append(' ').append(c.sourceBackupId()).append(" (")
                        .append(Text.time(c.createTimestamp())).append(", age ")
                        .append(Text.age(c.createTimestamp(), now)).append(')');
                if (c.existingCopyId() != null) {
                    sb.append(" copy ").append(c.existingCopyId());
                }
                String reason = c.action() + ": " + c.reason();
                sb.append(Objects.equals(reason, previous) ? ": as above" : ": " + c.reason()).append('\n');
                previous = reason;
            }
            for (RetentionDecision r : d.retention()) {
                sb.append("    retention ").append(r.verdict()).append(' ').append(r.backupId()).append(" (copy of ")
                        .append(r.sourceBackupId()).append(", ").append(Text.time(r.createTimestamp())).append("): ")
                        .append(String.join("; ", r.reasons())).append('\n');
            }
        }
        return sb.toString();
    }
}
