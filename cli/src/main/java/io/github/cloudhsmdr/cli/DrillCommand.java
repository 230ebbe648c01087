package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.drill.DrillCheck;
import io.github.cloudhsmdr.drill.DrillListener;
import io.github.cloudhsmdr.drill.DrillRecordStore;
import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.github.cloudhsmdr.drill.DrillTimeline;
import io.github.cloudhsmdr.drill.RestoreDrill;
import io.github.cloudhsmdr.drill.Teardown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code drill}: a {@link RestoreDrill} in a DR region (restore the newest READY copy, verify it, optionally add an
 * HSM, always tear down), or with {@code --cleanup} the teardown of the clusters earlier drills of this name left.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a restore drill: create a cluster in --region from the newest READY backup of "
                + "--source-cluster held there, check its state, HSM type, mode and certificate, optionally add an "
                + "HSM (--with-hsm --yes) to measure the full recovery time, and always delete what it created. "
                + "Only clusters tagged cloudhsm-dr:drill=<--name> are ever deleted. With --cleanup: delete the "
                + "clusters earlier drills of this name left behind, and nothing else.",
        footer = {"%nExit codes: 0 the drill passed (with --cleanup: every leftover deleted), 1 the drill failed "
                + "(a check, a phase or the teardown; with --cleanup: a leftover not deleted), 2 a call failed "
                + "before the drill could start, 64 usage error.",
                "--deadline interrupts the drill's waits; its teardown is then cut short: run --cleanup."})
final class DrillCommand extends BaseCommand {
    /** The builder's field names, and the option each comes from. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("name", "--name"),
            Map.entry("sourceCluster", "--source-cluster"), Map.entry("sourceRegion", "--source-region"),
            Map.entry("region", "--region"), Map.entry("subnetIds", "--subnets"), Map.entry("hsmType", "--hsm-type"),
            Map.entry("rtoObjective", "--rto"), Map.entry("restoreTimeout", "--restore-timeout"),
            Map.entry("hsmTimeout", "--hsm-timeout"), Map.entry("teardownTimeout", "--teardown-timeout"));

    @Option(names = "--source-cluster", paramLabel = "ID", converter = RestoreCommand.ClusterIdConverter.class,
            description = "the cluster whose newest READY backup in --region is restored (required)")
    String sourceCluster;

    @Option(names = "--source-region", paramLabel = "REGION", converter = Converters.RegionConverter.class,
            description = "the source cluster's region, to read its certificate (default: compare with the last "
                    + "passing drill in --record-file)")
    String sourceRegion;

    @Option(names = "--region", paramLabel = "REGION", converter = Converters.RegionConverter.class,
            description = "the DR region to restore in (required)")
    String region;

    @Option(names = "--subnets", paramLabel = "S1,S2", split = ",", converter = Converters.SubnetConverter.class,
            description = "1 to 10 subnets of one VPC in --region; the HSM goes into the first (required)")
    List<String> subnets;

    @Option(names = "--name", paramLabel = "NAME", description = "the drill's name, the value of its "
            + "cloudhsm-dr:drill tag (default: default)")
    String name;

    @Option(names = "--hsm-type", paramLabel = "TYPE", description = "HSM type of the drill cluster (default: the "
            + "backup's)")
    String hsmType;

    @Option(names = "--with-hsm", description = "also create an HSM and wait until it is ACTIVE (billed by the "
            + "hour until the teardown; needs --yes)")
    boolean withHsm;

    @Option(names = "--yes", description = "confirm the cost of --with-hsm")
    boolean yes;

    @Option(names = "--rto", paramLabel = "DURATION", converter = Converters.PositiveDurationConverter.class,
            defaultValue = "1h", description = "the recovery time objective the measured RTO is held against "
            + "(default: ${DEFAULT-VALUE})")
    Duration rto;

    @Option(names = "--restore-timeout", paramLabel = "DURATION",
            converter = Converters.PositiveDurationConverter.class, defaultValue = "1h",
            description = "longest wait for the restored cluster (default: ${DEFAULT-VALUE})")
    Duration restoreTimeout;

    @Option(names = "--hsm-timeout", paramLabel = "DURATION", converter = Converters.PositiveDurationConverter.class,
            defaultValue = "1h", description = "longest wait for the HSM to be ACTIVE (default: ${DEFAULT-VALUE})")
    Duration hsmTimeout;

    @Option(names = "--teardown-timeout", paramLabel = "DURATION",
            converter = Converters.PositiveDurationConverter.class, defaultValue = "1h",
            description = "longest time the teardown of one cluster may retry and wait (default: ${DEFAULT-VALUE})")
    Duration teardownTimeout;

    @Option(names = "--record-file", paramLabel = "PATH", description = "properties file where passing drills "
            + "record the certificate fingerprint, to compare with when the source region cannot be read "
            + "(default: none, kept in memory for this run)")
    Path recordFile;

    @Option(names = "--cleanup", description = "only delete the clusters earlier drills of --name left in --region")
    boolean cleanup;

    @Override
    int execute() {
        if (region == null) {
            throw usage("--region: is required, e.g. us-west-2");
        }
        if (!cleanup) {
            if (sourceCluster == null) {
                throw usage("--source-cluster: is required, e.g. cluster-2n3ulwdpxk6");
            }
            requireSubnets(subnets);
            if (withHsm && !yes) {
                throw usage("--with-hsm: creates an HSM, billed by the hour until the drill deletes it: add --yes "
                        + "to confirm");
            }
        }
        try (AwsBackupStore store = openStore()) {
            RestoreDrill drill = drill(store);
            return cleanup ? cleanup(drill) : run(drill);
        }
    }

    /** @return the drill; a value the builder rejects is a usage error naming its option */
    private RestoreDrill drill(AwsBackupStore store) {
        RestoreDrill.Builder b = RestoreDrill.builder().backupStore(store)
                .name(name == null ? "default" : name)
                // --cleanup needs no source cluster or subnets: the builder does, with values it never uses then
                .sourceCluster(sourceCluster == null ? "cluster-cleanuponly2" : sourceCluster)
                .region(region)
                .subnetIds(subnets == null ? List.of("subnet-00000000") : subnets)
                .withHsm(withHsm).rtoObjective(rto).restoreTimeout(restoreTimeout).hsmTimeout(hsmTimeout)
                .teardownTimeout(teardownTimeout)
                .clock(context().clock()).sleeper(context().sleeper());
        if (sourceRegion != null) {
            b.sourceRegion(sourceRegion);
        }
        if (hsmType != null) {
            b.hsmType(hsmType);
        }
        if (recordFile != null) {
            b.recordStore(DrillRecordStore.propertiesFile(recordFile));
        }
        if (progress() != null) {
            b.listener(new DrillListener() {
                @Override
                public void onPhase(String drillId, DrillTimeline.Phase phase, Duration sinceRequest) {
                    progress().line("drill " + drillId + ": " + phase + " +" + Text.duration(sinceRequest));
                }

                @Override
                public void onCheck(String drillId, DrillCheck check) {
                    progress().line("drill " + drillId + ": " + check.status() + " " + check.name());
                }
            });
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw usage(e, OPTIONS);
        }
    }

