package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RestoreRequest;
import io.github.cloudhsmdr.RestoreResult;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code restore}: creates a cluster from the newest READY backup of a cluster held in a region. Idempotent: the new
 * cluster carries a restore token derived from the request, and the same request again finds it instead of
 * creating a second cluster, unless {@code --force}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create a cluster from the newest READY backup of a cluster held in a region (or from "
                + "--backup). The new cluster is tagged with a restore token derived from the request; the same "
                + "restore again returns that cluster instead of creating another, unless --force.",
        footer = {"%nExit codes: 0 cluster creation started (or found, or --dry-run), 2 nothing to restore or a "
                + "call failed, 64 usage error."})
final class RestoreCommand extends BaseCommand {
    /** The tag that holds the restore token on a restored cluster. */
    static final String TOKEN_TAG = CopyTags.PREFIX + "restore-token";

    private static final Set<String> GONE = Set.of("DELETED", "DELETE_IN_PROGRESS");
    private static final List<String> PROBE_SUBNETS = List.of("subnet-00000000");

    @Option(names = "--region", paramLabel = "REGION", converter = Converters.RegionConverter.class,
            description = "region to create the cluster in (required)")
    String region;

    @Option(names = "--cluster", paramLabel = "ID", converter = ClusterIdConverter.class,
            description = "the cluster whose newest READY backup in the region is restored")
    String cluster;

    @Option(names = "--backup", paramLabel = "ID", converter = BackupIdConverter.class,
            description = "restore this backup instead of the newest READY one")
    String backup;

    @Option(names = "--subnets", paramLabel = "S1,S2", split = ",", converter = Converters.SubnetConverter.class,
            description = "1 to 10 subnets for the new cluster (required)")
    List<String> subnets;

    @Option(names = "--hsm-type", paramLabel = "TYPE", description = "HSM type of the new cluster (default: the "
            + "backup's)")
    String hsmType;

    @Option(names = "--dry-run", description = "show which backup would be restored; create nothing")
    boolean dryRun;

    @Option(names = "--force", description = "create a new cluster even when this request already made one")
    boolean force;

    /** Checks a cluster id with the rule of {@link RestoreRequest}. */
    static final class ClusterIdConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return new RestoreRequest("us-east-1", value, null, null, PROBE_SUBNETS, null).sourceClusterId();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Checks a backup id with the rule of {@link RestoreRequest}. */
    static final class BackupIdConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return new RestoreRequest("us-east-1", null, value, null, PROBE_SUBNETS, null).backupId();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** What the command did. */
    enum Outcome {
        /** a cluster was created */
        CREATED,
        /** this request had created a cluster already; it is returned */
        EXISTING,
        /** nothing was created: {@code --dry-run} */
        DRY_RUN
    }

    @Override
    int execute() {
        if (region == null) {
            throw usage("--region: is required, e.g. us-west-2");
        }
        if (cluster == null && backup == null) {
            throw usage("--cluster: is required (or --backup), e.g. cluster-2n3ulwdpxk6");
        }
        requireSubnets(subnets);
        String token = token();
        RestoreRequest request = new RestoreRequest(region, cluster, backup, hsmType, subnets,
                Map.of(TOKEN_TAG, token));
        try (AwsBackupStore store = openStore()) {
            ClusterRestorer restorer = ClusterRestorer.of(store, context().clock());
            Optional<Cluster> existing = force ? Optional.empty() : store.describeClusters(region, Set.of()).stream()
                    .filter(c -> token.equals(c.tags().get(TOKEN_TAG)) && !GONE.contains(c.state()))
                    .max(Comparator.comparing(Cluster::createTimestamp, Comparator.nullsFirst(
                            Comparator.naturalOrder())));
            Outcome outcome;
            Cluster created;
            Backup from;
            List<String> nextSteps;
            if (existing.isPresent()) {
                outcome = Outcome.EXISTING;
                created = existing.get();
                from = created.sourceBackupId() == null ? null : store.describeBackups(region,
                        BackupFilter.backupIds(List.of(created.sourceBackupId()))).stream().findFirst().orElse(null);
                nextSteps = List.of("This request created cluster " + created.clusterId() + " before (restore token "
                        + token + "); nothing new was created. Go on with the steps given then, or run again with "
                        + "--force to create another cluster.");
            } else if (dryRun) {
                outcome = Outcome.DRY_RUN;
                created = null;
                from = backup != null ? requested(store) : restorer.newestRestorable(region, cluster).orElseThrow(
                        () -> new IllegalStateException("no READY backup of " + cluster + " in " + region
                                + ": nothing to restore from there"));
                nextSteps = List.of("Run again without --dry-run to create the cluster from " + from.backupId() + ".");
            } else {
                RestoreResult result = restorer.restore(request);
                outcome = Outcome.CREATED;
                created = result.cluster();
                from = result.backup();
                nextSteps = result.nextSteps();
            }
            Instant now = now();
            Duration dataAge = from == null || from.createTimestamp() == null ? null
                    : Duration.between(from.createTimestamp(), now);
            result("SUCCESS", doc -> document(doc, outcome, token, created, from, dataAge, nextSteps),
                    text(outcome, token, created, from, dataAge, nextSteps));
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            return failed(e.getMessage());
        }
    }

