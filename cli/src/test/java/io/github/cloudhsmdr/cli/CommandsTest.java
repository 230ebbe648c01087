package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandsTest {
    private final DemoCli cli = new DemoCli();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        cli.close();
    }

    // ------------------------------------------------------------------------------------------ plan

    @Test
    void planListsTheCopiesToStartWithTheirDatesAndChangesNothing() {
        int code = cli.run(cli.replicator("plan"));

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("28 copies to start"), cli.out);
        assertTrue(cli.out.matches("(?s).*    COPY backup-\\w+ \\(2026-11-2\\dT\\d\\d:\\d\\d:\\d\\dZ, age \\d+d \\d+h.*"),
                cli.out);
        assertFalse(cli.out.matches("(?s).*\\.\\d{3,}.*"), "no fractions of seconds for people: " + cli.out);
        assertEquals(0, cli.copiesIn("us-west-2").size());
        assertEquals("", cli.err, "no logs or progress when stderr is no terminal");
    }

    @Test
    void planJsonFollowsItsSchema() {
        JsonNode doc = cli.runJson(cli.replicator("plan", "--json", "--keep-last", "3"));

        assertEquals("plan", doc.get("command").asText());
        assertEquals("SUCCESS", doc.get("status").asText());
        assertEquals(1, doc.get("schemaVersion").asInt());
        assertEquals(12, doc.get("copyCount").asInt(), "with --keep-last 3 only the 3 newest per pair are copied");
        JsonNode item = doc.get("pairs").get(0).get("items").get(0);
        assertEquals("COPY", item.get("action").asText());
        assertTrue(item.get("createdAt").isTextual());
        assertTrue(item.get("ageSeconds").isIntegralNumber());
        assertTrue(item.get("existingCopyId").isNull(), "nulls are written, not left out");
    }

    // ------------------------------------------------------------------------------------------ replicate

    @Test
    void replicateCopiesEveryBackupOfTheWindowAndWaitsUntilReady() {
        int code = cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.startsWith("Replicator 'cli-test' from us-east-1: SUCCESS in "), cli.out);
        assertTrue(cli.out.contains("copied 28,"), cli.out);
        assertEquals(14, cli.copiesIn("us-west-2", BackupState.READY));
        assertEquals(14, cli.copiesIn("eu-west-1", BackupState.READY));
        assertTrue(cli.copiesIn("us-west-2").stream()
                .allMatch(b -> "cli-test".equals(b.tags().get(CopyTags.OWNER))));
    }

    @Test
    void secondReplicateCopiesNothing() {
        assertEquals(ExitCodes.OK, cli.run(cli.replicator("replicate")));

        int code = cli.run(cli.replicator("replicate"));

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("copied 0,"), cli.out);
        assertEquals(14, cli.copiesIn("us-west-2").size());
    }

    @Test
    void latestCopiesOnlyTheNewestBackupOfEachClusterWithTheExtraTags() {
        int code = cli.run("replicate", "--source-region", "us-east-1", "--destination-regions", "us-west-2",
                "--latest", "--copy-tags", "team=payments,env=dr", "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.OK, code, cli.err);
        List<Backup> copies = cli.copiesIn("us-west-2");
        assertEquals(2, copies.size());
        assertTrue(copies.stream().allMatch(b -> "dr".equals(b.tags().get("env"))), copies.toString());
    }

    @Test
    void replicateJsonFollowsItsSchema() {
        JsonNode doc = cli.runJson(cli.replicator("replicate", "--wait-for-ready", "30m", "--clusters",
                cli.cluster(1), "--json"));

        assertEquals("SUCCESS", doc.get("status").asText());
        assertEquals(14, doc.get("counts").get("copied").asInt());
        assertEquals(2, doc.get("pairs").size());
        JsonNode item = doc.get("pairs").get(0).get("items").get(0);
        assertEquals("COPIED", item.get("action").asText());
        assertEquals("READY", item.get("destinationState").asText());
        assertTrue(doc.get("durationSeconds").asLong() >= 0);
        assertTrue(doc.get("duration").asText().startsWith("PT"));
    }

    @Test
    void partialRunExitsWithOne() {
        cli.emulator.faults().error("DescribeBackups", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        int code = cli.run(cli.replicator("replicate"));

        assertEquals(ExitCodes.WARN, code, cli.out);
        assertTrue(cli.out.contains(": PARTIAL in"), cli.out);
        assertEquals(14, cli.copiesIn("us-west-2").size());
    }

    @Test
    void failedRunExitsWithTwo() {
        cli.emulator.faults().error("DescribeClusters", "us-east-1", 1.0, "CloudHsmAccessDeniedException");

        int code = cli.run(cli.replicator("replicate"));

        assertEquals(ExitCodes.FAILED, code, cli.out);
        assertTrue(cli.out.contains(": FAILED in"), cli.out);
        assertTrue(cli.out.contains("ACCESS_DENIED"), cli.out);
    }

    @Test
    void waitingForReadyPassesOnlyVirtualTimeAndShowsProgressWithElapsedTime() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "2h", "--progress", "always"));

        Duration passed = Duration.between(Instant.parse(DemoCli.START), cli.clock.instant());
        assertTrue(passed.compareTo(Duration.ofMinutes(10)) >= 0, passed.toString());
        assertTrue(cli.copiesIn("eu-west-1").stream().allMatch(b -> b.state() == BackupState.READY));
        assertTrue(cli.err.contains("] listed backups: 4 pairs, 28 copies to start"), cli.err);
        assertTrue(cli.err.contains("] copy started: backup-"), cli.err);
        assertTrue(cli.err.contains("] copy located: backup-"), cli.err);
        assertTrue(cli.err.matches("(?s).*\\[\\d+m( \\d+s)?] waiting \\d+[ms][^,]* for copies to turn READY, \\d+m( \\d+s)? since "
                + "the first copy started.*"), cli.err);
        assertFalse(cli.out.contains("] copy started:"), "progress stays off stdout");
    }

    @Test
    void retriesShowAsRetriesNotAsWaitsForReady() {
        cli.emulator.faults().throttle("DescribeBackups", "eu-west-1", 1.0);

        cli.run(cli.replicator("plan", "--progress", "always"));

        assertTrue(cli.err.contains("] retrying DescribeBackups in eu-west-1 in "), cli.err);
        assertTrue(cli.err.contains(" after THROTTLING"), cli.err);
        assertFalse(cli.err.contains("for copies to turn READY"), cli.err);

        cli.run(cli.replicator("plan", "-v"));

        assertTrue(cli.err.contains("] retry 1 of DescribeBackups in eu-west-1 after THROTTLING"), cli.err);
        assertFalse(cli.err.contains("] retrying "), "verbose reports each retry once: " + cli.err);
    }

    @Test
    void concurrencyOptionsReachTheReplicator() {
        int code = cli.run(cli.replicator("plan", "-v", "--max-concurrent-destinations", "1",
                "--max-concurrent-calls-per-region", "3"));

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.err.contains("] replicator cli-test: max-concurrent-destinations 1, "
                + "max-concurrent-calls-per-region 3\n"), cli.err);
        assertTrue(cli.out.contains("28 copies to start"), cli.out);
    }

    @Test
    void concurrencyLimitsComeFromTheEnvironmentOrTheLibrarysDefaults() {
        cli.environment.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "12");

        assertEquals(ExitCodes.OK, cli.run(cli.replicator("replicate", "-v")), cli.err);

        assertTrue(cli.err.contains("] replicator cli-test: max-concurrent-destinations "
                + ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.defaultText() + ", max-concurrent-calls-per-region 12"),
                cli.err);
        assertEquals(14, cli.copiesIn("us-west-2").size());
    }

    @Test
    void concurrencyLimitsAreNotedOnlyWhenVerbose() {
        assertEquals(ExitCodes.OK, cli.run(cli.replicator("plan", "--progress", "always",
                "--max-concurrent-destinations", "2")), cli.err);

        assertTrue(cli.err.contains("listed backups"), cli.err);
        assertFalse(cli.err.contains("max-concurrent-destinations"), cli.err);
    }

    @Test
    void progressIsShownOnATerminalAndNotWithQuiet() {
        cli.terminal = true;
        cli.run(cli.replicator("plan"));
        assertTrue(cli.err.contains("listed backups"), cli.err);

        int code = cli.run(cli.replicator("plan", "--quiet"));
        assertEquals(ExitCodes.OK, code);
        assertEquals("", cli.err);
        assertEquals("", cli.out);
    }

    @Test
    void deadlineCapsTheWaitForReady() {
        int code = cli.run(cli.replicator("replicate", "--wait-for-ready", "2h", "--deadline", "1m"));

        Duration passed = Duration.between(Instant.parse(DemoCli.START), cli.clock.instant());
        assertTrue(passed.compareTo(Duration.ofMinutes(10)) < 0, "the engine may overshoot the capped wait by "
                + "one poll interval, not wait the 2h asked for: " + passed);
        assertTrue(cli.err.contains("waiting at most 1m for READY, the --deadline"), cli.err);
        assertTrue(code == ExitCodes.OK || code == ExitCodes.WARN, cli.out);
    }

    @Test
    void retentionDeletesTheOlderCopiesThisReplicatorMadeAndUndoRestoresThem() throws Exception {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        int planned = cli.run(cli.replicator("plan", "--keep-last", "3"));
        assertEquals(ExitCodes.OK, planned, cli.err);
        assertTrue(cli.out.contains("0 copies to start, 16 copies retention would delete"), cli.out);

        JsonNode report = cli.runJson(cli.replicator("replicate", "--keep-last", "3", "--json"));
        assertEquals(16, report.get("counts").get("deleted").asInt());
        assertEquals(8, cli.copiesIn("us-west-2", BackupState.PENDING_DELETION));
        Path saved = Files.writeString(dir.resolve("run.json"), cli.out);

        int code = cli.run("undo", saved.toString(), "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.OK, code, cli.out + cli.err);
        assertTrue(cli.out.contains("restored 16 of 16"), cli.out);
        assertEquals(0, cli.copiesIn("us-west-2", BackupState.PENDING_DELETION));
        assertEquals(14, cli.copiesIn("us-west-2", BackupState.READY));

        JsonNode again = cli.runJson("undo", saved.toString(), "--endpoint-url", cli.endpoint(), "--json");
        assertEquals("undo", again.get("command").asText());
        assertEquals(16, again.get("items").size());
    }

    @Test
    void undoOfAReportWithoutDeletionsDoesNothing() throws Exception {
        cli.run(cli.replicator("replicate", "--json"));
        Path saved = Files.writeString(dir.resolve("run.json"), cli.out);
        int before = cli.emulator.requestLog().requests().size();

        int code = cli.run("undo", saved.toString(), "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("Nothing to undo"), cli.out);
        assertEquals(before, cli.emulator.requestLog().requests().size());
    }

    // ------------------------------------------------------------------------------------------ adopt

    @Test
    void adoptListsCopiesWithoutTheOwnershipTagAndTagsThemOnlyWithYes() {
        cli.emulator.faults().dropCopyTags("us-west-2", 1.0);
        assertEquals(ExitCodes.WARN, cli.run(cli.replicator("replicate")), cli.err + cli.out);
        long untagged = cli.copiesIn("us-west-2").stream().filter(b -> b.tags().get(CopyTags.OWNER) == null).count();
        assertEquals(14, untagged, "the service dropped the TagList of every copy into us-west-2");

        assertEquals(ExitCodes.OK, cli.run(cli.replicator("adopt")), cli.err);
        assertTrue(cli.out.startsWith("14 copies of replicator 'cli-test''s source backups lack its ownership tag"),
                cli.out);
        assertTrue(cli.out.contains("Run again with --yes"), cli.out);
        assertEquals(14, cli.copiesIn("us-west-2").stream().filter(b -> b.tags().get(CopyTags.OWNER) == null).count(),
                "listing changes nothing");

        JsonNode doc = cli.runJson(cli.replicator("adopt", "--yes", "--json"));
        assertEquals("adopt", doc.get("command").asText());
        assertEquals("SUCCESS", doc.get("status").asText(), doc.toString());
        assertEquals(14, doc.get("adopted").asInt());
        assertTrue(doc.get("applied").asBoolean());
        assertTrue(cli.copiesIn("us-west-2").stream().allMatch(b -> "cli-test".equals(b.tags().get(CopyTags.OWNER))));

        assertEquals(ExitCodes.OK, cli.run(cli.replicator("adopt")), cli.err);
        assertTrue(cli.out.startsWith("Nothing to adopt"), cli.out);
    }

    // ------------------------------------------------------------------------------------------ rpo

    @Test
    void rpoIsMissingBeforeReplicationAndSaysWhenCopiesAreInProgress() {
        assertEquals(ExitCodes.FAILED, cli.run(cli.replicator("rpo")), cli.out);
        assertTrue(cli.out.contains("MISSING, no copy in progress"), cli.out);

        cli.run(cli.replicator("replicate"));
        assertEquals(ExitCodes.FAILED, cli.run(cli.replicator("rpo")), cli.out);
        assertTrue(cli.out.contains("MISSING, 7 copies in progress"), cli.out);

        cli.clock.advance(Duration.ofHours(1));
        assertEquals(ExitCodes.OK, cli.run(cli.replicator("rpo")), cli.out);
        assertTrue(cli.out.contains("): OK"), cli.out);
    }

    @Test
    void rpoJsonIsWarnWhenTheNewestCopyIsOlderThanTheWarningAge() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        int code = cli.run(cli.replicator("rpo", "--rpo-warn", "20h", "--rpo-critical", "2d", "--json"));

        assertEquals(ExitCodes.WARN, code, cli.out);
        JsonNode doc = Schemas.validated(cli.out);
        assertEquals("WARN", doc.get("status").asText());
        assertEquals(72_000, doc.get("warnAfterSeconds").asLong());
        assertEquals("PT20H", doc.get("warnAfter").asText());
    }

    // ------------------------------------------------------------------------------------------ status

    @Test
    void statusShowsEachCopyWithStateAgeOwnerAndVerdict() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        int code = cli.run(cli.replicator("status", "--keep-last", "3"));

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("us-west-2: 14 copies"), cli.out);
        assertTrue(cli.out.matches("(?s).*backup-\\w+ READY copy of backup-\\w+ \\(cluster-\\w+\\), 2026-.*Z, age "
                + "\\d+d \\d+h \\d+m, owner cli-test, DELETE: .*"), cli.out);
        assertTrue(cli.out.contains(", KEEP: "), cli.out);
    }

    @Test
    void statusJsonFollowsItsSchema() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        JsonNode doc = cli.runJson(cli.replicator("status", "--json"));

        assertEquals("SUCCESS", doc.get("status").asText());
        JsonNode copy = doc.get("regions").get(0).get("copies").get(0);
        assertEquals("cli-test", copy.get("owner").asText());
        assertTrue(copy.get("ours").asBoolean());
        assertEquals("KEEP", copy.get("verdict").asText());
        assertEquals("no retention policy: every copy is kept", copy.get("reasons").get(0).asText());
        assertTrue(doc.get("retentionPolicy").isNull());
    }

    // ------------------------------------------------------------------------------------------ restore

    @Test
    void restoreCreatesAClusterFromTheNewestCopyAndIsIdempotent() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));
        String lost = cli.cluster(0);
        Backup newest = cli.copiesIn("us-west-2").stream().filter(b -> lost.equals(b.sourceCluster()))
                .max(Comparator.comparing(Backup::createTimestamp)).orElseThrow();
        String[] restore = {"restore", "--region", "us-west-2", "--cluster", lost, "--subnets",
                "subnet-0a1b2c3d,subnet-4e5f6a7b", "--endpoint-url", cli.endpoint()};

        int code = cli.run(restore);

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("Restore started in us-west-2"), cli.out);
        assertTrue(cli.out.contains("from backup " + newest.backupId()), cli.out);
        assertTrue(cli.out.contains("Next steps:"), cli.out);
        List<Cluster> created = cli.clustersIn("us-west-2");
        assertEquals(1, created.size());
        assertEquals(newest.backupId(), created.get(0).sourceBackupId());
        assertTrue(created.get(0).tags().get(RestoreCommand.TOKEN_TAG).startsWith("rt-"));

        assertEquals(ExitCodes.OK, cli.run(restore));
        assertTrue(cli.out.contains("Already restored in us-west-2: cluster " + created.get(0).clusterId()), cli.out);
        assertEquals(1, cli.clustersIn("us-west-2").size(), "the same restore again creates nothing");

        JsonNode forced = cli.runJson(append(restore, "--force", "--json"));
        assertEquals("CREATED", forced.get("outcome").asText());
        assertEquals(2, cli.clustersIn("us-west-2").size());
    }

    @Test
    void restoreDryRunCreatesNothing() {
        cli.run(cli.replicator("replicate", "--wait-for-ready", "30m"));

        JsonNode doc = cli.runJson("restore", "--region", "us-west-2", "--cluster", cli.cluster(0), "--subnets",
                "subnet-0a1b2c3d", "--dry-run", "--json", "--endpoint-url", cli.endpoint());

        assertEquals("DRY_RUN", doc.get("outcome").asText());
        assertTrue(doc.get("cluster").isNull());
        assertTrue(doc.get("backup").get("backupId").asText().startsWith("backup-"));
        assertEquals(0, cli.clustersIn("us-west-2").size());
    }

    @Test
    void restoreFailsWhenTheRegionHoldsNoReadyBackupOfTheCluster() {
        int code = cli.run("restore", "--region", "eu-west-1", "--cluster", cli.cluster(0), "--subnets",
                "subnet-0a1b2c3d", "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.FAILED, code);
        assertTrue(cli.err.contains("cloudhsm-dr restore failed: no READY backup of " + cli.cluster(0)
                + " in eu-west-1"), cli.err);
    }

    @Test
    void aFailedCommandWritesAFailedDocumentWithJson() {
        cli.run("restore", "--region", "eu-west-1", "--cluster", cli.cluster(0), "--subnets",
                "subnet-0a1b2c3d", "--endpoint-url", cli.endpoint(), "--json");

        JsonNode doc = Schemas.validated(cli.out);
        assertEquals("FAILED", doc.get("status").asText());
        assertTrue(doc.get("error").asText().startsWith("no READY backup"), doc.toString());
    }

    // ------------------------------------------------------------------------------------------ defaults

    @Test
    void optionsDefaultToEnvironmentVariables() {
        cli.environment.put("CLOUDHSM_DR_SOURCE_REGION", "us-east-1");
        cli.environment.put("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2");
        cli.environment.put("CLOUDHSM_DR_LOOK_BACK", "latest");
        cli.environment.put("CLOUDHSM_DR_ENDPOINT_URL", cli.endpoint());

        int code = cli.run("plan");

        assertEquals(ExitCodes.OK, code, cli.err);
        assertTrue(cli.out.contains("2 copies to start"), cli.out);
    }

    @Test
    void optionsDefaultToTheConfigFileAndTheCommandLineWins() throws Exception {
        Path config = Files.writeString(dir.resolve("dr.properties"), "source-region=us-east-1\n"
                + "destination-regions=us-west-2,eu-west-1\nlook-back=latest\nendpoint-url=" + cli.endpoint() + "\n");
        cli.environment.put("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2");

        assertEquals(ExitCodes.OK, cli.run("plan", "--config", config.toString()), cli.err);
        assertTrue(cli.out.contains("2 copies to start"), "the environment wins over the file: " + cli.out);

        assertEquals(ExitCodes.OK, cli.run("plan", "--config", config.toString(), "--destination-regions",
                "eu-west-1,us-west-1"), cli.err);
        assertTrue(cli.out.contains("4 copies to start"), "the command line wins: " + cli.out);
    }

    @Test
    void versionComesFromTheBuild() {
        assertEquals(ExitCodes.OK, cli.run("--version"));

        assertTrue(cli.out.startsWith("cloudhsm-dr " + System.getProperty("project.version", "0.")), cli.out);
        assertFalse(cli.out.contains("${"), cli.out);
    }

    @Test
    void helpListsTheCommandsEnvironmentAndExitCodes() {
        assertEquals(ExitCodes.OK, cli.run("--help"));
        assertTrue(cli.out.contains("replicate") && cli.out.contains("restore") && cli.out.contains("status")
                && cli.out.contains("CLOUDHSM_DR_LOOK_BACK") && cli.out.contains("64  usage error"), cli.out);

        assertEquals(ExitCodes.OK, cli.run("restore", "--help"));
        assertTrue(cli.out.contains("--subnets=S1,S2") && !cli.out.contains("--look-back"), cli.out);

        assertEquals(ExitCodes.OK, cli.run("help", "plan"));
        assertTrue(cli.out.contains("--keep-last=N"), cli.out);
    }

    @Test
    void helpStatesTheLibrarysConcurrencyDefaults() {
        assertEquals(ExitCodes.OK, cli.run("replicate", "--help"));
        String help = cli.out.replaceAll("\\s+", " ");

        assertTrue(help.contains("--max-concurrent-destinations=N destination regions worked on at once, 1 to 64 "
                + "(default: " + ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.defaultText() + ")"), help);
        assertTrue(help.contains("--max-concurrent-calls-per-region=N most calls sent to one region at once, 1 to 16 "
                + "(default: " + ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.defaultText() + ")"), help);
    }

    @Test
    void logLevelFollowsQuietAndVerbose() {
        assertEquals("warn", CloudHsmDr.logLevel(new String[] {"plan"}));
        assertEquals("info", CloudHsmDr.logLevel(new String[] {"plan", "-v"}));
        assertEquals("debug", CloudHsmDr.logLevel(new String[] {"plan", "-vv"}));
        assertEquals("debug", CloudHsmDr.logLevel(new String[] {"--verbose", "plan", "-v"}));
        assertEquals("error", CloudHsmDr.logLevel(new String[] {"plan", "-v", "--quiet"}));
        assertEquals("warn", CloudHsmDr.logLevel(new String[] {"undo", "--", "-v"}));
    }

    private static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
