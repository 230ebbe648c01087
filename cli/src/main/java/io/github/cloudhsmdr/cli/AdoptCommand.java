package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * {@code adopt}: takes ownership of copies of the replicator's own source backups that lack its ownership tag
 * ({@code BackupReplicator.adoptCopies}). Lists them without {@code --yes}; tags them with it. Never implicit.
 */
@Command(name = "adopt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take ownership of copies of this replicator's source backups that arrived without its "
                + "ownership tag (the service dropped the TagList, or someone removed the tags), so retention "
                + "manages them again.",
                "Without --yes, lists them and changes nothing. With --yes, puts the ownership and provenance tags "
                        + "on them (TagResource): run it under the adopt policy (iam/adopt-policy.json, or "
                        + "'cloudhsm-dr iam-policy --kind adopt'), which the replicator's own role does not have."},
        footer = {"%nExit codes: 0 nothing to adopt, listed, or every copy adopted; 1 some adopted; "
                + "2 none adopted; 64 usage error."})
final class AdoptCommand extends BaseCommand {
    @Mixin
    ReplicatorOptions replicator;

    @Option(names = "--yes", description = "tag the copies listed; without it the command only lists them")
    boolean yes;

    @Override
    int execute() {
        ReplicatorSettings settings = replicator.settings().build();
        return withReplicator(settings, Duration.ZERO, (r, store) -> {
            ReplicationPlan plan = r.plan();
            List<DestinationPlan> pairs = plan.destinations().stream().filter(d -> !d.untaggedCopies().isEmpty())
                    .toList();
            if (!yes) {
                result(RunStatus.SUCCESS.name(), doc -> document(doc, plan.replicatorName(), pairs, List.of(), false),
                        listing(plan.replicatorName(), pairs));
                return ExitCodes.OK;
            }
            List<AdoptionOutcome> outcomes = r.adoptCopies(plan);
            long failed = outcomes.stream().filter(o -> !o.adopted()).count();
            RunStatus status = ExitCodes.statusOf(failed, outcomes.size());
            result(status.name(), doc -> document(doc, plan.replicatorName(), pairs, outcomes, true),
                    adopted(plan.replicatorName(), outcomes));
            return ExitCodes.of(status);
        });
    }

    private static void document(ObjectNode doc, String name, List<DestinationPlan> pairs,
            List<AdoptionOutcome> outcomes, boolean applied) {
        doc.put("replicator", name);
        doc.put("applied", applied);
        ArrayNode untagged = doc.putArray("untagged");
        for (DestinationPlan d : pairs) {
            for (String id : d.untaggedCopies()) {
                ObjectNode u = untagged.addObject();
                u.put("backupId", id);
                u.put("clusterId", d.clusterId());
                u.put("region", d.destinationRegion());
            }
        }
        doc.put("adopted", outcomes.stream().filter(AdoptionOutcome::adopted).count());
        doc.put("failed", outcomes.stream().filter(o -> !o.adopted()).count());
        ArrayNode items = doc.putArray("items");
        for (AdoptionOutcome o : outcomes) {
            ObjectNode i = items.addObject();
            i.put("backupId", o.backupId());
            i.put("region", o.region());
            i.put("sourceBackupId", o.sourceBackupId());
            i.put("adopted", o.adopted());
            Json.failure(i, "failure", o.failure());
        }
    }

    private static String listing(String name, List<DestinationPlan> pairs) {
        long count = pairs.stream().mapToLong(d -> d.untaggedCopies().size()).sum();
        if (count == 0) {
            return "Nothing to adopt: every copy of replicator '" + name + "' carries its ownership tag\n";
        }
        StringBuilder sb = new StringBuilder().append(count).append(" copies of replicator '").append(name)
                .append("''s source backups lack its ownership tag; retention cannot manage them:\n");
        for (DestinationPlan d : pairs) {
            for (String id : d.untaggedCopies()) {
                sb.append("  ").append(id).append(" in ").append(d.destinationRegion()).append(" (cluster ")
                        .append(d.clusterId()).append(")\n");
            }
        }
        return sb.append("Run again with --yes, under the adopt policy, to tag them.\n").toString();
    }

    private static String adopted(String name, List<AdoptionOutcome> outcomes) {
        StringBuilder sb = new StringBuilder("Adoption for replicator '").append(name).append("': adopted ")
                .append(outcomes.stream().filter(AdoptionOutcome::adopted).count()).append(" of ")
                .append(outcomes.size()).append('\n');
        for (AdoptionOutcome o : outcomes) {
            sb.append("  ").append(o.adopted() ? "ADOPTED " : "FAILED ").append(o.backupId()).append(" in ")
                    .append(o.region());
            sb.append(o.adopted() ? "" : ": " + o.failure().message()).append('\n');
        }
        return sb.toString();
    }
}
