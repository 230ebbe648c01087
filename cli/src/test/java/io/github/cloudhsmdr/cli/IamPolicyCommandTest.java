package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudhsmdr.aws.iam.IamPolicies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code iam-policy}: the generator's policy, byte for byte, or in the envelope; bad values are usage errors. */
class IamPolicyCommandTest {
    private static final DemoCli cli = new DemoCli();
    private static final String ACCOUNT = "123456789012";

    @AfterEach
    void noCallWasMade() {
        assertEquals(0, cli.emulator.requestLog().requests().size(), "iam-policy calls nothing");
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    private static String[] policy(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("iam-policy", "--name", "prod", "--account", ACCOUNT,
                "--source-region", "us-east-1", "--destination-regions", "us-west-2,eu-west-1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void printsTheReplicatorPolicyOfTheGeneratorAsItIs() {
        int code = cli.run(policy());

        assertEquals(ExitCodes.OK, code, cli.err);
        assertEquals(IamPolicies.toJson(IamPolicies.replicator("prod", ACCOUNT, "us-east-1",
                List.of("us-west-2", "eu-west-1"))).strip(), cli.out.strip());
        assertTrue(cli.out.contains("arn:aws:cloudhsm:eu-west-1:" + ACCOUNT + ":backup/*"), cli.out);
        assertEquals("", cli.err);
    }

    @Test
    void eachKindPrintsItsGeneratorsPolicy() {
        assertEquals(ExitCodes.OK, cli.run(policy("--kind", "adopt")), cli.err);
        assertEquals(IamPolicies.toJson(IamPolicies.adopt("prod", ACCOUNT, "us-east-1",
                List.of("us-west-2", "eu-west-1"))).strip(), cli.out.strip());

        assertEquals(ExitCodes.OK, cli.run("iam-policy", "--kind", "restore", "--account", ACCOUNT,
                "--destination-regions", "us-west-2"), cli.err);
        assertEquals(IamPolicies.toJson(IamPolicies.restore(ACCOUNT, List.of("us-west-2"))).strip(),
                cli.out.strip());
    }

    @Test
    void jsonWrapsThePolicyAsAnObjectInTheEnvelope() throws Exception {
        JsonNode doc = cli.runJson(policy("--json"));

        assertEquals("iam-policy", doc.get("command").asText());
        assertEquals("SUCCESS", doc.get("status").asText());
        assertTrue(doc.get("error").isNull(), "nulls are written");
        assertEquals("replicator", doc.get("kind").asText());
        JsonNode expected = new ObjectMapper().readTree(IamPolicies.toJson(IamPolicies.replicator("prod", ACCOUNT,
                "us-east-1", List.of("us-west-2", "eu-west-1"))));
        assertEquals(expected, doc.get("policy"));
    }

    @Test
    void accountOfElevenDigitsIsAUsageErrorNamingTheOption() {
        int code = cli.run("iam-policy", "--account", "12345678901", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2");

        assertEquals(ExitCodes.USAGE, code, cli.out);
        assertTrue(cli.err.contains("'--account': '12345678901' is not an AWS account id"), cli.err);
        assertEquals("", cli.out);
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, cli.run("iam-policy", "--source-region", "us-east-1",
                "--destination-regions", "us-west-2"));
        assertTrue(cli.err.contains("--account: is required"), cli.err);

        assertEquals(ExitCodes.USAGE, cli.run("iam-policy", "--account", ACCOUNT, "--destination-regions",
                "us-west-2"));
        assertTrue(cli.err.contains("--source-region: is required for --kind replicator"), cli.err);

        assertEquals(ExitCodes.USAGE, cli.run("iam-policy", "--account", ACCOUNT, "--source-region", "us-east-1"));
        assertTrue(cli.err.contains("--destination-regions: is required"), cli.err);
    }

    @Test
    void generatorRejectionIsAUsageErrorNamingTheOption() {
        int code = cli.run("iam-policy", "--account", ACCOUNT, "--source-region", "us-east-1",
                "--destination-regions", "us-west-2,us-east-1");

        assertEquals(ExitCodes.USAGE, code, cli.out);
        assertTrue(cli.err.startsWith("cloudhsm-dr: --destination-regions: destinationRegions contains the source "
                + "region 'us-east-1'"), cli.err);
        assertTrue(cli.err.contains("Run 'cloudhsm-dr iam-policy --help' for usage."), cli.err);
        assertEquals("", cli.out);

        assertEquals(ExitCodes.USAGE, cli.run("iam-policy", "--name", "bad name!", "--account", ACCOUNT,
                "--source-region", "us-east-1", "--destination-regions", "us-west-2"));
        assertTrue(cli.err.startsWith("cloudhsm-dr: --name: name 'bad name!'"), cli.err);
    }

    @Test
    void drillIsNoKindBecauseNoGeneratorExistsForIt() {
        assertEquals(ExitCodes.USAGE, cli.run("iam-policy", "--kind", "drill", "--account", ACCOUNT));
        assertTrue(cli.err.contains("--kind"), cli.err);

        assertEquals(ExitCodes.OK, cli.run("iam-policy", "--help"));
        assertTrue(cli.out.contains("replicator, adopt, restore") && !cli.out.contains("drill"), cli.out);
    }
}
