package io.github.cloudhsmdr.settings;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings as an environment-variable host (the Lambda handler) reads them. */
class ReplicatorSettingsTest {
    private final Map<String, String> env = new HashMap<>(Map.of(
            "CLOUDHSM_DR_SOURCE_REGION", "us-east-1",
            "CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2, eu-west-1"));

    @Test
    void everySettingHasItsEnvironmentVariableAndOption() {
        assertEquals(18, ReplicatorSettings.ALL.size());
        for (Setting s : ReplicatorSettings.ALL) {
            assertEquals("CLOUDHSM_DR_" + s.key().toUpperCase().replace('-', '_'), s.environmentVariable());
            assertEquals("--" + s.key(), s.option());
        }
        assertEquals("CLOUDHSM_DR_WAIT_FOR_READY", ReplicatorSettings.WAIT_FOR_READY.environmentVariable());
        assertEquals("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS",
                ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.environmentVariable());
        assertEquals("--max-concurrent-calls-per-region", ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.option());
    }

    @Test
    void defaultsMatchTheDocumentation() {
        ReplicatorSettings s = ReplicatorSettings.fromEnvironment(env);

        assertEquals("default", s.name());
        assertEquals(List.of("us-west-2", "eu-west-1"), s.destinationRegions());
        assertEquals(Duration.ofDays(14), s.selection().lookBack());
        assertEquals(Duration.ZERO, s.waitForReady());
        assertEquals(Duration.ofHours(28), s.rpoWarnAfter());
        assertEquals(Duration.ofHours(32), s.rpoCriticalAfter());
        assertFalse(s.retention().isPresent());
        assertEquals("14d", ReplicatorSettings.LOOK_BACK.defaultText());
        assertEquals(4, s.maxConcurrentDestinations());
        assertEquals(8, s.maxConcurrentCallsPerRegion());
        assertEquals("4", ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.defaultText());
        assertEquals("8", ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.defaultText());
    }

    @Test
    void concurrencyDefaultsAreTheReplicatorBuildersOwn() {
        ReplicatorConfig library = BackupReplicator.builder().sourceRegion("us-east-1")
                .destinationRegions(List.of("us-west-2")).buildConfig();

        ReplicatorConfig c = ReplicatorSettings.fromEnvironment(env).applyTo(BackupReplicator.builder()).buildConfig();

        assertEquals(library.maxConcurrentDestinations(), c.maxConcurrentDestinations());
        assertEquals(library.maxConcurrentCallsPerRegion(), c.maxConcurrentCallsPerRegion());
        assertEquals(Integer.toString(library.maxConcurrentDestinations()),
                ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.defaultText());
        assertEquals(Integer.toString(library.maxConcurrentCallsPerRegion()),
                ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.defaultText());
    }

    @Test
    void concurrencyLimitsAreReadAndApplied() {
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", " 2 ");
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "3");

        ReplicatorSettings s = ReplicatorSettings.fromEnvironment(env);
        ReplicatorConfig c = s.applyTo(BackupReplicator.builder()).buildConfig();

