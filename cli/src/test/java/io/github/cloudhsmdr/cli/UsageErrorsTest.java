package io.github.cloudhsmdr.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every usage error: exit 64, one message naming the option and the value, a pointer to --help, no call made. */
class UsageErrorsTest {
    /** One emulator for the class: no test here may call it. */
    private static final DemoCli cli = new DemoCli();

    @TempDir
    Path dir;

    @AfterEach
    void noCallWasMade() {
        assertEquals(0, cli.emulator.requestLog().requests().size(), "a usage error touches nothing");
        cli.environment.clear();
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    private void assertUsageError(String expected, int code) {
        assertEquals(ExitCodes.USAGE, code, "out: " + cli.out + " err: " + cli.err);
        assertTrue(cli.err.startsWith("cloudhsm-dr: "), cli.err);
        assertTrue(cli.err.contains(expected), "expected '" + expected + "' in: " + cli.err);
        assertTrue(cli.err.contains("--help' for usage"), cli.err);
        assertEquals("", cli.out);
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertUsageError("no command given", cli.run());
    }

    @Test
    void unknownCommandIsNamedWithASuggestion() {
        assertUsageError("'replicat'", cli.run("replicat"));
        assertTrue(cli.err.contains("Did you mean: cloudhsm-dr replicate"), cli.err);
    }

    @Test
    void unknownOptionIsNamedWithASuggestion() {
        assertUsageError("Unknown options: '--destination'", cli.run("replicate", "--destination", "x"));
        assertTrue(cli.err.contains("--destination-regions"), cli.err);
        assertTrue(cli.err.contains("Run 'cloudhsm-dr replicate --help' for usage."), cli.err);
    }

    @Test
    void optionOfAnotherCommandIsUnknown() {
        assertUsageError("Unknown options: '--subnets'", cli.run(cli.replicator("plan", "--subnets", "subnet-1")));
    }

    @Test
    void missingValueIsNamed() {
        assertUsageError("'--wait-for-ready'", cli.run(cli.replicator("replicate", "--wait-for-ready")));
    }

    @Test
    void optionGivenTwiceIsNamed() {
        assertUsageError("'--look-back'", cli.run(cli.replicator("plan", "--look-back", "3d")));
        assertTrue(cli.err.contains("should be specified only once"), cli.err);
    }

    @Test
    void badCountNamesTheOptionAndTheValue() {
        assertUsageError("'--keep-daily': 'seven' is not a count: use a whole number of at least 0, or unlimited",
                cli.run(cli.replicator("plan", "--keep-daily", "seven")));
        assertUsageError("'-1' is not a count", cli.run(cli.replicator("plan", "--keep-daily", "-1")));
    }

    @Test
    void concurrencyLimitThatIsNoNumberNamesTheOptionAndTheValue() {
        assertUsageError("'--max-concurrent-destinations': 'all' is not a whole number: use a whole number from 1 "
                + "to 64, e.g. 4 (the default)", cli.run(cli.replicator("plan", "--max-concurrent-destinations",
                "all")));
        assertUsageError("'--max-concurrent-calls-per-region': '2.5' is not a whole number: use a whole number "
                + "from 1 to 16, e.g. 8 (the default)", cli.run(cli.replicator("replicate",
                "--max-concurrent-calls-per-region", "2.5")));
    }

    @Test
    void concurrencyLimitOutOfRangeIsRejectedWithTheLibrarysBounds() {
        assertUsageError("--max-concurrent-calls-per-region: maxConcurrentCallsPerRegion must be between 1 and 16, "
                + "was 20", cli.run(cli.replicator("replicate", "--max-concurrent-calls-per-region", "20")));
        assertUsageError("--max-concurrent-destinations: maxConcurrentDestinations must be between 1 and 64, was 0",
                cli.run(cli.replicator("status", "--max-concurrent-destinations", "0")));
    }

    @Test
    void concurrencyLimitFromTheEnvironmentIsNamedAsTheOption() {
        cli.environment.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "many");

        assertUsageError("'--max-concurrent-calls-per-region': 'many' is not a whole number",
                cli.run(cli.replicator("plan")));
    }

    @Test
    void retentionThatKeepsNothingIsRejected() {
        assertUsageError("--keep-last: every keep setting given is 0",
                cli.run(cli.replicator("replicate", "--keep-last", "0", "--keep-within", "0")));
    }

    @Test
    void badDurationNamesTheOptionAndTheValue() {
        assertUsageError("'--wait-for-ready': '30x' is not a duration: use a whole number followed by d, h, m or s",
                cli.run(cli.replicator("replicate", "--wait-for-ready", "30x")));
    }

