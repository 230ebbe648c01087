package io.github.cloudhsmdr;

import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

class ReplicatorBuilderTest {
    private final BackupStore store = mock(BackupStore.class);

    private ReplicatorBuilder valid() {
        return BackupReplicator.builder().sourceRegion("us-east-1").destinationRegions("us-west-2")
                .backupStore(store);
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("no destination", (UnaryOperator<ReplicatorBuilder>) b -> b.destinationRegions(),
                        IllegalArgumentException.class, "destinationRegions is empty"),
                Arguments.of("destination equals source",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.destinationRegions("us-east-1"),
                        IllegalArgumentException.class, "destinationRegions contains the source region 'us-east-1'"),
                Arguments.of("unknown region",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.destinationRegions("mars-north-1"),
                        IllegalArgumentException.class, "'mars-north-1', which is not a region id"),
                Arguments.of("unknown source region",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.sourceRegion("us-east-99"),
                        IllegalArgumentException.class, "sourceRegion contains 'us-east-99'"),
                Arguments.of("other partition",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.destinationRegions("us-gov-west-1"),
                        IllegalArgumentException.class, "in partition aws-us-gov, but the source region us-east-1"),
                Arguments.of("duplicate destination",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.destinationRegions("us-west-2", "us-west-2"),
                        IllegalArgumentException.class, "destinationRegions lists 'us-west-2' twice"),
                Arguments.of("malformed cluster id",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.clusterIds("cluster-1234"),
                        IllegalArgumentException.class, "clusterIds contains 'cluster-1234', which is not a cluster id"),
                Arguments.of("duplicate cluster id",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.clusterIds("cluster-abcdefghijk", "cluster-abcdefghijk"),
                        IllegalArgumentException.class, "clusterIds lists 'cluster-abcdefghijk' twice"),
                Arguments.of("bad name", (UnaryOperator<ReplicatorBuilder>) b -> b.name("has space"),
                        IllegalArgumentException.class, "name 'has space' is not allowed"),
                Arguments.of("reserved tag", (UnaryOperator<ReplicatorBuilder>) b -> b.copyTags(Map.of("aws:x", "y")),
                        IllegalArgumentException.class, "copyTags key 'aws:x' uses a reserved prefix"),
                Arguments.of("library tag",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.copyTags(Map.of(CopyTags.OWNER, "y")),
                        IllegalArgumentException.class, "copyTags key 'cloudhsm-dr:replicator' uses a reserved prefix"),
                Arguments.of("negative wait",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.waitForReady(Duration.ofSeconds(-1)),
                        IllegalArgumentException.class, "waitForReady must be zero (do not wait) or positive, was PT-1S"),
                Arguments.of("zero poll interval",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.pollInterval(Duration.ZERO, Duration.ofMinutes(1)),
                        IllegalArgumentException.class, "pollInterval must be positive, was PT0S"),
                Arguments.of("max poll below first",
                        (UnaryOperator<ReplicatorBuilder>) b -> b.pollInterval(Duration.ofMinutes(2), Duration.ofMinutes(1)),
                        IllegalStateException.class, "maxPollInterval PT1M is shorter than pollInterval PT2M"),
                Arguments.of("concurrency", (UnaryOperator<ReplicatorBuilder>) b -> b.maxConcurrentDestinations(0),
                        IllegalArgumentException.class, "maxConcurrentDestinations must be between 1 and 64, was 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void rejectsBadConfigurationWithAMessageNamingFieldAndValue(String caseName, UnaryOperator<ReplicatorBuilder> change,
            Class<? extends RuntimeException> type, String expected) {
        RuntimeException e = assertThrows(type, () -> change.apply(valid()).buildConfig());
        assertTrue(e.getMessage().contains(expected), () -> caseName + ": " + e.getMessage());
    }

    @Test
    void rejectsNonPositiveLookBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Selection.allWithin(Duration.ZERO));
        assertEquals("selection.lookBack must be positive, was PT0S", e.getMessage());
    }

    @Test
    void requiresSourceRegion() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> BackupReplicator.builder().destinationRegions("us-west-2").backupStore(store).buildConfig());
        assertTrue(e.getMessage().contains("sourceRegion"), e.getMessage());
    }

    @Test
    void tooManyUserTagsAreRejected() {
        Map<String, String> tags = new java.util.HashMap<>();
        for (int i = 0; i < 47; i++) {
            tags.put("k" + i, "v");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().copyTags(tags).buildConfig());
        assertTrue(e.getMessage().contains("at most 46 are allowed"), e.getMessage());
    }

    @Test
    void govCloudRegionsReplicateToEachOther() {
        ReplicatorConfig c = valid().sourceRegion("us-gov-east-1").destinationRegions("us-gov-west-1").buildConfig();
        assertEquals("us-gov-west-1", c.destinationRegions().get(0));
    }

    @Test
    void toBuilderRoundTrips() {
        ReplicatorConfig c = valid().name("dr").clusterIds("cluster-abcdefghijk").selection(Selection.latest())
                .destinationRegions("us-west-2", "eu-west-1").buildConfig();
        ReplicatorConfig again = c.toBuilder().buildConfig();
        assertEquals(c.toString(), again.toString());
        assertEquals(Selection.latest(), again.selection());
    }
}
