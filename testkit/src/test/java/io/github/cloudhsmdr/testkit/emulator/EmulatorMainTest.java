package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
        assertEquals("--rate-limit must be RATE:BURST (requests per second and the most at once, e.g. 20:20), "
                + "was '20'", assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.parse("--rate-limit", "20")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse("--rate-limit", "x:1"))
                .getMessage().contains("'x:1'"));
        assertEquals("--rate-limit '5:0': burst must be at least 1 (the requests a full bucket serves at once), "
                + "was 0", assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.parse("--rate-limit", "5:0")).getMessage());
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse("--port", "x"))
                .getMessage().contains("--port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse("--regions", "mars-1"))
                .getMessage().contains("mars-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse("--seed"))
                .getMessage().contains("--seed needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse("--verbose"))
                .getMessage().contains("--verbose"));
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
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.parse("--access-policy", policy.toString()));
        assertTrue(bad.getMessage().contains("--access-policy") && bad.getMessage().contains("NotAction"),
                bad.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.parse("--access-policy", dir.resolve("missing.json").toString()))
                .getMessage().contains("cannot read"));
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
