package io.github.cloudhsmdr;

import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.TestReplicator;
import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/**
 * Every duration and count of every builder has an upper bound that {@code build()} (or the factory) checks, so a
 * value that would overflow or make no sense fails at once, naming the field, the value and the bound, instead of
 * passing {@code build()} and failing inside a run.
 */
class ConfigurationBoundsTest {
    static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    static final BackupStore STORE = mock(BackupStore.class);

    static ReplicatorBuilder replicator() {
        return BackupReplicator.builder().sourceRegion("us-east-1").destinationRegions("us-west-2")
                .backupStore(STORE);
    }

    static RetentionPolicy.Builder retention() {
        return RetentionPolicy.builder().keepDaily(7);
    }

    static ReplicationTask.Builder task() {
        return ReplicationTask.builder(TestReplicator.succeeding("dr"));
    }

    static Arguments tooLarge(String field, Object value, Object bound, Executable build) {
        return Arguments.of(field, String.valueOf(value), String.valueOf(bound), build);
    }

    static Stream<Arguments> valuesAboveTheirBound() {
        return Stream.of(
                tooLarge("selection.lookBack", FOREVER, Selection.MAX_LOOK_BACK, () -> Selection.allWithin(FOREVER)),
                tooLarge("selection.lookBack", Duration.ofDays(3651), Selection.MAX_LOOK_BACK,
                        () -> Selection.allWithin(Duration.ofDays(3651))),
                tooLarge("retention.keepWithin", FOREVER, RetentionPolicy.MAX_KEEP_WITHIN,
                        () -> retention().keepWithin(FOREVER).build()),
                tooLarge("retention.keepLast", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepLast(10_001).build()),
                tooLarge("retention.keepHourly", Integer.MAX_VALUE, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepHourly(Integer.MAX_VALUE).build()),
                tooLarge("retention.keepDaily", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepDaily(10_001).build()),
                tooLarge("retention.keepWeekly", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepWeekly(10_001).build()),
                tooLarge("retention.keepMonthly", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepMonthly(10_001).build()),
                tooLarge("retention.keepYearly", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().keepYearly(10_001).build()),
                tooLarge("retention.minReadyCopies", 10_001, RetentionPolicy.MAX_COUNT,
                        () -> retention().minReadyCopies(10_001).build()),
                tooLarge("maxBackoff", HUGE, RetryPolicy.MAX_BACKOFF,
                        () -> RetryPolicy.builder().maxBackoff(HUGE).build()),
                tooLarge("initialBackoff", Duration.ofHours(2), RetryPolicy.MAX_BACKOFF,
                        () -> RetryPolicy.builder().initialBackoff(Duration.ofHours(2)).build()),
                tooLarge("throttlingBackoff", Duration.ofHours(2), RetryPolicy.MAX_BACKOFF,
                        () -> RetryPolicy.builder().throttlingBackoff(Duration.ofHours(2)).build()),
                tooLarge("maxTotalTime", Duration.ofHours(25), RetryPolicy.MAX_TOTAL_TIME,
                        () -> RetryPolicy.builder().maxTotalTime(Duration.ofHours(25)).build()),
                tooLarge("maxAttempts", 101, RetryPolicy.MAX_ATTEMPTS,
                        () -> RetryPolicy.builder().maxAttempts(101).build()),
                tooLarge("multiplier", 11.0, RetryPolicy.MAX_MULTIPLIER,
                        () -> RetryPolicy.builder().multiplier(11.0).build()),
                tooLarge("waitForReady", Duration.ofHours(25), ReplicatorBuilder.MAX_WAIT_FOR_READY,
                        () -> replicator().waitForReady(Duration.ofHours(25)).buildConfig()),
                tooLarge("pollInterval", HUGE, ReplicatorBuilder.MAX_POLL_INTERVAL,
                        () -> replicator().pollInterval(HUGE, HUGE).buildConfig()),
                tooLarge("maxPollInterval", Duration.ofHours(2), ReplicatorBuilder.MAX_POLL_INTERVAL,
                        () -> replicator().pollInterval(Duration.ofSeconds(1), Duration.ofHours(2)).buildConfig()),
                tooLarge("rpoWarnAfter", FOREVER, ReplicatorBuilder.MAX_RECOVERY_POINT_OBJECTIVE,
                        () -> replicator().recoveryPointObjective(FOREVER, FOREVER).buildConfig()),
                tooLarge("rpoCriticalAfter", Duration.ofDays(400), ReplicatorBuilder.MAX_RECOVERY_POINT_OBJECTIVE,
                        () -> replicator().recoveryPointObjective(Duration.ofDays(1), Duration.ofDays(400))
                                .buildConfig()),
                tooLarge("selection.lookBack", FOREVER, Selection.MAX_LOOK_BACK,
                        () -> replicator().selection(Selection.allWithin(FOREVER)).buildConfig()),
                tooLarge("lockAtMostFor", HUGE, ReplicationTask.MAX_LOCK_AT_MOST_FOR,
                        () -> task().lockAtMostFor(HUGE).build()),
                tooLarge("lockAtLeastFor", Duration.ofDays(8), ReplicationTask.MAX_LOCK_AT_MOST_FOR,
                        () -> task().lockAtLeastFor(Duration.ofDays(8)).build()),
                tooLarge("lockName", "x".repeat(65).length(), ReplicationTask.MAX_LOCK_NAME_LENGTH,
                        () -> task().lockName("x".repeat(65)).build()));
    }