        assertEquals(2, s.maxConcurrentDestinations());
        assertEquals(3, s.maxConcurrentCallsPerRegion());
        assertEquals(2, c.maxConcurrentDestinations());
        assertEquals(3, c.maxConcurrentCallsPerRegion());
    }

    @Test
    void concurrencyLimitsAcceptTheWholeRangeOfTheLibraryAndItsDescriptionStatesIt() {
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "64");
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "16");
        ReplicatorSettings top = ReplicatorSettings.fromEnvironment(env);
        assertEquals(64, top.maxConcurrentDestinations());
        assertEquals(16, top.maxConcurrentCallsPerRegion());

        env.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "1");
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "1");
        ReplicatorSettings bottom = ReplicatorSettings.fromEnvironment(env);
        assertEquals(1, bottom.maxConcurrentDestinations());
        assertEquals(1, bottom.maxConcurrentCallsPerRegion());

        assertTrue(ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.description().contains(", 1 to 64"));
        assertTrue(ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.description().contains(", 1 to 16:"));
    }

    @Test
    void concurrencyLimitsOutOfRangeAreRejectedWithTheLibrarysBounds() {
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS: maxConcurrentDestinations must be between 1 "
                + "and 64, was 65", "CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "65",
                ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS);
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS: maxConcurrentDestinations must be between 1 "
                + "and 64, was 0", "CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "0",
                ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS);
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION: maxConcurrentCallsPerRegion must be "
                + "between 1 and 16, was 17", "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "17",
                ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION);
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION: maxConcurrentCallsPerRegion must be "
                + "between 1 and 16, was -2", "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "-2",
                ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION);
    }

    @Test
    void concurrencyLimitsThatAreNoNumbersAreRejected() {
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS: 'four' is not a whole number: use a whole "
                + "number from 1 to 64, e.g. 4 (the default)", "CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "four",
                ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS);
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION: '2.5' is not a whole number: use a whole "
                + "number from 1 to 16, e.g. 8 (the default)", "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "2.5",
                ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION);
        assertExactMessage("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION: '99999999999' is too large: use a whole "
                + "number from 1 to 16, e.g. 8 (the default)", "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION",
                "99999999999", ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION);
    }

    @Test
    void concurrencyLimitErrorsNameTheOptionWhenGivenAsOptions() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromOptions(Map.of("source-region", "us-east-1",
                        "destination-regions", "us-west-2", "max-concurrent-calls-per-region", "many")));
        assertEquals("--max-concurrent-calls-per-region: 'many' is not a whole number: use a whole number from 1 "
                + "to 16, e.g. 8 (the default)", e.getMessage());

        e = assertThrows(InvalidSettingException.class, () -> ReplicatorSettings.builder().sourceRegion("us-east-1")
                .destinationRegions(List.of("us-west-2")).maxConcurrentDestinations(100).build());
        assertEquals("--max-concurrent-destinations: maxConcurrentDestinations must be between 1 and 64, was 100",
                e.getMessage());
        assertSame(ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS, e.setting());
    }

    @Test
    void appliesEverySettingToTheReplicatorBuilder() {
        env.put("CLOUDHSM_DR_NAME", "dr-prod");
        env.put("CLOUDHSM_DR_CLUSTERS", "cluster-2n3ulwdpxk6");
        env.put("CLOUDHSM_DR_LOOK_BACK", "latest");
        env.put("CLOUDHSM_DR_WAIT_FOR_READY", "1h30m");
        env.put("CLOUDHSM_DR_COPY_TAGS", "team=payments");
        env.put("CLOUDHSM_DR_RPO_WARN", "PT30H");
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "1");
        env.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "12");
        env.put("CLOUDHSM_DR_KEEP_LAST", "3");
        env.put("CLOUDHSM_DR_KEEP_WITHIN", "7d");

        ReplicatorConfig c = ReplicatorSettings.fromEnvironment(env).applyTo(BackupReplicator.builder()).buildConfig();

        assertEquals("dr-prod", c.name());
        assertEquals(List.of("cluster-2n3ulwdpxk6"), List.copyOf(c.clusterIds()));
        assertTrue(c.selection().latestOnly());
        assertEquals(Duration.ofMinutes(90), c.waitForReady());
        assertEquals(Map.of("team", "payments"), c.copyTags());
        assertEquals(Duration.ofHours(30), c.rpoWarnAfter());
        assertEquals(Duration.ofHours(32), c.rpoCriticalAfter());
        assertEquals(1, c.maxConcurrentDestinations());
        assertEquals(12, c.maxConcurrentCallsPerRegion());
        RetentionPolicy r = c.retentionPolicy().orElseThrow();
        assertEquals(3, r.keepLast());
        assertEquals(Duration.ofDays(7), r.keepWithin());
    }

    @Test
    void aWarningAgeBeyondTheDefaultCriticalAgeRaisesTheCriticalAge() {
        env.put("CLOUDHSM_DR_RPO_WARN", "2d");

        assertEquals(Duration.ofDays(2), ReplicatorSettings.fromEnvironment(env).rpoCriticalAfter());
    }

    @Test
    void errorsNameTheEnvironmentVariable() {
        assertMessage("CLOUDHSM_DR_LOOK_BACK: '0' is zero: give a positive duration such as 30m",
                "CLOUDHSM_DR_LOOK_BACK", "0");
        assertMessage("CLOUDHSM_DR_KEEP_DAILY: 'seven' is not a count", "CLOUDHSM_DR_KEEP_DAILY", "seven");
        assertMessage("CLOUDHSM_DR_DESTINATION_REGIONS: 'us-west-2,,eu-west-1' has an empty element",
                "CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2,,eu-west-1");
        assertMessage("CLOUDHSM_DR_DESTINATION_REGIONS: 'us-nowhere-1' is not a region",
                "CLOUDHSM_DR_DESTINATION_REGIONS", "us-nowhere-1");
        assertMessage("CLOUDHSM_DR_NAME: name 'a b' is not allowed", "CLOUDHSM_DR_NAME", "a b");
        assertMessage("CLOUDHSM_DR_LATEST: 'yes' is not a boolean", "CLOUDHSM_DR_LATEST", "yes");
        assertMessage("CLOUDHSM_DR_COPY_TAGS: 'team' is not key=value", "CLOUDHSM_DR_COPY_TAGS", "team");
    }

    @Test
    void latestAndALookBackContradictEachOther() {
        env.put("CLOUDHSM_DR_LATEST", "true");

        assertMessage("CLOUDHSM_DR_LOOK_BACK: CLOUDHSM_DR_LATEST and CLOUDHSM_DR_LOOK_BACK 3d contradict",
                "CLOUDHSM_DR_LOOK_BACK", "3d");
    }

    @Test
    void missingRegionsAreNamed() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromEnvironment(Map.of("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2")));
        assertEquals("CLOUDHSM_DR_SOURCE_REGION: is required, e.g. us-east-1", e.getMessage());
        assertSame(ReplicatorSettings.SOURCE_REGION, e.setting());
    }

    @Test
    void optionsByKeyAreReadLikeTheEnvironmentAndNamedAsOptions() {
        ReplicatorSettings s = ReplicatorSettings.fromOptions(Map.of("source-region", "us-east-1",
                "destination-regions", "us-west-2", "look-back", "latest", "keep-daily", "7"));
        assertTrue(s.selection().latestOnly());
        assertEquals(7, s.retention().orElseThrow().keepDaily());

        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromOptions(Map.of("source-region", "us-east-1",
                        "destination-regions", "us-west-2", "wait-for-ready", "soon")));
        assertTrue(e.getMessage().startsWith("--wait-for-ready: 'soon' is not a duration"), e.getMessage());
        assertSame(ReplicatorSettings.WAIT_FOR_READY, e.setting());
    }

    @Test
    void blankValuesCountAsAbsent() {
        env.put("CLOUDHSM_DR_LOOK_BACK", "  ");

        assertEquals(Duration.ofDays(14), ReplicatorSettings.fromEnvironment(env).selection().lookBack());
    }

    private void assertExactMessage(String expected, String variable, String value, Setting setting) {
        Map<String, String> e = new HashMap<>(env);
        e.put(variable, value);
        InvalidSettingException ex = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromEnvironment(e));
        assertEquals(expected, ex.getMessage());
        assertSame(setting, ex.setting());
    }

    private void assertMessage(String expected, String variable, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(variable, value);
        InvalidSettingException ex = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromEnvironment(e));
        assertTrue(ex.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: "
                + ex.getMessage());
    }
}
