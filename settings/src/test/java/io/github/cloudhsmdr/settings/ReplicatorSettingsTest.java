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
        assertEquals(16, ReplicatorSettings.ALL.size());
        for (Setting s : ReplicatorSettings.ALL) {
            assertEquals("CLOUDHSM_DR_" + s.key().toUpperCase().replace('-', '_'), s.environmentVariable());
            assertEquals("--" + s.key(), s.option());
        }
        assertEquals("CLOUDHSM_DR_WAIT_FOR_READY", ReplicatorSettings.WAIT_FOR_READY.environmentVariable());
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
    }

    @Test
    void appliesEverySettingToTheReplicatorBuilder() {
        env.put("CLOUDHSM_DR_NAME", "dr-prod");
        env.put("CLOUDHSM_DR_CLUSTERS", "cluster-2n3ulwdpxk6");
        env.put("CLOUDHSM_DR_LOOK_BACK", "latest");
        env.put("CLOUDHSM_DR_WAIT_FOR_READY", "1h30m");
        env.put("CLOUDHSM_DR_COPY_TAGS", "team=payments");
        env.put("CLOUDHSM_DR_RPO_WARN", "PT30H");
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

    private void assertMessage(String expected, String variable, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(variable, value);
        InvalidSettingException ex = assertThrows(InvalidSettingException.class,
                () -> ReplicatorSettings.fromEnvironment(e));
        assertTrue(ex.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: "
                + ex.getMessage());
    }
}
