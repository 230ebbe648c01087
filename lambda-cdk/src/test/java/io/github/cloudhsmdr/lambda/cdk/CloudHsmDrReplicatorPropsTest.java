package io.github.cloudhsmdr.lambda.cdk;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.services.lambda.Code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The construct's properties: defaults, and a clear message for every bad value. No synthesis. */
class CloudHsmDrReplicatorPropsTest {
    private static Code code;

    @BeforeAll
    static void code(@TempDir Path dir) throws IOException {
        code = Code.fromAsset(Files.writeString(dir.resolve("handler.jar"), "jar").toString());
    }

    private static CloudHsmDrReplicatorProps.Builder valid() {
        return CloudHsmDrReplicatorProps.builder().code(code).destinationRegions(List.of("us-west-2"));
    }

    private static void assertRejected(Class<? extends RuntimeException> type, String expected,
            UnaryOperator<CloudHsmDrReplicatorProps.Builder> change) {
        RuntimeException e = assertThrows(type, () -> change.apply(valid()).build());
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: "
                + e.getMessage());
    }

    @Test
    void defaultsAreHourlyJava21With512MbFifteenMinutesAndTheLibrarysObjective() {
        CloudHsmDrReplicatorProps p = valid().build();

        assertEquals("default", p.replicatorName());
        assertEquals(Duration.ofHours(1), p.schedule());
        assertEquals(CloudHsmDrReplicatorProps.JavaRuntime.JAVA_21, p.runtime());
        assertEquals(512, p.memoryMb());
        assertEquals(Duration.ofMinutes(15), p.timeout());
        assertEquals(Duration.ofHours(28), p.rpoWarnAfter());
        assertEquals(Duration.ofHours(32), p.rpoCriticalAfter());
        assertTrue(p.alarmTopic().isEmpty());
        assertTrue(p.maxConcurrentDestinations().isEmpty(), "the handler's default");
        assertTrue(p.maxConcurrentCallsPerRegion().isEmpty(), "the handler's default");
    }

    @Test
    void concurrencyLimitsAreCheckedAndPassedToTheHandler() {
        CloudHsmDrReplicatorProps p = valid().maxConcurrentDestinations(2).maxConcurrentCallsPerRegion(3).build();

        assertEquals(Optional.of(2), p.maxConcurrentDestinations());
        assertEquals(Optional.of(3), p.maxConcurrentCallsPerRegion());
        Map<String, String> env = CloudHsmDrReplicator.environment(p);
        assertEquals("2", env.get("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS"));
        assertEquals("3", env.get("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION"));
        assertFalse(CloudHsmDrReplicator.environment(valid().build()).containsKey(
                "CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS"), "unset: the handler's default");

        assertRejected(IllegalArgumentException.class, "maxConcurrentDestinations is 65: use 1 to 64 (destination "
                + "regions worked on at once)", b -> b.maxConcurrentDestinations(65));
        assertRejected(IllegalArgumentException.class, "maxConcurrentCallsPerRegion is 0: use 1 to 16 (the most "
                + "calls sent to one region at once)", b -> b.maxConcurrentCallsPerRegion(0));
    }

    @Test
    void concurrencyLimitsAllowWhatTheReplicatorAllows() {
        for (int n = -1; n <= CloudHsmDrReplicatorProps.MAX_CONCURRENT_DESTINATIONS + 1; n++) {
            int max = n;
            assertEquals(accepted(b -> b.maxConcurrentDestinations(max)),
                    accepted(() -> valid().maxConcurrentDestinations(max).build()), "maxConcurrentDestinations " + n);
        }
        for (int n = -1; n <= CloudHsmDrReplicatorProps.MAX_CONCURRENT_CALLS_PER_REGION + 1; n++) {
            int max = n;
            assertEquals(accepted(b -> b.maxConcurrentCallsPerRegion(max)),
                    accepted(() -> valid().maxConcurrentCallsPerRegion(max).build()),
                    "maxConcurrentCallsPerRegion " + n);
        }
    }

    /** @return whether the replicator builder accepts {@code change} */
    private static boolean accepted(UnaryOperator<ReplicatorBuilder> change) {
        return accepted(() -> change.apply(BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions(List.of("us-west-2"))).buildConfig());
    }

    private static boolean accepted(Runnable build) {
        try {
            build.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void codeIsRequired() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> CloudHsmDrReplicatorProps.builder().destinationRegions(List.of("us-west-2")).build());
        assertEquals("code", e.getMessage());
    }

    @Test
    void destinationRegionsAreRequiredValidAndNotTheSource() {
        assertRejected(IllegalArgumentException.class, "destinationRegions is empty",
                b -> b.destinationRegions(List.of()));
        assertRejected(IllegalArgumentException.class, "destinationRegions contains 'US West': use region ids",
                b -> b.destinationRegions(List.of("US West")));
        assertRejected(IllegalArgumentException.class, "destinationRegions contains 'us-west-2' twice",
                b -> b.destinationRegions(List.of("us-west-2", "us-west-2")));
        assertRejected(IllegalArgumentException.class, "destinationRegions contains 'us-east-1' which is the source",
                b -> b.sourceRegion("us-east-1").destinationRegions(List.of("us-east-1")));
        assertRejected(IllegalArgumentException.class, "sourceRegion contains 'virginia'",
                b -> b.sourceRegion("virginia"));
    }

    @Test
    void nameAndClustersFollowTheLibrarysRules() {
        assertRejected(IllegalArgumentException.class, "replicatorName contains 'prod dr'",
                b -> b.replicatorName("prod dr"));
        assertRejected(IllegalArgumentException.class, "clusterIds contains 'payments'",
                b -> b.clusterIds(List.of("payments")));
        assertRejected(IllegalArgumentException.class, "lookBack is '2 weeks'", b -> b.lookBack("2 weeks"));
    }

    @Test
    void scheduleIsWholeMinutesAndShortEnoughForTheNoSuccessfulRunAlarm() {
        assertRejected(IllegalArgumentException.class, "schedule is PT1M30S: use whole minutes, at most 84 hours",
                b -> b.schedule(Duration.ofSeconds(90)));
        assertRejected(IllegalArgumentException.class, "schedule is PT96H: use whole minutes, at most 84 hours",
                b -> b.schedule(Duration.ofDays(4)));
        assertRejected(IllegalArgumentException.class, "schedule is PT0S: use a positive duration",
                b -> b.schedule(Duration.ZERO));
        assertEquals(Duration.ofHours(84), valid().schedule(Duration.ofHours(84)).build().schedule());
    }

    @Test
    void objectiveRetentionAndSizeAreChecked() {
        assertRejected(IllegalStateException.class, "rpoCriticalAfter PT2H is shorter than rpoWarnAfter PT3H",
                b -> b.recoveryPointObjective(Duration.ofHours(3), Duration.ofHours(2)));
        assertRejected(IllegalArgumentException.class, "keepDaily is -1: use a whole number of at least 0",
                b -> b.keepDaily(-1));
        assertRejected(IllegalStateException.class, "every keep count is 0, so nothing would be kept",
                b -> b.keepDaily(0).keepLast(0));
        assertRejected(IllegalArgumentException.class, "memoryMb is 128: use 256 to 10240", b -> b.memoryMb(128));
        assertRejected(IllegalArgumentException.class, "timeout is PT16M: use whole seconds from 1 to 15 minutes",
                b -> b.timeout(Duration.ofMinutes(16)));
        assertRejected(IllegalStateException.class, "waitForReady PT15M leaves less than a minute of the timeout",
                b -> b.waitForReady(Duration.ofMinutes(15)));
        assertRejected(IllegalArgumentException.class, "environment variable 'DESTINATION_REGIONS' is not allowed",
                b -> b.environment("DESTINATION_REGIONS", "us-west-2"));
    }
}
