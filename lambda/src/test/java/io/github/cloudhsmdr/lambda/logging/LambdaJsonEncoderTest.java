package io.github.cloudhsmdr.lambda.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler's logback.xml and encoder, through SLF4J as the library logs: what reaches stdout. */
class LambdaJsonEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("io.github.cloudhsmdr.internal.DefaultBackupReplicator");

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureStdout() {
        stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(stdout);
        MDC.clear();
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "one JSON object per line: " + line);
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void writesOneJsonObjectPerLineWithLevelMessageLoggerTimestampAndTheRunId() throws IOException {
        MDC.put("runId", "run-42");
        MDC.put("requestId", "req-7");
        LOG.info("Replication run finished status={} copied={}", "SUCCESS", 28);
        LOG.debug("not written at the default level INFO");
        LOG.warn("Copy failed cluster={}\nsecond line", "cluster-abc");

        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        JsonNode info = lines.get(0);
        assertEquals("INFO", info.get("level").asText());
        assertEquals("Replication run finished status=SUCCESS copied=28", info.get("message").asText());
        assertEquals("io.github.cloudhsmdr.internal.DefaultBackupReplicator", info.get("logger").asText());
        assertEquals("run-42", info.get("runId").asText());
        assertEquals("req-7", info.get("requestId").asText());
        Instant.parse(info.get("timestamp").asText()); // RFC 3339 in UTC, as Lambda reads it
        assertTrue(info.get("timestamp").asText().endsWith("Z"));
        assertEquals("WARN", lines.get(1).get("level").asText());
        assertEquals("Copy failed cluster=cluster-abc\nsecond line", lines.get(1).get("message").asText());
        assertEquals("run-42", lines.get(1).get("runId").asText());
    }

    @Test
    void writesAnExceptionAsErrorTypeMessageAndStackTraceInTheSameLine() throws IOException {
        LOG.error("Run failed", new IllegalStateException("region down"));

        List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        JsonNode error = lines.get(0);
        assertEquals("ERROR", error.get("level").asText());
        assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
        assertEquals("region down", error.get("errorMessage").asText());
        assertTrue(error.get("stackTrace").asText().contains("LambdaJsonEncoderTest"));
        assertFalse(error.has("runId"), "no run, no run id");
    }
}
