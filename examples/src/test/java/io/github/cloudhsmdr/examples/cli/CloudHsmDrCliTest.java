package io.github.cloudhsmdr.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudhsmdr.examples.support.DemoEmulator;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudHsmDrCliTest {
    private final DemoEmulator demo = DemoEmulator.onVirtualClock();
    private final CloudHsmDrCli cli = new CloudHsmDrCli(demo.clock(), demo.clock()::advance);

    private String out = "";
    private String err = "";

    @AfterEach
    void stop() {
        demo.close();
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = cli.run(args, po, pe);
        }
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** The replicator options every test uses, plus {@code more}. */
    private String[] replicator(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--source-region", "us-east-1",
                "--destination-regions", "us-west-2,eu-west-1", "--look-back", "7d", "--name", "cli-test",
                "--endpoint", demo.endpoint()));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    // ------------------------------------------------------------------------------------------ happy paths

    @Test
    void planListsTheCopiesToStartAndChangesNothing() {
        int code = run(replicator("plan"));

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        assertTrue(out.contains("28 copies to start"), out);
        assertTrue(out.contains("COPY backup-"), out);
        assertEquals(0, demo.copiesIn("us-west-2").size());
        assertEquals(0, demo.copiesIn("eu-west-1").size());
    }

    @Test
    void replicateCopiesEveryBackupOfTheWindowAndWaitsUntilReady() {
        int code = run(replicator("replicate", "--wait-for-ready", "30m"));

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        assertTrue(out.contains("status=SUCCESS"), out);
        assertTrue(out.contains("copied=28"), out);
        assertEquals(14, demo.readyCopiesIn("us-west-2"));
        assertEquals(14, demo.readyCopiesIn("eu-west-1"));
        assertTrue(demo.copiesIn("us-west-2").stream()
                .allMatch(b -> "cli-test".equals(b.tags().get("cloudhsm-dr:replicator"))));
    }

    @Test
    void secondReplicateCopiesNothing() {
        assertEquals(CloudHsmDrCli.EXIT_OK, run(replicator("replicate")));

        int code = run(replicator("replicate"));

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        assertTrue(out.contains("copied=0"), out);
        assertEquals(14, demo.copiesIn("us-west-2").size());
    }

    @Test
    void latestCopiesOnlyTheNewestBackupOfEachCluster() {
        int code = run("replicate", "--source-region", "us-east-1", "--destination-regions", "us-west-2",
                "--latest", "--copy-tags", "team=payments,env=dr", "--endpoint", demo.endpoint());

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        List<Backup> copies = demo.copiesIn("us-west-2");
        assertEquals(2, copies.size());
        assertTrue(copies.stream().allMatch(b -> "dr".equals(b.tags().get("env"))), copies.toString());
    }

    @Test
    void replicateWithJsonPrintsTheReportAsJson() throws Exception {
        int code = run(replicator("replicate", "--wait-for-ready", "30m", "--clusters", demo.cluster(1), "--json"));

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        JsonNode report = new ObjectMapper().readTree(out);
        assertEquals("SUCCESS", report.get("status").asText());
        assertEquals(14, report.get("counts").get("copied").asInt());
        assertEquals(2, report.get("pairs").size());
        JsonNode item = report.get("pairs").get(0).get("items").get(0);
        assertEquals("COPIED", item.get("action").asText());
        assertEquals("READY", item.get("destinationState").asText());
        assertEquals(0, report.get("failures").size());
    }

    @Test
    void rpoIsMissingBeforeReplicationAndOkAfterIt() {
        int before = run(replicator("rpo"));
        assertEquals(CloudHsmDrCli.EXIT_FAILED, before, out);
        assertTrue(out.contains("MISSING"), out);

        run(replicator("replicate", "--wait-for-ready", "30m"));
        int after = run(replicator("rpo"));

        assertEquals(CloudHsmDrCli.EXIT_OK, after, out);
        assertTrue(out.contains("): OK"), out);
    }

    @Test
    void rpoIsWarnWhenTheNewestCopyIsOlderThanTheWarningAge() {
        run(replicator("replicate", "--wait-for-ready", "30m"));

        int code = run(replicator("rpo", "--rpo-warn", "20h", "--rpo-critical", "2d", "--json"));

        assertEquals(CloudHsmDrCli.EXIT_WARN, code, out);
        assertTrue(out.contains("\"worst\": \"WARN\""), out);
    }

    @Test
    void restoreCreatesAClusterFromTheNewestCopyInTheRegion() {
        run(replicator("replicate", "--wait-for-ready", "30m"));
        String lost = demo.cluster(0);
        Backup newest = demo.copiesIn("us-west-2").stream().filter(b -> lost.equals(b.sourceCluster()))
                .max(Comparator.comparing(Backup::createTimestamp)).orElseThrow();

        int code = run("restore", "--region", "us-west-2", "--cluster", lost, "--subnets", "subnet-0a1b,subnet-2c3d",
                "--endpoint", demo.endpoint());

        assertEquals(CloudHsmDrCli.EXIT_OK, code, err);
        assertTrue(out.contains("Restore started in us-west-2"), out);
        assertTrue(out.contains("from backup " + newest.backupId()), out);
        assertTrue(out.contains("Next steps:"), out);
        List<Cluster> created = demo.emulator().model()
                .describeClusters("us-west-2", Set.of(), null, null).clusters();
        assertEquals(1, created.size());
        assertEquals(newest.backupId(), created.get(0).sourceBackupId());
    }

    @Test
    void restoreFailsWhenTheRegionHoldsNoReadyBackupOfTheCluster() {
        int code = run("restore", "--region", "eu-west-1", "--cluster", demo.cluster(0), "--subnets", "subnet-0a1b",
                "--endpoint", demo.endpoint());

        assertEquals(CloudHsmDrCli.EXIT_FAILED, code);
        assertTrue(err.contains("no READY backup of " + demo.cluster(0) + " in eu-west-1"), err);
    }

    @Test
    void partialRunExitsWithOne() {
        demo.emulator().faults().error("DescribeBackups", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        int code = run(replicator("replicate"));

        assertEquals(CloudHsmDrCli.EXIT_WARN, code, out);
        assertTrue(out.contains("status=PARTIAL"), out);
        assertEquals(14, demo.copiesIn("us-west-2").size());
    }

    @Test
    void failedRunExitsWithTwo() {
        demo.emulator().faults().error("DescribeClusters", "us-east-1", 1.0, "CloudHsmAccessDeniedException");

        int code = run(replicator("replicate"));

        assertEquals(CloudHsmDrCli.EXIT_FAILED, code, out);
        assertTrue(out.contains("status=FAILED"), out);
        assertTrue(out.contains("ACCESS_DENIED"), out);
    }

    @Test
    void waitingForReadyPassesOnlyVirtualTime() {
        run(replicator("replicate", "--wait-for-ready", "2h"));

        Duration passed = Duration.between(java.time.Instant.parse(DemoEmulator.START), demo.clock().instant());
        assertTrue(passed.compareTo(Duration.ofMinutes(10)) >= 0, passed.toString());
        assertTrue(demo.copiesIn("eu-west-1").stream().allMatch(b -> b.state() == BackupState.READY));
    }

    @Test
    void retentionDeletesTheOlderCopiesThisReplicatorMade() {
        run(replicator("replicate", "--wait-for-ready", "30m"));

        int planned = run(replicator("plan", "--keep-last", "3"));
        assertEquals(CloudHsmDrCli.EXIT_OK, planned, err);
        assertTrue(out.contains("0 copies to start, 16 copies retention would delete"), out);
        assertEquals(0, demo.copiesIn("us-west-2").stream().filter(b -> b.state() == BackupState.PENDING_DELETION)
                .count());

        int code = run(replicator("replicate", "--keep-last", "3"));

        assertEquals(CloudHsmDrCli.EXIT_OK, code, out + err);
        assertTrue(out.contains("deleted=16"), out);
        assertEquals(8, demo.copiesIn("us-west-2").stream().filter(b -> b.state() == BackupState.PENDING_DELETION)
                .count());
        assertEquals(6, demo.readyCopiesIn("us-west-2"));
    }

    // ------------------------------------------------------------------------------------------ usage

    @Test
    void badRetentionCountNamesTheOption() {
        assertUsageError("--keep-daily: 'seven' is not a count", run(replicator("plan", "--keep-daily", "seven")));
        assertUsageError("--keep-daily: '-1' is not a count", run(replicator("plan", "--keep-daily", "-1")));
    }

    @Test
    void retentionThatKeepsNothingIsRejected() {
        assertUsageError("--keep-last: every keep setting given is 0",
                run(replicator("replicate", "--keep-last", "0", "--keep-within", "0")));
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        assertEquals(CloudHsmDrCli.EXIT_OK, run("--help"));
        assertTrue(out.contains("replicate") && out.contains("restore") && out.contains("64 usage error"), out);

        assertEquals(CloudHsmDrCli.EXIT_OK, run("restore", "--help"));
        assertTrue(out.contains("--subnets S1,S2") && !out.contains("--look-back"), out);
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertUsageError("no command given", run());
    }

    @Test
    void unknownCommandIsNamed() {
        assertUsageError("unknown command 'replicat'", run("replicat"));
    }

    @Test
    void unknownOptionIsNamed() {
        assertUsageError("unknown option '--destination' for replicate", run("replicate", "--destination", "x"));
    }

    @Test
    void optionOfAnotherCommandIsNamed() {
        assertUsageError("option --subnets does not apply to plan", run(replicator("plan", "--subnets", "subnet-1")));
    }

    @Test
    void missingValueIsNamed() {
        assertUsageError("--wait-for-ready needs a value", run(replicator("replicate", "--wait-for-ready")));
    }

    @Test
    void optionGivenTwiceIsNamed() {
        assertUsageError("--look-back is given twice", run(replicator("plan", "--look-back", "3d")));
    }

    @Test
    void badDurationNamesTheOptionAndTheValue() {
        assertUsageError("--wait-for-ready: '30x' is not a duration",
                run(replicator("replicate", "--wait-for-ready", "30x")));
    }

    @Test
    void zeroLookBackIsRejected() {
        assertUsageError("--look-back: '0' is zero", run("plan", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2", "--look-back", "0", "--endpoint", demo.endpoint()));
    }

    @Test
    void latestAndLookBackTogetherAreRejected() {
        assertUsageError("--latest and --look-back 7d contradict each other", run(replicator("plan", "--latest")));
    }

    @Test
    void missingDestinationRegionsIsNamed() {
        assertUsageError("--destination-regions: is required", run("plan", "--source-region", "us-east-1"));
    }

    @Test
    void missingSourceRegionIsNamed() {
        assertUsageError("--source-region: is required", run("plan", "--destination-regions", "us-west-2"));
    }

    @Test
    void unknownRegionNamesTheOptionAndTheValue() {
        assertUsageError("--destination-regions: destinationRegions contains 'us-nowhere-1'",
                run("plan", "--source-region", "us-east-1", "--destination-regions", "us-west-2,us-nowhere-1"));
    }

    @Test
    void sourceRegionAsDestinationIsRejected() {
        assertUsageError("--destination-regions: destinationRegions contains the source region 'us-east-1'",
                run("plan", "--source-region", "us-east-1", "--destination-regions", "us-east-1"));
    }

    @Test
    void badClusterIdNamesTheOption() {
        assertUsageError("--clusters: clusterIds contains 'cluster-1'",
                run(replicator("plan", "--clusters", "cluster-1")));
    }

    @Test
    void badNameNamesTheOption() {
        assertUsageError("--name: name 'my replicator' is not allowed", run("plan", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2", "--name", "my replicator"));
    }

    @Test
    void badEndpointNamesTheOption() {
        assertUsageError("--endpoint: 'ftp://127.0.0.1' is not an http(s) URL",
                run("rpo", "--source-region", "us-east-1", "--destination-regions", "us-west-2",
                        "--endpoint", "ftp://127.0.0.1"));
    }

    @Test
    void restoreWithoutSubnetsIsAUsageError() {
        assertUsageError("--subnets: is required", run("restore", "--region", "us-west-2", "--cluster", demo.cluster(0)));
    }

    @Test
    void restoreWithBadClusterIdNamesTheOption() {
        assertUsageError("--cluster: sourceClusterId 'prod' is not a cluster id",
                run("restore", "--region", "us-west-2", "--cluster", "prod", "--subnets", "subnet-1"));
    }

    @Test
    void restoreWithElevenSubnetsNamesTheOption() {
        String subnets = String.join(",", java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "subnet-" + i)
                .toList());
        assertUsageError("--subnets: subnetIds has 11 entries", run("restore", "--region", "us-west-2",
                "--cluster", demo.cluster(0), "--subnets", subnets));
    }

    @Test
    void usageErrorsTouchNothing() {
        run(replicator("replicate", "--wait-for-ready", "soon"));

        assertEquals(0, demo.emulator().requestLog().size());
    }

    private void assertUsageError(String expected, int code) {
        assertEquals(CloudHsmDrCli.EXIT_USAGE, code, "out: " + out + " err: " + err);
        assertTrue(err.startsWith("cloudhsm-dr: "), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertTrue(err.contains("--help' for usage"), err);
    }
}