    @ParameterizedTest(name = "{0} = {1} (bound {2})")
    @MethodSource("valuesAboveTheirBound")
    void aValueAboveItsBoundFailsInBuildNamingFieldValueAndBound(String field, String value, String bound,
            Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(bound), e.getMessage());
    }

    static Stream<Arguments> valuesAtTheirBound() {
        return Stream.of(
                Arguments.of("selection", (Executable) () -> Selection.allWithin(Selection.MAX_LOOK_BACK)),
                Arguments.of("retention", (Executable) () -> RetentionPolicy.builder()
                        .keepLast(RetentionPolicy.MAX_COUNT).keepHourly(RetentionPolicy.MAX_COUNT)
                        .keepDaily(RetentionPolicy.MAX_COUNT).keepWeekly(RetentionPolicy.MAX_COUNT)
                        .keepMonthly(RetentionPolicy.MAX_COUNT).keepYearly(RetentionPolicy.UNLIMITED)
                        .minReadyCopies(RetentionPolicy.MAX_COUNT).keepWithin(RetentionPolicy.MAX_KEEP_WITHIN).build()),
                Arguments.of("retry", (Executable) () -> RetryPolicy.builder().maxAttempts(RetryPolicy.MAX_ATTEMPTS)
                        .initialBackoff(RetryPolicy.MAX_BACKOFF).throttlingBackoff(RetryPolicy.MAX_BACKOFF)
                        .maxBackoff(RetryPolicy.MAX_BACKOFF).multiplier(RetryPolicy.MAX_MULTIPLIER)
                        .maxTotalTime(RetryPolicy.MAX_TOTAL_TIME).build()),
                Arguments.of("replicator", (Executable) () -> replicator()
                        .waitForReady(ReplicatorBuilder.MAX_WAIT_FOR_READY)
                        .pollInterval(ReplicatorBuilder.MAX_POLL_INTERVAL, ReplicatorBuilder.MAX_POLL_INTERVAL)
                        .recoveryPointObjective(ReplicatorBuilder.MAX_RECOVERY_POINT_OBJECTIVE,
                                ReplicatorBuilder.MAX_RECOVERY_POINT_OBJECTIVE).buildConfig()),
                Arguments.of("task", (Executable) () -> task().lockAtMostFor(ReplicationTask.MAX_LOCK_AT_MOST_FOR)
                        .lockAtLeastFor(ReplicationTask.MAX_LOCK_AT_MOST_FOR)
                        .lockName("x".repeat(ReplicationTask.MAX_LOCK_NAME_LENGTH)).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesAtTheirBound")
    void everyBoundItselfIsAllowed(String builder, Executable build) {
        assertDoesNotThrow(build);
    }
}
