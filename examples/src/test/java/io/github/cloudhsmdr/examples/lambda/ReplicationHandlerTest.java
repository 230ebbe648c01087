package io.github.cloudhsmdr.examples.lambda;

import io.github.cloudhsmdr.examples.support.DemoEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationHandlerTest {
    private final DemoEmulator demo = DemoEmulator.onVirtualClock();

    @AfterEach
    void stop() {
        demo.close();
    }

    private Map<String, String> environment(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1",
                "DESTINATION_REGIONS", "us-west-2, eu-west-1",
                "REPLICATOR_NAME", "lambda-test",
                "LOOK_BACK", "7d",
                "WAIT_FOR_READY", "30m",
                "CLOUDHSM_ENDPOINT", demo.endpoint()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private ReplicationHandler handler(Map<String, String> env) {
        return new ReplicationHandler(env, demo.clock(), demo.clock()::advance);
    }

    @Test
    void replicatesAndReturnsTheReportAsAMap() {
        Map<String, Object> result = handler(environment()).handleRequest(Map.of("source", "aws.events"), null);

        assertEquals("replicate", result.get("mode"));
        assertEquals("SUCCESS", result.get("status"));
        assertEquals("us-east-1", result.get("sourceRegion"));
        assertEquals(28L, counts(result).get("copied"));
        assertEquals(0L, counts(result).get("failed"));
        assertEquals(List.of(), result.get("failures"));
        assertEquals(4, ((List<?>) result.get("pairs")).size());
        assertEquals(14, demo.readyCopiesIn("us-west-2"));
        assertTrue(demo.copiesIn("eu-west-1").stream()
                .allMatch(b -> "lambda-test".equals(b.tags().get("cloudhsm-dr:replicator"))));
    }

    @Test
    void buildsTheReplicatorOnceAndReusesItAcrossInvocations() {
        ReplicationHandler handler = handler(environment());

        handler.handleRequest(null, null);
        long requestsAfterFirst = demo.emulator().requestLog().size();
        Map<String, Object> second = handler.handleRequest(Map.of(), null);

        assertEquals("SUCCESS", second.get("status"));
        assertEquals(0L, counts(second).get("copied"));
        assertEquals(28L, counts(second).get("alreadyPresent"));
        assertTrue(demo.emulator().requestLog().size() > requestsAfterFirst);
        assertEquals(1, handler.replicatorBuilds());
    }

    @Test
    void failedRunFailsTheInvocation() {
        demo.emulator().faults().error("DescribeClusters", "us-east-1", 1.0, "CloudHsmAccessDeniedException");
        ReplicationHandler handler = handler(environment());

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler.handleRequest(Map.of(), null));

        assertEquals("FAILED", e.status());
        assertTrue(e.getMessage().startsWith("Replication FAILED: replicator=lambda-test"), e.getMessage());
        assertTrue(e.getMessage().contains("ACCESS_DENIED"), e.getMessage());
        assertEquals("FAILED", e.result().get("status"));
    }

    @Test
    void partialRunReturnsNormallyWithStatusPartial() {
        demo.emulator().faults().error("DescribeBackups", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        Map<String, Object> result = handler(environment()).handleRequest(Map.of(), null);

        assertEquals("PARTIAL", result.get("status"));
        assertEquals(14L, counts(result).get("copied"));
        List<?> failures = (List<?>) result.get("failures");
        assertEquals(2, failures.size(), failures.toString());
        assertEquals("ACCESS_DENIED", ((Map<?, ?>) failures.get(0)).get("kind"));
    }

    @Test
    void partialRunFailsTheInvocationWhenAskedTo() {
        demo.emulator().faults().error("DescribeBackups", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler(environment("FAIL_ON_PARTIAL", "true")).handleRequest(Map.of(), null));

        assertEquals("PARTIAL", e.status());
        assertTrue(e.getMessage().contains("failures: DescribeBackups failed in eu-west-1"), e.getMessage());
        assertEquals(14, demo.copiesIn("us-west-2").size());
    }

    @Test
    void planModeReturnsThePlanAndChangesNothing() {
        Map<String, Object> plan = handler(environment()).handleRequest(Map.of("mode", "plan"), null);

        assertEquals("plan", plan.get("mode"));
        assertEquals(28, plan.get("copies"));
        assertEquals(0, demo.copiesIn("us-west-2").size());
    }

    @Test
    void rpoModeFailsTheInvocationWhileARegionHoldsNoCopy() {
        ReplicationHandler handler = handler(environment("CLUSTER_IDS", demo.cluster(0)));

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler.handleRequest(Map.of("mode", "rpo"), null));
        assertEquals("MISSING", e.status());
        assertTrue(e.getMessage().contains(demo.cluster(0) + " in us-west-2 MISSING"), e.getMessage());

        handler.handleRequest(Map.of(), null);
        Map<String, Object> points = handler.handleRequest(Map.of("mode", "RPO"), null);

        assertEquals("OK", points.get("worst"));
        assertEquals(3, ((List<?>) points.get("points")).size());
    }

    @Test
    void sourceRegionDefaultsToTheFunctionsRegionAndCanBeSet() {
        Map<String, String> env = environment("AWS_REGION", "eu-west-1", "SOURCE_REGION", "us-east-1");
        assertEquals("us-east-1", handler(env).handleRequest(Map.of("mode", "plan"), null).get("sourceRegion"));

        env.remove("SOURCE_REGION");
        env.put("DESTINATION_REGIONS", "us-west-2");
        assertEquals("eu-west-1", handler(env).handleRequest(Map.of("mode", "plan"), null).get("sourceRegion"));
    }

    @Test
    void missingDestinationRegionsNamesTheVariable() {
        Map<String, String> env = environment();
        env.remove("DESTINATION_REGIONS");

        assertConfigurationError("DESTINATION_REGIONS: is required", env);
    }

    @Test
    void missingSourceRegionNamesTheVariable() {
        Map<String, String> env = environment();
        env.remove("AWS_REGION");

        assertConfigurationError("SOURCE_REGION: is required", env);
    }

    @Test
    void badLookBackNamesTheVariableAndTheValue() {
        assertConfigurationError("LOOK_BACK: '2 weeks' is not a duration", environment("LOOK_BACK", "2 weeks"));
    }

    @Test
    void badRegionNamesTheVariableAndTheValue() {
        assertConfigurationError("DESTINATION_REGIONS: destinationRegions contains 'eu-nowhere-9'",
                environment("DESTINATION_REGIONS", "us-west-2,eu-nowhere-9"));
    }

    @Test
    void badClusterIdNamesTheVariable() {
        assertConfigurationError("CLUSTER_IDS: clusterIds contains 'payments'", environment("CLUSTER_IDS", "payments"));
    }

    @Test
    void badBooleanNamesTheVariable() {
        assertConfigurationError("FAIL_ON_PARTIAL: 'yes' is not a boolean", environment("FAIL_ON_PARTIAL", "yes"));
    }

    @Test
    void badCopyTagsNameTheVariable() {
        assertConfigurationError("COPY_TAGS: 'team' is not key=value", environment("COPY_TAGS", "team"));
    }

    @Test
    void unknownModeNamesTheInputField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler(environment()).handleRequest(Map.of("mode", "restore"), null));
        assertTrue(e.getMessage().startsWith("input field 'mode' is 'restore'"), e.getMessage());
    }

    @Test
    void latestLookBackCopiesOnlyTheNewestBackups() {
        Map<String, Object> result = handler(environment("LOOK_BACK", "latest")).handleRequest(Map.of(), null);

        assertEquals(4L, counts(result).get("copied"));
    }

    @Test
    void retentionFromTheEnvironmentDeletesOlderCopies() {
        handler(environment()).handleRequest(Map.of(), null);

        Map<String, Object> result = handler(environment("KEEP_DAILY", "2")).handleRequest(Map.of(), null);

        assertEquals("SUCCESS", result.get("status"));
        assertEquals(20L, counts(result).get("deleted"));
        assertEquals(4, demo.readyCopiesIn("eu-west-1"));
    }

    @Test
    void badRetentionCountNamesTheVariable() {
        assertConfigurationError("KEEP_WEEKLY: 'many' is not a count", environment("KEEP_WEEKLY", "many"));
    }

    private void assertConfigurationError(String expected, Map<String, String> env) {
        ReplicationHandler handler = handler(env);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handleRequest(Map.of(), null));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: " + e.getMessage());
        assertEquals(0, demo.emulator().requestLog().size());
    }

    private static Map<?, ?> counts(Map<String, Object> result) {
        return (Map<?, ?>) result.get("counts");
    }
}
