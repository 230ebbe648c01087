package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.DestinationOutcome;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code undo}: restores the copies a saved {@code replicate --json} report says retention deleted. */
@Command(name = "undo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Restore the copies that retention deleted in a run, from its saved 'replicate --json' "
                + "report. A deleted copy can be restored until its deletion date (pending deletion).",
        footer = {"%nExit codes: 0 every deletion undone (or none listed), 1 some undone, 2 none, "
                + "64 usage error."})
final class UndoCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "REPORT", description = "the JSON document of 'replicate --json'")
    Path report;

    @Override
    int execute() {
        JsonNode doc;
        try {
            doc = Json.read(report);
        } catch (UncheckedIOException e) {
            throw badReport(e.getMessage());
        }
        if (!"replicate".equals(doc.path("command").asText()) || doc.path("schemaVersion").asInt() != Json.SCHEMA_VERSION
                || !doc.path("pairs").isArray()) {
            throw badReport("'" + report + "' is not the JSON of 'replicate --json' (schemaVersion "
                    + Json.SCHEMA_VERSION + ")");
        }
        List<Deletion> deletions = new ArrayList<>();
        Set<String> regions = new LinkedHashSet<>();
        for (JsonNode pair : doc.path("pairs")) {
            for (JsonNode d : pair.path("deletions")) {
                if (!d.path("failure").isNull()) {
                    continue;
                }
                List<String> reasons = new ArrayList<>();
                d.path("reasons").forEach(r -> reasons.add(r.asText()));
                deletions.add(new Deletion(d.path("backupId").asText(), d.path("region").asText(),
                        d.path("sourceBackupId").textValue(), instant(d.path("createdAt")),
                        RetentionVerdict.valueOf(d.path("verdict").asText()), reasons, instant(d.path("deletesAt")),
                        null));
                regions.add(d.path("region").asText());
            }
        }
        String name = doc.path("replicator").asText();
        String source = doc.path("sourceRegion").asText();
        List<UndoOutcome> undone = List.of();
        if (!deletions.isEmpty()) {
            Instant started = instant(doc.path("startedAt"));
            ReplicationReport saved = new ReplicationReport(name, source, started, instant(doc.path("finishedAt")),
                    RunStatus.SUCCESS, List.of(new DestinationOutcome("undo", regions.iterator().next(),
                    RunStatus.SUCCESS, List.of(), null, List.of(), deletions, "")), List.of());
            try (AwsBackupStore store = openStore();
                 BackupReplicator r = BackupReplicator.builder().name(name).sourceRegion(source)
                         .destinationRegions(List.copyOf(regions)).backupStore(store).clock(context().clock())
                         .sleeper(context().sleeper()).build()) {
                undone = r.undoDeletions(saved);
            }
        }
        long restored = undone.stream().filter(UndoOutcome::restored).count();
        RunStatus status = ExitCodes.statusOf(undone.size() - restored, undone.size());
        List<UndoOutcome> outcomes = undone;
        result(status.name(), out -> document(out, name, outcomes), text(name, outcomes));
        return ExitCodes.of(status);
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    private ParameterException badReport(String message) {
        return new ParameterException(spec.commandLine(), "REPORT: " + message);
    }

    private void document(ObjectNode doc, String name, List<UndoOutcome> undone) {
        doc.put("replicator", name);
        doc.put("report", report.toString());
        doc.put("restored", undone.stream().filter(UndoOutcome::restored).count());
        doc.put("failed", undone.stream().filter(u -> !u.restored()).count());
        ArrayNode items = doc.putArray("items");
        for (UndoOutcome u : undone) {
            ObjectNode i = items.addObject();
            i.put("backupId", u.backupId());
            i.put("region", u.region());
            i.put("state", u.state() == null ? null : u.state().name());
            Json.failure(i, "failure", u.failure());
        }
    }

    private String text(String name, List<UndoOutcome> undone) {
        if (undone.isEmpty()) {
            return "Nothing to undo: " + report + " lists no deletions\n";
        }
        StringBuilder sb = new StringBuilder("Undo of the deletions of replicator '").append(name).append("' in ")
                .append(report).append(": restored ").append(undone.stream().filter(UndoOutcome::restored).count())
                .append(" of ").append(undone.size()).append('\n');
        for (UndoOutcome u : undone) {
            sb.append("  ").append(u.restored() ? "RESTORED " : "FAILED ").append(u.backupId()).append(" in ")
                    .append(u.region());
            sb.append(u.restored() ? " (" + u.state() + ")" : ": " + u.failure().message()).append('\n');
        }
        return sb.toString();
    }
}
