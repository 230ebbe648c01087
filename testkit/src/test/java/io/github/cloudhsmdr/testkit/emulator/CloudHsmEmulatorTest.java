package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInternalFailureException;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudHsmEmulatorTest {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudhsm/aws4_request, "
            + "SignedHeaders=host, Signature=00";

    @Test
    void bindsLoopbackOnAnEphemeralPortAndStopsIdempotently() {
        CloudHsmEmulator e = CloudHsmEmulator.builder().build();
        assertThrows(IllegalStateException.class, e::endpoint);
        e.start();
        assertTrue(e.isRunning());
        assertEquals("127.0.0.1", e.endpoint().getHost());
        assertTrue(e.port() > 0);
        assertThrows(IllegalStateException.class, e::start);
        e.stop();
        e.close();
        assertFalse(e.isRunning());
    }

    @Test
    void builderRejectsContradictoryOrBadSettings() {
        assertThrows(IllegalStateException.class, () -> CloudHsmEmulator.builder()
                .model(new CloudHsmModel(MutableClock.at("2026-01-01T00:00:00Z")))
                .clock(MutableClock.at("2026-01-01T00:00:00Z")).build());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> CloudHsmEmulator.builder().port(70000));
        assertTrue(port.getMessage().contains("70000"));
    }

    @Test
    void sharesOneModelWithTheInMemoryStore() {
        CloudHsmModel model = new CloudHsmModel(MutableClock.at("2026-01-01T00:00:00Z"));
        InMemoryBackupStore store = new InMemoryBackupStore(model);
        try (CloudHsmEmulator e = CloudHsmEmulator.builder().model(model).start();
             CloudHsmV2Client c = e.clientBuilder("eu-west-1").build()) {
            model.addBackup("eu-west-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T12:00:00Z"));
            String id = c.describeBackups().backups().get(0).backupId();
            c.deleteBackup(r -> r.backupId(id));
            assertEquals("PENDING_DELETION", store.describeBackups("eu-west-1", BackupFilter.ALL).get(0).state().name());
        }
    }

    @Test
    void unexpectedFailureIsAnInternalFailureWithoutStackTrace() {
        CloudHsmModel model = new CloudHsmModel(MutableClock.at("2026-01-01T00:00:00Z"));
        model.faultHook((operation, region) -> {
            throw new IllegalStateException("bug in a test hook");
        });
        try (CloudHsmEmulator e = CloudHsmEmulator.builder().model(model).start();
             CloudHsmV2Client c = e.clientBuilder("us-east-1")
                     .overrideConfiguration(o -> o.retryStrategy(
                             software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                     .build()) {
            CloudHsmInternalFailureException ex = assertThrows(CloudHsmInternalFailureException.class,
                    c::describeBackups);
            assertEquals(500, ex.statusCode());
            assertEquals("An internal failure occurred", ex.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void stopReleasesWithheldResponsesAndRefusesNewConnections() throws Exception {
        CloudHsmModel model = new CloudHsmModel(MutableClock.at("2026-01-01T00:00:00Z"));
        String backupId = model.addBackup("us-east-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T00:00:00Z"))
                .backupId();
        CloudHsmEmulator e = CloudHsmEmulator.builder().model(model).start();
        e.faults().timeoutAfterNextCopies(1).withholdFor(Duration.ofMinutes(5));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest copy = HttpRequest.newBuilder(e.endpoint())
                .header("X-Amz-Target", "BaldrApiService.CopyBackupToRegion").header("Authorization", AUTH)
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString("{\"BackupId\":\"" + backupId
                        + "\",\"DestinationRegion\":\"us-west-2\"}"))
                .build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(copy, HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (model.backupsIn("us-west-2").isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, model.backupsIn("us-west-2").size(), "the copy was made");
        assertFalse(pending.isDone(), "its response is withheld");

        long t0 = System.nanoTime();
        e.stop();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(3)) < 0);
        try {
            pending.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // the connection was closed without a response
        }
        assertTrue(pending.isDone());
        Exception refused = assertThrows(Exception.class, () -> http.send(copy, HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException
                || refused instanceof java.io.IOException, refused.toString());
    }

    @Test
    void servesConcurrentClients() throws Exception {
        try (CloudHsmEmulator e = CloudHsmEmulator.builder().clock(MutableClock.at("2026-01-01T00:00:00Z")).start()) {
            e.model().addBackup("us-east-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T00:00:00Z"));
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            try (CloudHsmV2Client c = e.clientBuilder("us-east-1").build()) {
                for (int i = 0; i < 40; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> c.describeBackups().backups().size()));
                }
                for (CompletableFuture<Integer> f : calls) {
                    assertEquals(1, f.get(10, TimeUnit.SECONDS));
                }
            }
            assertEquals(40, e.requestLog().count("DescribeBackups", "us-east-1"));
        }
    }
}