    private int run(RestoreDrill drill) {
        if (withHsm) {
            note("--with-hsm: the drill creates an HSM in " + region + "; it is billed by the hour until the "
                    + "teardown deletes it");
        }
        DrillReport report = drill.run();
        boolean pass = report.status() == DrillStatus.PASS;
        result(pass ? "SUCCESS" : "FAILED", doc -> report(doc, report), report.describe());
        return pass ? ExitCodes.OK : ExitCodes.WARN;
    }

    private int cleanup(RestoreDrill drill) {
        List<Teardown> done = drill.cleanup();
        boolean complete = done.stream().allMatch(Teardown::completed);
        StringBuilder text = new StringBuilder();
        text.append("Clean-up of drill '").append(drill.name()).append("' in ").append(region).append(": ")
                .append(done.isEmpty() ? "no leftovers" : done.size() + " leftover" + (done.size() == 1 ? "" : "s"))
                .append('\n');
        done.forEach(t -> text.append("  ").append(t.describe()).append('\n'));
        result(complete ? "SUCCESS" : "FAILED", doc -> {
            doc.put("mode", "CLEANUP");
            doc.put("name", drill.name());
            doc.put("region", region);
            teardowns(doc, "teardowns", done);
        }, text.toString());
        return complete ? ExitCodes.OK : ExitCodes.WARN;
    }

    private static void report(ObjectNode doc, DrillReport r) {
        doc.put("mode", "DRILL");
        doc.put("verdict", r.status().name());
        doc.put("drillId", r.drillId());
        doc.put("name", r.name());
        doc.put("sourceClusterId", r.sourceClusterId());
        doc.put("sourceRegion", r.sourceRegion());
        doc.put("region", r.region());
        doc.put("withHsm", r.withHsm());
        if (r.backup() == null) {
            doc.putNull("backup");
        } else {
            ObjectNode b = doc.putObject("backup");
            b.put("backupId", r.backup().backupId());
            Json.instant(b, "createdAt", r.backup().createTimestamp());
        }
        Json.duration(doc, "backupAge", r.backupAge());
        doc.put("clusterId", r.clusterId());
        doc.put("hsmId", r.hsmId());
        ObjectNode t = doc.putObject("timeline");
        Json.instant(t, "requestedAt", r.timeline().requestedAt());
        Json.instant(t, "restoredAt", r.timeline().restoredAt());
        Json.instant(t, "hsmActiveAt", r.timeline().hsmActiveAt());
        Json.instant(t, "tornDownAt", r.timeline().tornDownAt());
        Json.duration(doc, "rto", r.rto());
        Json.duration(doc, "rtoObjective", r.rtoObjective());
        doc.put("rtoIncludesHsm", r.rtoIncludesHsm());
        ArrayNode checks = doc.putArray("checks");
        for (DrillCheck c : r.checks()) {
            ObjectNode o = checks.addObject();
            o.put("name", c.name().name());
            o.put("status", c.status().name());
            o.put("detail", c.detail());
        }
        if (r.teardown() == null) {
            doc.putNull("teardown");
        } else {
            teardown(doc.putObject("teardown"), r.teardown());
        }
        teardowns(doc, "leftovers", r.leftovers());
        Json.strings(doc, "problems", r.problems());
    }

    private static void teardowns(ObjectNode doc, String key, Collection<Teardown> teardowns) {
        ArrayNode a = doc.putArray(key);
        teardowns.forEach(t -> teardown(a.addObject(), t));
    }

    private static void teardown(ObjectNode o, Teardown t) {
        o.put("region", t.region());
        o.put("clusterId", t.clusterId());
        o.put("drillId", t.drillId());
        Json.strings(o, "hsmsDeleted", t.hsmsDeleted());
        o.put("completed", t.completed());
        Json.strings(o, "problems", t.problems());
    }
}
