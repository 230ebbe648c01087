package io.github.cloudhsmdr.aws;

import com.sun.net.httpserver.HttpServer;
import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients the store builds, talking HTTP to a stub on loopback: proves they make exactly one attempt per call
 * (the SDK would retry a 500 or a throttle three more times by default) and that wire errors are mapped.
 */
class AwsBackupStoreBuiltClientTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String errorType;
    private volatile String body;
    private AwsBackupStore store;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            if (errorType != null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        store = AwsBackupStore.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE",
                        "secret")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .apiCallTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stopStub() {
        store.close();
        server.stop(0);
    }

    private void answer(int httpStatus, String type, String json) {
        status = httpStatus;
        errorType = type;
        body = json;
    }

    @Test
    void aBuiltClientHasSdkRetriesDisabledAndTheRequestedSettings() {
        CloudHsmV2Client client = store.client("eu-west-1");

        ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
        RetryStrategy strategy = override.retryStrategy().orElseThrow();
        assertEquals(1, strategy.maxAttempts());
        assertEquals(Duration.ofSeconds(10), override.apiCallTimeout().orElseThrow());
        assertEquals(Region.EU_WEST_1, client.serviceClientConfiguration().region());
        assertSame(client, store.client("eu-west-1"), "one client per region");
    }

    @Test
    void anInternalFailureIsSentOnceAndMapped() {
        answer(500, "CloudHsmInternalFailureException", "{\"message\":\"try later\"}");

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups("us-east-1", BackupFilter.ALL));

        assertEquals(1, requests.get(), "the SDK must not retry");
        assertEquals(ServiceErrorKind.INTERNAL_FAILURE, e.kind());
        assertEquals("CloudHsmInternalFailureException", e.errorCode());
        assertEquals("BaldrApiService.DescribeBackups", targets.get(0));
        assertTrue(authorizations.get(0).contains("/us-east-1/cloudhsm/aws4_request"), authorizations.get(0));
    }

    @Test
    void aThrottleIsSentOnceAndMapped() {
        answer(400, null, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.copyBackupToRegion("us-east-1", "backup-abcdefghijk", "us-west-2", java.util.Map.of()));

        assertEquals(1, requests.get(), "the SDK must not retry");
        assertEquals(ServiceErrorKind.THROTTLING, e.kind());
        assertTrue(e.getMessage().contains("Rate exceeded"), e.getMessage());
    }

    @Test
    void readsBackupsFromTheWireWithUnknownStates() {
        answer(200, null, "{\"Backups\":[{\"BackupId\":\"backup-abcdefghijk\",\"BackupState\":\"FROZEN\","
                + "\"CreateTimestamp\":1534461854.64,\"NeverExpires\":null}]}");

        List<Backup> backups = store.describeBackups("us-east-1", BackupFilter.ALL);

        assertEquals(1, backups.size());
        assertEquals(BackupState.UNKNOWN, backups.get(0).state());
        assertEquals(1534461854L, backups.get(0).createTimestamp().getEpochSecond());
    }

    @Test
    void anUnreadableAnswerIsABadResponse() {
        answer(200, null, "{\"Backups\":[{\"BackupId\":\"backup-abcdefghijk\","
                + "\"CreateTimestamp\":\"2018-08-16T23:24:14Z\"}]}");

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups("us-east-1", BackupFilter.ALL));

        assertEquals(ServiceErrorKind.BAD_RESPONSE, e.kind());
        assertEquals(1, requests.get());
    }

    @Test
    void aRefusedConnectionIsANetworkError() {
        int port = server.getAddress().getPort();
        server.stop(0);
        AwsBackupStore unreachable = AwsBackupStore.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create("http://127.0.0.1:" + port)).build();
        try {
            BackupServiceException e = assertThrows(BackupServiceException.class,
                    () -> unreachable.tagResource("us-east-1", "backup-abcdefghijk", Map.of("k", "v")));
            assertEquals(ServiceErrorKind.NETWORK, e.kind());
        } finally {
            unreachable.close();
        }
    }
}
