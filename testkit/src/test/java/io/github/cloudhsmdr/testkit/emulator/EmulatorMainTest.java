package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmulatorMainTest {

    @Test
    void parsesEveryOption() {
        EmulatorMain.Options o = EmulatorMain.parse("--port", "4567", "--seed", "9", "--regions",
                "eu-west-1, eu-central-1", "--seed-demo-data", "--host", "0.0.0.0");
        assertEquals(new EmulatorMain.Options("0.0.0.0", 4567, 9L, List.of("eu-west-1", "eu-central-1"), true, false,
                AccessPolicy.allowAll()), o);
        assertEquals(new EmulatorMain.Options("127.0.0.1", 0, 42L, List.of("us-east-1", "us-west-2"), false, false,
                AccessPolicy.allowAll()), EmulatorMain.parse());
    }

    @Test
    void givesEveryRegionTheRateLimitOfTheCommandLine() {
        EmulatorMain.Options o = EmulatorMain.parse("--rate-limit", "2.5:4");
        assertEquals(new RateLimiter.Limit(2.5, 4), o.rateLimit());
        assertEquals(null, EmulatorMain.parse().rateLimit());
        try (CloudHsmEmulator e = EmulatorMain.start(EmulatorMain.parse("--rate-limit", "1:1"))) {
            assertEquals(new RateLimiter.Limit(1.0, 1), e.rateLimiter().limitOf("us-east-1"));
            assertEquals(new RateLimiter.Limit(1.0, 1), e.rateLimiter().limitOf("eu-west-1"));
        }
        String allowed = "is not RATE:BURST, requests per second (a number greater than 0) and the most at once "
                + "(a whole number of at least 1), e.g. 20:20";
        assertEquals("Invalid value for option '--rate-limit': '20' " + allowed, rejected("--rate-limit", "20"));
        assertEquals("Invalid value for option '--rate-limit': 'x:1' " + allowed, rejected("--rate-limit", "x:1"));
        assertEquals("Invalid value for option '--rate-limit': '20:2.5' " + allowed,
                rejected("--rate-limit", "20:2.5"));
        assertEquals("Invalid value for option '--rate-limit': '5:0': burst must be at least 1 (the requests a full "
                + "bucket serves at once), was 0", rejected("--rate-limit", "5:0"));
        assertEquals("Invalid value for option '--rate-limit': '0:5': requestsPerSecond must be a finite number "
                + "greater than 0, was 0.0", rejected("--rate-limit", "0:5"));
    }

    @Test
    void rejectsBadOptionsNamingTheOptionTheValueAndWhatIsAllowed() {
        String port = "is not a port: expected a whole number from 0 to 65535 (0 picks a free port)";
        assertEquals("Invalid value for option '--port': 'x' " + port, rejected("--port", "x"));
        assertEquals("Invalid value for option '--port': '65536' " + port, rejected("--port", "65536"));
        assertEquals("Invalid value for option '--port': '-1' " + port, rejected("--port", "-1"));
        assertEquals(65535, EmulatorMain.parse("--port", "65535").port());
        assertEquals("Invalid value for option '--regions' (REGION): 'mars-1' is not a CloudHSM region id such as "
                + "us-east-1", rejected("--regions", "us-east-1,mars-1"));
        assertEquals("Invalid value for option '--seed': 'x' is not a long", rejected("--seed", "x"));
        assertEquals("Missing required parameter for option '--seed' (SEED)", rejected("--seed"));
        assertEquals("Unknown option: '--verbose'", rejected("--verbose"));
        assertEquals("Unmatched argument at index 0: 'extra'", rejected("extra"));
    }

    @Test
    void aSingleValuedOptionGivenTwiceTakesItsLastValue() {
        EmulatorMain.Options o = EmulatorMain.parse("--port", "1", "--port", "2", "--host", "a", "--host", "b",
                "--rate-limit", "1:1", "--rate-limit", "3:4");
        assertEquals(2, o.port());
        assertEquals("b", o.host());
        assertEquals(new RateLimiter.Limit(3.0, 4), o.rateLimit());
        assertEquals(List.of("eu-west-1", "eu-central-1"),
                EmulatorMain.parse("--regions", "eu-west-1", "--regions", "eu-central-1").regions(),
                "a list option given twice adds to its list, as picocli's list options do");
    }

    @Test
    void printsTheUsagePicocliGeneratesOnHelp() {
        assertTrue(EmulatorMain.parse("-h").help());
        assertTrue(EmulatorMain.parse("--help").help());
        assertFalse(EmulatorMain.parse().help());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EmulatorMain.usage(new PrintStream(out, true, StandardCharsets.UTF_8));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: EmulatorMain "), usage);
        for (String option : List.of("--host=HOST", "--port=PORT", "--seed=SEED", "--regions=REGION[,REGION...]",
                "--seed-demo-data", "--access-policy=FILE", "--rate-limit=RATE:BURST", "-h, --help",
                "(default: 127.0.0.1)", "(default: us-east-1,us-west-2)", "(default: 42)")) {
            assertTrue(usage.contains(option), option + " in\n" + usage);
        }
    }

    @Test
    void explainsABadCommandLineOnStandardErrorWithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(null, EmulatorMain.parseOrExplain(new String[] {"--rate-limt", "20:20"},
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Unknown options: '--rate-limt', '20:20'"), text);
        assertTrue(text.contains("Possible solutions: --rate-limit"), text);
        assertTrue(text.contains("Usage: EmulatorMain "), text);
    }

    @Test
    void exitsWithStatus2OnABadCommandLine() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                EmulatorMain.class.getName(), "--rate-limit", "20").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), text);
        assertTrue(text.startsWith("Invalid value for option '--rate-limit': '20' is not RATE:BURST"), text);
        assertTrue(text.contains("Usage: EmulatorMain "), text);
        assertFalse(text.lines().anyMatch(l -> l.startsWith("endpoint=")), "no emulator started:\n" + text);
    }

    /** @return the message of the picocli error that {@code args} are answered with */
    private static String rejected(String... args) {
        return assertThrows(CommandLine.ParameterException.class, () -> EmulatorMain.parse(args)).getMessage();
    }

    @Test
    void putsAnAccessPolicyFileInForce(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"cloudhsm:DescribeClusters\", \"Resource\": \"*\"}]}");
        try (CloudHsmEmulator e = EmulatorMain.start(EmulatorMain.parse("--seed-demo-data", "--access-policy",
                policy.toString()));
             CloudHsmV2Client c = e.clientBuilder("us-east-1").build()) {
            assertEquals(2, c.describeClusters().clusters().size());
            assertThrows(CloudHsmAccessDeniedException.class, c::describeBackups);
        }
        Files.writeString(policy, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"NotAction\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\"}]}");
        String bad = rejected("--access-policy", policy.toString());
        assertTrue(bad.startsWith("Invalid value for option '--access-policy': '" + policy
                + "' is not a policy the emulator understands: ") && bad.contains("NotAction"), bad);
        Path missing = dir.resolve("missing.json");
        assertTrue(rejected("--access-policy", missing.toString()).startsWith(
                "Invalid value for option '--access-policy': cannot read '" + missing + "': "));
    }

    @Test
    void seedsDemoDataIntoTheFirstRegion() {
        try (CloudHsmEmulator e = EmulatorMain.start(EmulatorMain.parse("--seed-demo-data", "--regions",
                "eu-west-1,eu-central-1"));
             CloudHsmV2Client c = e.clientBuilder("eu-west-1").build()) {
            assertEquals(2, c.describeClusters().clusters().size());
            assertEquals(2 * DemoData.DAYS, e.model().backupsIn("eu-west-1").size());
            assertEquals(1, e.model().backupsIn("eu-west-1").stream()
                    .filter(b -> b.state() == BackupState.PENDING_DELETION).count());
            assertTrue(e.model().backupsIn("eu-central-1").isEmpty());
        }
    }

    @Test
    void runsAsAProcessAndPrintsItsEndpoint() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                EmulatorMain.class.getName(), "--seed-demo-data").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            while (first != null && !first.startsWith("endpoint=")) {
                first = out.readLine();
            }
            assertTrue(first != null, "the process printed its endpoint");
            URI endpoint = URI.create(first.substring("endpoint=".length()));
            try (CloudHsmV2Client c = CloudHsmV2Client.builder()
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(endpoint)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE", "s")))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
                assertFalse(c.describeBackups().backups().isEmpty());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
    }
}
