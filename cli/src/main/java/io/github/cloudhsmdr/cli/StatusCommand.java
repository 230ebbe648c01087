package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code status}: each destination's copies of the source clusters, with state, age, owner and the retention
 * verdict of the plan. Changes nothing.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show each destination's copies of the source clusters: state, age, owner (the replicator "
                + "tag) and the retention verdict the plan gives them now. Changes nothing.",
        footer = {"%nExit codes: 0 every region listed, 1 some regions could not be listed, 2 none could, "
                + "64 usage error."})
final class StatusCommand extends BaseCommand {
    @Mixin
    ReplicatorOptions replicator;

    @Mixin
    RetentionOptions retention;

    /** One copy and what retention says about it. */
    record Copy(Backup backup, RetentionDecision decision) {
    }

    /** One destination: its copies, or the failure of its listing. */
    record Region(String region, List<Copy> copies, Failure failure) {
    }

    @Override
    int execute() {
        ReplicatorSettings settings = retention.applyTo(replicator.settings()).build();
        return withReplicator(settings, Duration.ZERO, (r, store) -> {
            ReplicationPlan plan = r.plan();
            Set<String> clusters = new LinkedHashSet<>(settings.clusterIds());
            Map<String, RetentionDecision> decisions = new HashMap<>();
            for (DestinationPlan d : plan.destinations()) {
                clusters.add(d.clusterId());
                d.retention().forEach(x -> decisions.put(x.backupId(), x));
            }
            List<Region> regions = new ArrayList<>();
            for (String region : settings.destinationRegions()) {
                try {
                    List<Copy> copies = store.describeBackups(region, BackupFilter.ALL).stream()
                            .filter(b -> b.isCopy() && clusters.contains(b.originCluster())
                                    && settings.sourceRegion().equals(b.originRegion()))
                            .sorted(Comparator.comparing(Backup::originCluster)
                                    .thenComparing(Backup::createTimestamp, Comparator.nullsFirst(
                                            Comparator.naturalOrder())))
                            .map(b -> new Copy(b, decisions.get(b.backupId())))
                            .toList();
                    regions.add(new Region(region, copies, null));
                } catch (RuntimeException e) {
                    regions.add(new Region(region, List.of(), Failure.of(e, "DescribeBackups", 1)));
                }
            }
            long failed = regions.stream().filter(x -> x.failure() != null).count() + (plan.failures().isEmpty() ? 0
                    : 1);
            RunStatus status = ExitCodes.statusOf(failed, regions.size());
            Instant now = now();
            String policy = settings.retention().map(Object::toString).orElse(null);
            result(status.name(), doc -> document(doc, settings, plan, regions, policy, now),
                    text(settings, plan, regions, policy, now));
            return ExitCodes.of(status);
        });
    }

    private static String verdict(Copy c, String policy) {
        if (c.decision() != null) {
            return c.decision().verdict().name();
        }
        return policy == null ? "KEEP" : null;
    }

    private static List<String> reasons(Copy c, String policy) {
        if (c.decision() != null) {
            return c.decision().reasons();
        }
        return List.of(policy == null ? "no retention policy: every copy is kept" : "not evaluated by retention now");
    }

    static void document(ObjectNode doc, ReplicatorSettings settings, ReplicationPlan plan, List<Region> regions,
            String policy, Instant now) {
        doc.put("replicator", settings.name());
        doc.put("sourceRegion", settings.sourceRegion());
        doc.put("retentionPolicy", policy);
        Json.failures(doc, "failures", plan.failures());
        ArrayNode list = doc.putArray("regions");
        for (Region region : regions) {
            ObjectNode r = list.addObject();
            r.put("region", region.region());
            Json.failure(r, "failure", region.failure());
            ArrayNode copies = r.putArray("copies");
            for (Copy c : region.copies()) {
                Backup b = c.backup();
                ObjectNode n = copies.addObject();
                n.put("backupId", b.backupId());
                n.put("sourceCluster", b.originCluster());
                n.put("sourceBackupId", b.originBackup());
                n.put("state", b.state().name());
                Json.instant(n, "createdAt", b.createTimestamp());
                Json.duration(n, "age", b.createTimestamp() == null ? null : Duration.between(b.createTimestamp(), now));
                n.put("owner", b.tags().get(CopyTags.OWNER));
                n.put("ours", settings.name().equals(b.tags().get(CopyTags.OWNER)));
                n.put("verdict", verdict(c, policy));
                Json.strings(n, "reasons", reasons(c, policy));
            }
        }
    }

    static String text(ReplicatorSettings settings, ReplicationPlan plan, List<Region> regions, String policy,
            Instant now) {
        StringBuilder sb = new StringBuilder("Copies of ").append(settings.sourceRegion())
                .append(" clusters, replicator '").append(settings.name()).append("', at ").append(Text.time(now))
                .append('\n').append("  retention: ").append(policy == null ? "none, every copy is kept" : policy)
                .append('\n');
        for (Failure f : plan.failures()) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (Region region : regions) {
            sb.append("  ").append(region.region());
            if (region.failure() != null) {
                sb.append(": FAILED ").append(region.failure().message()).append('\n');
                continue;
            }
            sb.append(": ").append(region.copies().size()).append(" copies\n");
            for (Copy c : region.copies()) {
                Backup b = c.backup();
                String owner = b.tags().get(CopyTags.OWNER);
                String verdict = verdict(c, policy);
                sb.append("    ").append(b.backupId()).append(' ').append(b.state()).append(" copy of ")
                        .append(b.originBackup()).append(" (").append(b.originCluster()).append("), ")
                        .append(Text.time(b.createTimestamp())).append(", age ")
                        .append(Text.age(b.createTimestamp(), now)).append(", owner ")
                        .append(owner == null ? "none" : owner).append(", ")
                        .append(verdict == null ? "not evaluated" : verdict);
                if (c.decision() != null) {
                    sb.append(": ").append(String.join("; ", reasons(c, policy)));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
