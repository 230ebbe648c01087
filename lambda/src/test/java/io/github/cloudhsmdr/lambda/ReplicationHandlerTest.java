package io.github.cloudhsmdr.lambda;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.DemoData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler against the CloudHSM emulator over HTTP (the real AWS SDK), invoked with event documents shaped as
 * EventBridge Scheduler and EventBridge deliver them, on a virtual clock.
 */
class ReplicationHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "us-east-1";

    private final MutableClock clock = MutableClock.at("2026-11-28T02:00:00Z");
    private final CloudHsmEmulator emulator = CloudHsmEmulator.builder().clock(clock).seed(7L).build();
    private final List<Cluster> clusters = DemoData.seed(emulator.model(), SOURCE);
    private final ByteArrayOutputStream metricsOut = new ByteArrayOutputStream();

    {
        emulator.start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private Map<String, String> environment(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", SOURCE,
                "CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2, eu-west-1",
                "CLOUDHSM_DR_NAME", "lambda-test",
                "CLOUDHSM_DR_LOOK_BACK", "7d",
                "CLOUDHSM_DR_WAIT_FOR_READY", "30m",
                "CLOUDHSM_DR_ENDPOINT_URL", emulator.endpoint().toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private ReplicationHandler handler(Map<String, String> env) {
        return new ReplicationHandler(env, clock, clock::advance,
                new PrintStream(metricsOut, true, StandardCharsets.UTF_8));
    }

    static Map<String, Object> event(String name) {
        try (InputStream in = ReplicationHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> metricDocuments() {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : metricsOut.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    docs.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not one JSON object per line: " + line, e);
                }
            }
        }
        return docs;
    }

    @Test
    void schedulerInvocationReplicatesAndReturnsTheRunAndTheRecoveryPoints() {
        Map<String, Object> result = handler(environment())
                .handleRequest(event("scheduler-invocation.json"), new TestContext("req-1", 900_000));

        assertEquals("replicate", result.get("mode"));
        assertEquals("SUCCESS", result.get("status"));
        assertEquals(SOURCE, result.get("sourceRegion"));
        assertEquals(28L, counts(result).get("copied"));
        assertEquals(0L, counts(result).get("failed"));
        assertEquals(List.of(), result.get("failures"));
        Map<?, ?> points = (Map<?, ?>) result.get("recoveryPoints");
        assertEquals("OK", points.get("worst"));
        assertEquals(6, ((List<?>) points.get("points")).size(), "2 clusters x (source + 2 destinations)");
        assertEquals(14, readyCopiesIn("us-west-2"));
        assertTrue(copiesIn("eu-west-1").stream()
                .allMatch(b -> "lambda-test".equals(b.tags().get("cloudhsm-dr:replicator"))));
    }

    @Test
    void classicScheduledEventReplicatesToo() {
        Map<String, Object> result = handler(environment())
                .handleRequest(event("eventbridge-scheduled-event.json"), new TestContext("req-2", 900_000));

        assertEquals("SUCCESS", result.get("status"));
        assertEquals(28L, counts(result).get("copied"));
    }

    @Test
    void writesOneRunDocumentAndOneDocumentPerRecoveryPointInEmbeddedMetricFormat() {
        handler(environment()).handleRequest(event("scheduler-invocation.json"), new TestContext("req-3", 900_000));

        List<JsonNode> docs = metricDocuments();
        assertEquals(7, docs.size(), "the run and 6 recovery points");
        JsonNode run = docs.get(0);
        JsonNode directive = run.at("/_aws/CloudWatchMetrics/0");
        assertEquals("CloudHsmDr", directive.get("Namespace").asText());
        assertEquals("[[\"Replicator\"]]", directive.get("Dimensions").toString());
        assertEquals(clock.instant().toEpochMilli(), run.at("/_aws/Timestamp").asLong());
        assertEquals("lambda-test", run.get("Replicator").asText());
        assertEquals("SUCCESS", run.get("RunStatus").asText());
        assertEquals("req-3", run.get("RequestId").asText());
        assertEquals(1, run.get("SuccessfulRuns").asInt());
        assertEquals(0, run.get("FailedRuns").asInt());
        assertEquals(28, run.get("CopiesStarted").asInt());
        assertEquals(0, run.get("WorstRecoveryPointStatus").asInt());
        assertTrue(run.get("OldestRecoveryPointAge").asLong() > 22 * 3600, run.toString());
        for (JsonNode metric : directive.get("Metrics")) {
            assertTrue(run.has(metric.get("Name").asText()), "every declared metric has a value: " + metric);
        }

        JsonNode point = docs.get(1);
        assertEquals("[[\"Replicator\",\"Cluster\",\"Region\"]]",
                point.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("lambda-test", point.get("Replicator").asText());
        assertTrue(clusters.stream().anyMatch(c -> c.clusterId().equals(point.get("Cluster").asText())));
        assertEquals("OK", point.get("RecoveryPointState").asText());
        assertEquals(0, point.get("RecoveryPointStatus").asInt());
        assertTrue(point.get("RecoveryPointAge").asLong() > 0);
        assertEquals(List.of("us-east-1", "us-west-2", "eu-west-1"),
                docs.subList(1, 4).stream().map(d -> d.get("Region").asText()).toList());
    }

    @Test
    void carriesTheEnginesRunIdIntoTheMetricsAndClearsTheContextAfterwards() {
        handler(environment()).handleRequest(Map.of(), new TestContext("req-8", 900_000));

        List<JsonNode> docs = metricDocuments();
        String runId = docs.get(0).get("RunId").asText();
        assertFalse(runId.isBlank(), docs.toString());
        assertTrue(docs.stream().allMatch(d -> runId.equals(d.get("RunId").asText())
                && "req-8".equals(d.get("RequestId").asText())), docs.toString());
        assertNull(MDC.get(ReplicationHandler.RUN_ID));
        assertNull(MDC.get(ReplicationHandler.REQUEST_ID));
    }

    @Test
    void buildsTheReplicatorOnceAndReusesItAcrossInvocations() {
        ReplicationHandler handler = handler(environment());

        handler.handleRequest(null, null);
        long requestsAfterFirst = emulator.requestLog().size();
        Map<String, Object> second = handler.handleRequest(Map.of(), null);

        assertEquals("SUCCESS", second.get("status"));
        assertEquals(0L, counts(second).get("copied"));
        assertEquals(28L, counts(second).get("alreadyPresent"));
        assertTrue(emulator.requestLog().size() > requestsAfterFirst);
        assertEquals(1, handler.replicatorBuilds());
    }

    @Test
    void initMakesNoNetworkCallAndCreatesNoClientSoSnapStartCanSnapshotIt() {
        ReplicationHandler handler = handler(environment());

        assertFalse(handler.initialized());
        assertEquals(0, emulator.requestLog().size());

        handler.handleRequest(Map.of("mode", "plan"), null);
        assertTrue(handler.initialized());
        assertTrue(emulator.requestLog().size() > 0);
    }

    @Test
    void failedRunFailsTheInvocationAfterWritingItsMetrics() {
        emulator.faults().error("DescribeClusters", SOURCE, 1.0, "CloudHsmAccessDeniedException");
        ReplicationHandler handler = handler(environment());

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler.handleRequest(event("scheduler-invocation.json"), null));

        assertEquals("FAILED", e.status());
        assertTrue(e.getMessage().startsWith("Replication FAILED: replicator=lambda-test"), e.getMessage());
        assertTrue(e.getMessage().contains("ACCESS_DENIED"), e.getMessage());
        assertEquals("FAILED", e.result().get("status"));
        JsonNode run = metricDocuments().get(0);
        assertEquals(0, run.get("SuccessfulRuns").asInt());
        assertEquals(1, run.get("FailedRuns").asInt());
        assertEquals(4, run.get("WorstRecoveryPointStatus").asInt(), "UNKNOWN: nothing could be measured");
    }

    @Test
    void newCopiesNotYetReadyAreMissingRecoveryPointsAndFailTheInvocation() {
        ReplicationHandler handler = handler(environment("CLOUDHSM_DR_WAIT_FOR_READY", "0"));

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler.handleRequest(event("scheduler-invocation.json"), null));

        assertEquals("MISSING", e.status());
        assertEquals("SUCCESS", e.result().get("status"), "the run itself did what it could");
        assertTrue(e.getMessage().startsWith("Recovery points of replicator 'lambda-test' are MISSING: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(" in us-west-2 MISSING"), e.getMessage());
        assertEquals(1, metricDocuments().get(0).get("SuccessfulRuns").asInt());
    }

    @Test
    void criticalRecoveryPointsFailTheInvocation() {
        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler(environment("CLOUDHSM_DR_RPO_WARN", "1h", "CLOUDHSM_DR_RPO_CRITICAL", "2h"))
                        .handleRequest(event("eventbridge-scheduled-event.json"), null));

        assertEquals("CRITICAL", e.status());
        JsonNode run = metricDocuments().get(0);
        assertEquals(2, run.get("WorstRecoveryPointStatus").asInt());
        assertTrue(run.get("OldestRecoveryPointAge").asLong() > 2 * 3600);
    }

    @Test
    void partialRunWithGoodRecoveryPointsReturnsNormally() {
        handler(environment()).handleRequest(Map.of(), null);
        emulator.faults().error("DeleteBackup", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        Map<String, Object> result = handler(environment("CLOUDHSM_DR_KEEP_DAILY", "2")).handleRequest(Map.of(), null);

        assertEquals("PARTIAL", result.get("status"));
        assertEquals(10L, counts(result).get("deleted"), "us-west-2 pruned, eu-west-1 refused");
        assertEquals("OK", ((Map<?, ?>) result.get("recoveryPoints")).get("worst"));
        assertEquals(1, metricDocuments().stream().filter(d -> d.has("PartialRuns"))
                .filter(d -> d.get("PartialRuns").asInt() == 1).count());
    }

    @Test
    void partialRunFailsTheInvocationWhenAskedTo() {
        handler(environment()).handleRequest(Map.of(), null);
        emulator.faults().error("DeleteBackup", "eu-west-1", 1.0, "CloudHsmAccessDeniedException");

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler(environment("CLOUDHSM_DR_KEEP_DAILY", "2", "CLOUDHSM_DR_FAIL_ON_PARTIAL", "true"))
                        .handleRequest(Map.of(), null));

        assertEquals("PARTIAL", e.status());
        assertTrue(e.getMessage().contains("; failures: "), e.getMessage());
    }

    @Test
    void planModeReturnsThePlanAndChangesNothing() {
        Map<String, Object> plan = handler(environment()).handleRequest(Map.of("mode", "plan"), null);

        assertEquals("plan", plan.get("mode"));
        assertEquals(28, plan.get("copies"));
        assertEquals(0, copiesIn("us-west-2").size());
        assertEquals("", metricsOut.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rpoModeFailsWhileARegionHoldsNoCopyAndPassesOnceItDoes() {
        ReplicationHandler handler = handler(environment("CLOUDHSM_DR_CLUSTERS", clusters.get(0).clusterId()));

        ReplicationFailedException e = assertThrows(ReplicationFailedException.class,
                () -> handler.handleRequest(event("eventbridge-rpo-input.json"), null));
        assertEquals("MISSING", e.status());
        assertTrue(e.getMessage().contains(clusters.get(0).clusterId() + " in us-west-2 MISSING"), e.getMessage());
        JsonNode run = metricDocuments().get(0);
        assertNull(run.get("RunStatus"), "no run in rpo mode");
        assertEquals(3, run.get("WorstRecoveryPointStatus").asInt());

        handler.handleRequest(Map.of(), null);
        Map<String, Object> points = handler.handleRequest(Map.of("mode", "RPO"), null);

        assertEquals("rpo", points.get("mode"));
        assertEquals("OK", ((Map<?, ?>) points.get("recoveryPoints")).get("worst"));
    }

    @Test
    void sourceRegionDefaultsToTheFunctionsRegionAndCanBeSet() {
        Map<String, String> env = environment("AWS_REGION", "eu-west-1", "CLOUDHSM_DR_SOURCE_REGION", SOURCE);
        ReplicationHandler handler = handler(env);
        handler.handleRequest(Map.of(), null);
        assertEquals(14, readyCopiesIn("us-west-2"));

        env.remove("CLOUDHSM_DR_SOURCE_REGION");
        env.put("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2");
        assertEquals(0, handler(env).handleRequest(Map.of("mode", "plan"), null).get("copies"),
                "eu-west-1 holds no cluster of its own");
    }

    @Test
    void missingDestinationRegionsNamesTheVariable() {
        Map<String, String> env = environment();
        env.remove("CLOUDHSM_DR_DESTINATION_REGIONS");

        assertConfigurationError("CLOUDHSM_DR_DESTINATION_REGIONS: is required", env);
    }

    @Test
    void missingSourceRegionNamesTheVariable() {
        Map<String, String> env = environment();
        env.remove("AWS_REGION");

        assertConfigurationError("CLOUDHSM_DR_SOURCE_REGION: is required", env);
    }

    @Test
    void badLookBackNamesTheVariableAndTheValue() {
        assertConfigurationError("CLOUDHSM_DR_LOOK_BACK: '2 weeks' is not a duration: use a whole number",
                environment("CLOUDHSM_DR_LOOK_BACK", "2 weeks"));
    }

    @Test
    void badRegionNamesTheVariableAndTheValue() {
        assertConfigurationError("CLOUDHSM_DR_DESTINATION_REGIONS: 'eu-nowhere-9' is not a region the AWS SDK knows",
                environment("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2,eu-nowhere-9"));
    }

    @Test
    void badClusterIdNamesTheVariable() {
        assertConfigurationError("CLOUDHSM_DR_CLUSTERS: clusterIds contains 'payments'",
                environment("CLOUDHSM_DR_CLUSTERS", "payments"));
    }

    @Test
    void badBooleanNamesTheVariable() {
        assertConfigurationError("CLOUDHSM_DR_FAIL_ON_PARTIAL: 'yes' is not a boolean",
                environment("CLOUDHSM_DR_FAIL_ON_PARTIAL", "yes"));
    }

    @Test
    void badCopyTagsNameTheVariable() {
        assertConfigurationError("CLOUDHSM_DR_COPY_TAGS: 'team' is not key=value",
                environment("CLOUDHSM_DR_COPY_TAGS", "team"));
    }

    @Test
    void badRetentionCountNamesTheVariable() {
        assertConfigurationError("CLOUDHSM_DR_KEEP_WEEKLY: 'many' is not a count",
                environment("CLOUDHSM_DR_KEEP_WEEKLY", "many"));
    }

    @Test
    void criticalShorterThanWarningNamesBoth() {
        assertConfigurationError("CLOUDHSM_DR_RPO_CRITICAL: '2h' is shorter than the warning age 3h "
                + "(CLOUDHSM_DR_RPO_WARN)", environment("CLOUDHSM_DR_RPO_WARN", "3h", "CLOUDHSM_DR_RPO_CRITICAL", "2h"));
    }

    @Test
    void badEndpointNamesTheVariable() {
        assertConfigurationError("CLOUDHSM_DR_ENDPOINT_URL: 'ftp://x' is not an http(s) URL",
                environment("CLOUDHSM_DR_ENDPOINT_URL", "ftp://x"));
    }

    @Test
    void unknownModeNamesTheInputField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler(environment()).handleRequest(Map.of("mode", "restore"), null));
        assertTrue(e.getMessage().startsWith("input field 'mode' is 'restore'"), e.getMessage());
    }

    @Test
    void concurrencyLimitsFromTheEnvironmentReachTheReplicator() {
        ReplicationHandler handler = handler(environment("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "1",
                "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "3"));

        Map<String, Object> result = handler.handleRequest(Map.of(), null);

        assertEquals("SUCCESS", result.get("status"));
        assertEquals(28L, counts(result).get("copied"));
        assertEquals(1, handler.replicatorConfig().maxConcurrentDestinations());
        assertEquals(3, handler.replicatorConfig().maxConcurrentCallsPerRegion());
    }

    @Test
    void concurrencyLimitsDefaultToTheLibrarysOwn() {
        ReplicationHandler handler = handler(environment());
        assertNull(handler.replicatorConfig());

        handler.handleRequest(Map.of("mode", "plan"), null);

        assertEquals(Integer.parseInt(ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.defaultText()),
                handler.replicatorConfig().maxConcurrentDestinations());
        assertEquals(Integer.parseInt(ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.defaultText()),
                handler.replicatorConfig().maxConcurrentCallsPerRegion());
    }

    @Test
    void badConcurrencyLimitNamesTheVariableTheValueAndWhatIsAllowed() {
        assertConfigurationError("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION: 'lots' is not a whole number: use a "
                + "whole number from 1 to 16, e.g. 8 (the default)",
                environment("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "lots"));
        assertConfigurationError("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS: maxConcurrentDestinations must be between "
                + "1 and 64, was 100", environment("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "100"));
    }

    @Test
    void latestCopiesOnlyTheNewestBackups() {
        Map<String, Object> result = handler(environment("CLOUDHSM_DR_LOOK_BACK", "latest"))
                .handleRequest(Map.of(), null);

        assertEquals(4L, counts(result).get("copied"));
    }

    @Test
    void retentionFromTheEnvironmentDeletesOlderCopies() {
        handler(environment()).handleRequest(Map.of(), null);

        Map<String, Object> result = handler(environment("CLOUDHSM_DR_KEEP_DAILY", "2")).handleRequest(Map.of(), null);

        assertEquals("SUCCESS", result.get("status"));
        assertEquals(20L, counts(result).get("deleted"));
        assertEquals(4, readyCopiesIn("eu-west-1"));
    }

    private void assertConfigurationError(String expected, Map<String, String> env) {
        ReplicationHandler handler = handler(env);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handleRequest(Map.of(), null));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: " + e.getMessage());
        assertEquals(0, emulator.requestLog().size());
        assertFalse(handler.initialized());
    }

    private List<Backup> copiesIn(String region) {
        return emulator.model().backupsIn(region).stream().filter(b -> b.sourceBackup() != null).toList();
    }

    private long readyCopiesIn(String region) {
        return copiesIn(region).stream().filter(b -> b.state() == BackupState.READY).count();
    }

    private static Map<?, ?> counts(Map<String, Object> result) {
        return (Map<?, ?>) result.get("counts");
    }
}
