package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.DemoData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar as an operator runs it: {@code java -jar} in a separate process, against the emulator holding
 * the demo data, checking exit codes, stdout and stderr. Runs in {@code verify} (failsafe), after {@code package}
 * built the jar.
 */
class CloudHsmDrJarIT {
    private static final Path JAR = Path.of(System.getProperty("cli.jar", "target/cloudhsm-dr-cli.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static CloudHsmEmulator emulator;

    @TempDir
    Path dir;

    /** One finished process. */
    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startEmulator() {
        emulator = CloudHsmEmulator.builder().seed(11L).build();
        DemoData.seed(emulator.model(), "us-east-1");
        emulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR + ": run mvn verify, which packages it first");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CLOUDHSM_DR_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 2 minutes: " + Arrays.toString(command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result cli(String... args) throws IOException, InterruptedException {
        return cli(Map.of(), args);
    }

    private Result cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        return run(env, command.toArray(String[]::new));
    }

    @Test
    void versionHelpAndUsageErrors() throws Exception {
        Result version = cli("--version");
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().startsWith("cloudhsm-dr 0."), version.out());

        Result typo = cli("replicat");
        assertEquals(64, typo.code());
        assertTrue(typo.err().contains("Did you mean: cloudhsm-dr replicate"), typo.err());
        assertEquals("", typo.out());
    }

    @Test
    void planReplicateRpoStatusAndRestoreAgainstTheEmulator() throws Exception {
        String endpoint = emulator.endpoint().toString();
        Map<String, String> env = Map.of(
                "CLOUDHSM_DR_SOURCE_REGION", "us-east-1",
                "CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2",
                "CLOUDHSM_DR_ENDPOINT_URL", endpoint,
                "CLOUDHSM_DR_NAME", "jar-test");

        Result plan = cli(env, "plan", "--latest");
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("2 copies to start"), plan.out());
        assertEquals("", plan.err(), "no logs or progress when stderr is no terminal");

        Result replicate = cli(env, "replicate", "--latest", "--json");
        assertEquals(0, replicate.code(), replicate.out() + replicate.err());
        JsonNode report = Schemas.validated(replicate.out());
        assertEquals(2, report.get("counts").get("copied").asInt());

        Result rpo = cli(env, "rpo");
        assertEquals(2, rpo.code(), "the copies are still being made: " + rpo.out());
        assertTrue(rpo.out().contains("us-west-2: MISSING, 1 copy in progress"), rpo.out());

        Result status = cli(env, "status", "--verbose");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("us-west-2: 2 copies"), status.out());
        assertTrue(status.out().contains("owner jar-test"), status.out());

        Result nothing = cli(env, "restore", "--region", "eu-west-1", "--cluster", "cluster-2n3ulwdpxk6",
                "--subnets", "subnet-0a1b2c3d");
        assertEquals(2, nothing.code(), nothing.out());
        assertTrue(nothing.err().contains("no READY backup of cluster-2n3ulwdpxk6 in eu-west-1"), nothing.err());
    }

    @Test
    void theLauncherScriptRunsTheJar() throws Exception {
        Path script = Path.of(System.getProperty("cli.dist", "src/main/dist"), "cloudhsm-dr");
        Result r = run(Map.of("CLOUDHSM_DR_JAR", JAR.toString()), "sh", script.toString(), "--version");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cloudhsm-dr 0."), r.out());
    }
}