    @Test
    void zeroLookBackIsRejected() {
        assertUsageError("'--look-back': '0' is zero", cli.run("plan", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2", "--look-back", "0"));
    }

    @Test
    void latestAndLookBackTogetherAreRejected() {
        assertUsageError("--latest and --look-back 7d contradict each other",
                cli.run(cli.replicator("plan", "--latest")));
    }

    @Test
    void missingDestinationRegionsIsNamed() {
        assertUsageError("--destination-regions: is required", cli.run("plan", "--source-region", "us-east-1"));
    }

    @Test
    void missingSourceRegionIsNamed() {
        assertUsageError("--source-region: is required", cli.run("plan", "--destination-regions", "us-west-2"));
    }

    @Test
    void unknownRegionNamesTheOptionAndTheValue() {
        assertUsageError("'--destination-regions' (R1,R2): 'us-nowhere-1' is not a region the AWS SDK knows",
                cli.run("plan", "--source-region", "us-east-1", "--destination-regions", "us-west-2,us-nowhere-1"));
    }

    @Test
    void sourceRegionAsDestinationIsRejected() {
        assertUsageError("--destination-regions: destinationRegions contains the source region 'us-east-1'",
                cli.run("plan", "--source-region", "us-east-1", "--destination-regions", "us-east-1"));
    }

    @Test
    void badClusterIdNamesTheOption() {
        assertUsageError("--clusters: clusterIds contains 'cluster-1'",
                cli.run(cli.replicator("plan", "--clusters", "cluster-1")));
    }

    @Test
    void badNameNamesTheOption() {
        assertUsageError("--name: name 'my replicator' is not allowed", cli.run("plan", "--source-region",
                "us-east-1", "--destination-regions", "us-west-2", "--name", "my replicator"));
    }

    @Test
    void badCopyTagNamesTheOption() {
        assertUsageError("--copy-tags: copyTags key 'cloudhsm-dr:x' uses a reserved prefix",
                cli.run(cli.replicator("replicate", "--copy-tags", "cloudhsm-dr:x=1")));
    }

    @Test
    void criticalAgeShorterThanTheWarningAgeIsRejected() {
        assertUsageError("--rpo-critical: '20h' is shorter than the warning age 1d (--rpo-warn)",
                cli.run(cli.replicator("rpo", "--rpo-warn", "1d", "--rpo-critical", "20h")));
    }

    @Test
    void badEndpointNamesTheOption() {
        assertUsageError("'--endpoint-url': 'ftp://127.0.0.1' is not an http(s) URL",
                cli.run("rpo", "--source-region", "us-east-1", "--destination-regions", "us-west-2",
                        "--endpoint-url", "ftp://127.0.0.1"));
    }

    @Test
    void badEnvironmentValueIsAUsageError() {
        cli.environment.put("CLOUDHSM_DR_LOOK_BACK", "fortnight");

        assertUsageError("'fortnight' is not a duration", cli.run("plan", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2"));
    }

    @Test
    void configFileWithAnUnknownKeyIsRejected() throws Exception {
        Path config = Files.writeString(dir.resolve("dr.properties"), "look_back=7d\n");

        assertUsageError("--config: '" + config + "' has the key 'look_back', which is no option",
                cli.run("plan", "--config", config.toString()));
    }

    @Test
    void restoreWithoutSubnetsIsAUsageError() {
        assertUsageError("--subnets: is required", cli.run("restore", "--region", "us-west-2", "--cluster",
                cli.cluster(0)));
    }

    @Test
    void restoreWithABadSubnetIdNamesTheValue() {
        assertUsageError("'--subnets' (S1,S2): 'sub-1' is not a subnet id: expected subnet- followed by 8 to 17 of [0-9a-f]",
                cli.run("restore", "--region", "us-west-2", "--cluster", cli.cluster(0), "--subnets", "sub-1"));
    }

    @Test
    void restoreWithBadClusterIdNamesTheOption() {
        assertUsageError("'--cluster': sourceClusterId 'prod' is not a cluster id",
                cli.run("restore", "--region", "us-west-2", "--cluster", "prod", "--subnets", "subnet-0a1b2c3d"));
    }

    @Test
    void restoreWithElevenSubnetsNamesTheOption() {
        String subnets = IntStream.rangeClosed(1, 11).mapToObj(i -> String.format("subnet-%08x", i))
                .collect(Collectors.joining(","));
        assertUsageError("--subnets: has 11 subnets: give 1 to 10", cli.run("restore", "--region", "us-west-2",
                "--cluster", cli.cluster(0), "--subnets", subnets));
    }

    @Test
    void undoOfAFileThatIsNoReplicateReportIsRejected() throws Exception {
        Path other = Files.writeString(dir.resolve("plan.json"), "{\"command\": \"plan\", \"schemaVersion\": 1}");

        assertUsageError("REPORT: '" + other + "' is not the JSON of 'replicate --json'",
                cli.run("undo", other.toString()));
    }

    private String[] drill(String... more) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("drill", "--source-cluster", cli.cluster(0),
                "--region", "us-west-2", "--subnets", "subnet-0a1b2c3d", "--endpoint-url", cli.endpoint()),
                java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void drillWithHsmWithoutYesNamesTheCostAndCallsNothing() {
        assertUsageError("--with-hsm: creates an HSM, billed by the hour until the drill deletes it: add --yes",
                cli.run(drill("--with-hsm")));
    }

    @Test
    void drillWithoutRegionOrSourceClusterNamesTheOption() {
        assertUsageError("--region: is required", cli.run("drill", "--source-cluster", cli.cluster(0), "--subnets",
                "subnet-0a1b2c3d"));
        assertUsageError("--source-cluster: is required", cli.run("drill", "--region", "us-west-2", "--subnets",
                "subnet-0a1b2c3d"));
        assertUsageError("--subnets: is required", cli.run("drill", "--region", "us-west-2", "--source-cluster",
                cli.cluster(0)));
    }

    @Test
    void drillValueTheDrillRejectsIsNamedByItsOption() {
        assertUsageError("--subnets: subnetIds 'subnet-0a1b2c3d4e' is not allowed",
                cli.run(drill("--subnets", "subnet-0a1b2c3d4e")));
        assertUsageError("--name: name 'a name' is not allowed", cli.run(drill("--name", "a name")));
    }

    @Test
    void drillWithBadRtoNamesTheOption() {
        assertUsageError("'--rto'", cli.run(drill("--rto", "soon")));
    }
}
