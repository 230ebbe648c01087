package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cloudhsmdr.drill.RestoreDrill;
import io.github.cloudhsmdr.spi.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code drill} against the emulator, on virtual time: a drill restores a copy, checks it and deletes it. */
class DrillCommandTest {
    private static final String DR = "us-west-2";
    private static final String SUBNETS = "subnet-0a1b2c3d,subnet-0e1f2a3b";

    private final DemoCli cli = new DemoCli();

    @TempDir
    Path dir;

    @BeforeEach
    void copies() {
        assertEquals(ExitCodes.OK, cli.run(cli.replicator("replicate", "--wait-for-ready", "30m")), cli.err);
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private String[] drill(String... more) {
        List<String> args = new ArrayList<>(List.of("drill", "--source-cluster", cli.cluster(0), "--source-region",
                DemoCli.SOURCE, "--region", DR, "--subnets", SUBNETS, "--name", "monthly", "--endpoint-url",
                cli.endpoint()));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    private List<Cluster> liveClustersIn(String region) {
        return cli.clustersIn(region);
    }

    @Test
    void drillRestoresTheNewestCopyChecksItTearsItDownAndExitsZero() {
        int code = cli.run(drill());

        assertEquals(ExitCodes.OK, code, cli.out + cli.err);
        assertTrue(cli.out.startsWith("Restore drill monthly-"), cli.out);
        assertTrue(cli.out.contains("): PASS"), cli.out);
        assertTrue(cli.out.contains("RESTORED_STATE"), cli.out);
        List<Cluster> all = cli.emulator.model().clustersIn(DR);
        assertEquals(1, all.size(), "one drill cluster was created");
        assertEquals("monthly", all.get(0).tags().get(RestoreDrill.DRILL_TAG));
        assertEquals(List.of(), liveClustersIn(DR), "and deleted");
    }

    @Test
    void drillJsonFollowsItsSchemaAndTheRecordFileIsWritten() {
        Path records = dir.resolve("drills.properties");
        JsonNode doc = cli.runJson(drill("--json", "--record-file", records.toString(), "--rto", "2h"));

        assertEquals("drill", doc.get("command").asText());
        assertEquals("SUCCESS", doc.get("status").asText());
        assertEquals("DRILL", doc.get("mode").asText());
        assertEquals("PASS", doc.get("verdict").asText(), doc.toString());
        assertTrue(doc.get("hsmId").isNull(), "nulls are written");
        assertEquals(7200, doc.get("rtoObjectiveSeconds").asLong());
        assertTrue(doc.get("rtoSeconds").asLong() > 0);
        assertTrue(doc.get("teardown").get("completed").asBoolean());
        assertTrue(doc.get("backup").get("backupId").asText().startsWith("backup-"));
        assertTrue(Files.exists(records), "a passing drill records the certificate fingerprint");
    }

    @Test
    void withHsmAndYesWarnsOfTheCostAddsAnHsmAndDeletesIt() {
        int code = cli.run(drill("--with-hsm", "--yes"));

        assertEquals(ExitCodes.OK, code, cli.out + cli.err);
        assertTrue(cli.err.contains("billed by the hour"), cli.err);
        assertTrue(cli.out.contains("HSM_ACTIVE"), cli.out);
        assertEquals(List.of(), liveClustersIn(DR));

        JsonNode doc = cli.runJson(drill("--with-hsm", "--yes", "--json"));
        assertEquals("PASS", doc.get("verdict").asText(), doc.toString());
        assertTrue(doc.get("rtoIncludesHsm").asBoolean());
        assertTrue(doc.get("hsmId").asText().startsWith("hsm-"), doc.toString());
        assertTrue(doc.get("timeline").get("hsmActiveAt").isTextual());
        assertEquals(1, doc.get("teardown").get("hsmsDeleted").size(), doc.toString());
    }

    @Test
    void failingDrillExitsWithOne() {
        int code = cli.run("drill", "--source-cluster", cli.cluster(0), "--region", "ap-south-1", "--subnets",
                SUBNETS, "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.WARN, code, cli.out + cli.err);
        assertTrue(cli.out.contains(": FAIL"), cli.out);
        assertTrue(cli.out.contains("no READY backup of " + cli.cluster(0) + " in ap-south-1"), cli.out);

        JsonNode doc = cli.runJson("drill", "--source-cluster", cli.cluster(0), "--region", "ap-south-1",
                "--subnets", SUBNETS, "--endpoint-url", cli.endpoint(), "--json");
        assertEquals("FAILED", doc.get("status").asText());
        assertTrue(doc.get("error").isNull(), "the drill ran; its problems are in the report: " + doc);
        assertEquals("FAIL", doc.get("verdict").asText());
        assertTrue(doc.get("backup").isNull() && doc.get("clusterId").isNull() && doc.get("teardown").isNull());
        assertTrue(doc.get("problems").get(0).asText().startsWith("no READY backup"), doc.toString());
    }

    @Test
    void cleanupDeletesOnlyTheLeftoversOfThisDrillsName() {
        String backup = cli.copiesIn(DR).get(0).backupId();
        String leftover = create(backup, Map.of(RestoreDrill.DRILL_TAG, "monthly", RestoreDrill.DRILL_ID_TAG,
                "monthly-crashed"));
        String other = create(backup, Map.of(RestoreDrill.DRILL_TAG, "weekly"));
        String production = create(backup, Map.of());

        JsonNode doc = cli.runJson("drill", "--cleanup", "--region", DR, "--name", "monthly", "--json",
                "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.OK, cli.run("drill", "--cleanup", "--region", DR, "--name", "monthly",
                "--endpoint-url", cli.endpoint()), cli.err);
        assertEquals("CLEANUP", doc.get("mode").asText());
        assertEquals("SUCCESS", doc.get("status").asText());
        assertEquals(1, doc.get("teardowns").size(), doc.toString());
        assertEquals(leftover, doc.get("teardowns").get(0).get("clusterId").asText());
        assertEquals("monthly-crashed", doc.get("teardowns").get(0).get("drillId").asText());
        assertTrue(cli.out.contains("no leftovers"), "the second clean-up finds none: " + cli.out);
        assertEquals(Set.of(other, production), liveClustersIn(DR).stream().map(Cluster::clusterId)
                .collect(Collectors.toSet()), "clusters of another drill or without the tag are left alone");
    }

    @Test
    void cleanupExitsWithOneWhenALeftoverIsNotDeleted() {
        String backup = cli.copiesIn(DR).get(0).backupId();
        create(backup, Map.of(RestoreDrill.DRILL_TAG, "monthly"));
        cli.emulator.faults().error("DeleteCluster", DR, 1.0, "CloudHsmAccessDeniedException");

        int code = cli.run("drill", "--cleanup", "--region", DR, "--name", "monthly", "--teardown-timeout", "5m",
                "--endpoint-url", cli.endpoint());

        assertEquals(ExitCodes.WARN, code, cli.out + cli.err);
        assertTrue(cli.out.contains("NOT deleted"), cli.out);
    }

    @Test
    void helpDocumentsTheExitCodesAndTheHsmConfirmation() {
        assertEquals(ExitCodes.OK, cli.run("drill", "--help"));

        String help = cli.out.replaceAll("\\s+", " ");
        assertTrue(help.contains("0 the drill passed") && help.contains("1 the drill failed")
                && help.contains("--yes") && help.contains("--record-file=PATH"), cli.out);
    }

    private String create(String backupId, Map<String, String> tags) {
        return cli.emulator.model().createCluster(DR, backupId, "hsm2m.medium", List.of("subnet-0a1b2c3d"), tags)
                .clusterId();
    }
}
