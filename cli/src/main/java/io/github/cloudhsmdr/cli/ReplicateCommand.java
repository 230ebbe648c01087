package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;

/** {@code replicate}: copies every selected backup that is missing in a destination, applies retention, reports. */
@Command(name = "replicate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copy every selected backup that is missing in a destination, apply retention, then report.",
        footer = {"%nWithout a --keep-* option every copy is kept. Retention only deletes READY copies that carry "
                + "this replicator's ownership tag, never the newest one. Save the --json report: 'undo' restores "
                + "the deletions it lists.",
                "Exit codes: 0 SUCCESS, 1 PARTIAL, 2 FAILED, 64 usage error."})
final class ReplicateCommand extends BaseCommand {
    @Mixin
    ReplicatorOptions replicator;

    @Mixin
    RetentionOptions retention;

    @Option(names = "--wait-for-ready", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "wait up to this long for new copies to turn READY (default: 0, do not wait)")
    Duration waitForReady;

    @Option(names = "--copy-tags", paramLabel = "K=V,K=V", split = ",", description = "extra tags for every copy")
    Map<String, String> copyTags;

    @Override
    int execute() {
        ReplicatorSettings settings = retention.applyTo(replicator.settings())
                .waitForReady(waitForReady).copyTags(copyTags).build();
        return withReplicator(settings, settings.waitForReady(), (r, store) -> {
            ReplicationReport report = r.replicate();
            result(report.status().name(), doc -> document(doc, report), text(report));
            return ExitCodes.of(report.status());
        });
    }

    static void document(ObjectNode doc, ReplicationReport report) {
        doc.put("replicator", report.replicatorName());
        doc.put("sourceRegion", report.sourceRegion());
        Json.duration(doc, "duration", report.duration());
        ObjectNode counts = doc.putObject("counts");
        counts.put("pairs", report.outcomes().size());
        counts.put("copied", report.copied());
        counts.put("alreadyPresent", report.count(CopyAction.ALREADY_PRESENT));
        counts.put("inProgress", report.count(CopyAction.IN_PROGRESS));
        counts.put("skipped", report.count(CopyAction.SKIPPED));
        counts.put("sourceGone", report.count(CopyAction.SOURCE_GONE));
        counts.put("deleted", report.deleted());
        counts.put("failed", report.failedCount());
        Json.failures(doc, "failures", report.failures());
        ArrayNode pairs = doc.putArray("pairs");
        for (DestinationOutcome o : report.outcomes()) {
            ObjectNode p = pairs.addObject();
            p.put("clusterId", o.clusterId());
            p.put("destinationRegion", o.destinationRegion());
            p.put("status", o.status().name());
            Json.failure(p, "failure", o.failure());
            ArrayNode items = p.putArray("items");
            for (CopyOutcome c : o.copies()) {
                ObjectNode i = items.addObject();
                i.put("action", c.action().name());
                i.put("sourceBackupId", c.sourceBackupId());
                Json.instant(i, "createdAt", c.createTimestamp());
                i.put("destinationBackupId", c.destinationBackupId());
                i.put("destinationState", c.destinationState() == null ? null : c.destinationState().name());
                i.put("detail", c.detail());
                Json.failure(i, "failure", c.failure());
            }
            ArrayNode deletions = p.putArray("deletions");
            for (Deletion d : o.deletions()) {
                ObjectNode n = deletions.addObject();
                n.put("backupId", d.backupId());
                n.put("region", d.region());
                n.put("sourceBackupId", d.sourceBackupId());
                Json.instant(n, "createdAt", d.createTimestamp());
                n.put("verdict", d.verdict().name());
                Json.strings(n, "reasons", d.reasons());
                Json.instant(n, "deletesAt", d.deleteTimestamp());
                Json.failure(n, "failure", d.failure());
            }
            p.put("retentionNote", o.retentionNote());
        }
    }

    static String text(ReplicationReport report) {
        StringBuilder sb = new StringBuilder("Replicator '").append(report.replicatorName()).append("' from ")
                .append(report.sourceRegion()).append(": ").append(report.status()).append(" in ")
                .append(Text.duration(report.duration())).append('\n')
                .append("  ").append(report.outcomes().size()).append(" pairs: copied ").append(report.copied())
                .append(", already present ").append(report.count(CopyAction.ALREADY_PRESENT))
                .append(", in progress ").append(report.count(CopyAction.IN_PROGRESS))
                .append(", skipped ").append(report.count(CopyAction.SKIPPED))
                .append(", source gone ").append(report.count(CopyAction.SOURCE_GONE))
                .append(", deleted ").append(report.deleted())
                .append(", failed ").append(report.failedCount()).append('\n');
        for (Failure f : report.failures()) {
            sb.append("  FAILED ").append(f.kind()).append(' ').append(f.message()).append('\n');
        }
        for (DestinationOutcome o : report.outcomes()) {
            sb.append(o.describe());
        }
        return sb.toString();
    }
}