    private Backup requested(AwsBackupStore store) {
        Backup b = store.describeBackups(region, BackupFilter.backupIds(List.of(backup))).stream()
                .filter(x -> x.backupId().equals(backup)).findFirst()
                .orElseThrow(() -> new IllegalStateException("backup " + backup + " not found in " + region));
        if (b.state() != BackupState.READY) {
            throw new IllegalStateException("backup " + backup + " in " + region + " is " + b.state()
                    + ": only a READY backup can be restored");
        }
        return b;
    }

    /** @return the token of this request: the same region, source, HSM type and subnets give the same token */
    String token() {
        String canonical = String.join("|", region, String.valueOf(cluster), String.valueOf(backup),
                String.valueOf(hsmType), String.join(",", new TreeSet<>(subnets)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "rt-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void document(ObjectNode doc, Outcome outcome, String token, Cluster created, Backup from,
            Duration dataAge, List<String> nextSteps) {
        doc.put("outcome", outcome.name());
        doc.put("restoreToken", token);
        doc.put("region", region);
        doc.put("sourceClusterId", cluster);
        if (created == null) {
            doc.putNull("cluster");
        } else {
            ObjectNode c = doc.putObject("cluster");
            c.put("clusterId", created.clusterId());
            c.put("state", created.state());
            c.put("hsmType", created.hsmType());
            c.put("sourceBackupId", created.sourceBackupId());
            Json.instant(c, "createdAt", created.createTimestamp());
        }
        if (from == null) {
            doc.putNull("backup");
        } else {
            ObjectNode b = doc.putObject("backup");
            b.put("backupId", from.backupId());
            b.put("sourceCluster", from.isCopy() ? from.originCluster() : from.clusterId());
            Json.instant(b, "createdAt", from.createTimestamp());
        }
        Json.duration(doc, "dataAge", dataAge);
        Json.strings(doc, "nextSteps", nextSteps);
    }

    private String text(Outcome outcome, String token, Cluster created, Backup from, Duration dataAge,
            List<String> nextSteps) {
        StringBuilder sb = new StringBuilder();
        switch (outcome) {
            case CREATED -> sb.append("Restore started in ").append(region).append(": cluster ")
                    .append(created.clusterId()).append(" (").append(created.state()).append(") from backup ")
                    .append(from.backupId()).append('\n');
            case EXISTING -> sb.append("Already restored in ").append(region).append(": cluster ")
                    .append(created.clusterId()).append(" (").append(created.state()).append(") from backup ")
                    .append(created.sourceBackupId()).append('\n');
            default -> sb.append("Dry run in ").append(region).append(": would create a cluster from backup ")
                    .append(from.backupId()).append('\n');
        }
        if (from != null) {
            sb.append("  data of ").append(from.isCopy() ? from.originCluster() : from.clusterId()).append(" as of ")
                    .append(Text.time(from.createTimestamp())).append(", age ").append(Text.duration(dataAge))
                    .append('\n');
        }
        sb.append("  restore token ").append(token).append(" (tag ").append(TOKEN_TAG).append(")\n");
        sb.append("Next steps:\n");
        for (int i = 0; i < nextSteps.size(); i++) {
            sb.append("  ").append(i + 1).append(". ").append(nextSteps.get(i)).append('\n');
        }
        return sb.toString();
    }
}
