package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmV2Exception;
import software.amazon.awssdk.services.cloudhsmv2.model.Tag;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's per-region rate limit, through the real SDK, on a ticked clock (no sleeping). */
class RateLimitTest {
    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final String EU = "eu-west-1";
    private static final long MS = 1_000_000L;
    private static final Instant START = Instant.parse("2026-01-10T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final List<Duration> slept = new ArrayList<>();

    /** Every region: 2 requests per second, 3 at once. */
    @RegisterExtension
    final CloudHsmEmulatorExtension emulator = CloudHsmEmulatorExtension.of(CloudHsmEmulator.builder()
            .clock(MutableClock.at(START)).rateLimit(2.0, 3).ticker(nanos::get).sleeper(slept::add));

    private final List<CloudHsmV2Client> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(CloudHsmV2Client::close);
    }

    /** A client as a user builds one, without SDK retries so each throttled answer shows. */
    private CloudHsmV2Client client(String region) {
        CloudHsmV2Client c = emulator.clientBuilder(region)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        clients.add(c);
        return c;
    }

    private void tick(long millis) {
        nanos.addAndGet(millis * MS);
    }

    /** @return how many of {@code n} DescribeBackups calls to {@code region} were served before one was throttled */
    private int servedOf(String region, int n) {
        CloudHsmV2Client c = client(region);
        for (int i = 0; i < n; i++) {
            try {
                c.describeBackups();
            } catch (CloudHsmV2Exception e) {
                assertTrue(e.isThrottlingException(), e.toString());
                return i;
            }
        }
        return n;
    }

    private Backup seedReady(String region, int n) {
        return emulator.model().addBackup(Backup.builder(Ids.backup(n), region).clusterId(Ids.cluster(1))
                .state(BackupState.READY).createTimestamp(START.minusSeconds(3600L * n)).hsmType("hsm2m.medium")
                .mode("FIPS").tags(Map.of("env", "prod")).build());
    }

    @Test
    void servesTheBurstThenAnswersThrottlingExceptionAsAws() {
        CloudHsmV2Client east = client(EAST);
        for (int i = 0; i < 3; i++) {
            east.describeBackups();
        }
        CloudHsmV2Exception throttled = assertThrows(CloudHsmV2Exception.class, east::describeBackups);
        assertTrue(throttled.isThrottlingException(), "the SDK sees a throttling exception");
        assertEquals(400, throttled.statusCode());
        assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
        assertEquals("Rate exceeded", throttled.awsErrorDetails().errorMessage());

        List<RequestLog.Entry> log = emulator.requestLog().requests();
        assertEquals(4, log.size());
        assertEquals(3, log.stream().filter(RequestLog.Entry::succeeded).count());
        RequestLog.Entry last = log.get(3);
        assertEquals("DescribeBackups", last.operation());
        assertEquals(EAST, last.region());
        assertEquals(400, last.httpStatus());
        assertEquals("ThrottlingException", last.errorCode());
        assertEquals(1, emulator.emulator().rateLimited());
        assertEquals(0, emulator.faults().count(FaultInjector.Kind.THROTTLING), "not an injected fault");
    }

    @Test
    void refillsAtTheRateOverTickedTimeUpToTheBurst() {
        assertEquals(3, servedOf(EAST, 10), "a new bucket is full");
        tick(499);
        assertEquals(0, servedOf(EAST, 1), "0.998 of a token is not a token");
        tick(1);
        assertEquals(1, servedOf(EAST, 10), "2 requests/s: one token per 500 ms");
        tick(1000);
        assertEquals(2, servedOf(EAST, 10));
        tick(3_600_000);
        assertEquals(3, servedOf(EAST, 10), "an hour's refill is capped at the burst");
        assertEquals(5, emulator.requestLog().countErrors("ThrottlingException"), "one refused request per round");
        assertEquals(5, emulator.emulator().rateLimited());
    }

    @Test
    void eachRegionHasItsOwnBucketAndOneRegionCanBeChangedAtRuntime() {
        assertEquals(3, servedOf(EAST, 10));
        assertEquals(3, servedOf(WEST, 10), "us-east-1 being empty leaves us-west-2 full");

        emulator.emulator().rateLimit(WEST, 1.0, 5);
        assertEquals(5, servedOf(WEST, 10), "the new limit comes with a new, full bucket");
        assertEquals(0, servedOf(EAST, 1), "the other regions keep their buckets");
        tick(1000);
        assertEquals(1, servedOf(WEST, 10), "1 request/s in us-west-2");
        assertEquals(2, servedOf(EAST, 10), "still 2 requests/s in us-east-1");
        assertEquals(3, servedOf(EU, 10), "a region first seen now gets the limit of every region");

        emulator.emulator().rateLimit(10.0, 20);
        assertEquals(0, servedOf(WEST, 1), "a region with its own limit keeps it");
        assertEquals(20, servedOf(EAST, 30), "the others get the new limit of every region");

        emulator.emulator().noRateLimit();
        assertEquals(50, servedOf(EAST, 50));
        assertEquals(50, servedOf(WEST, 50));
        assertEquals(4, emulator.requestLog().count(e -> EU.equals(e.region())), "3 served, 1 refused");
    }

    @Test
    void aThrottledRequestChangesNothing() {
        Backup source = seedReady(EAST, 1);
        Backup other = seedReady(EAST, 2);
        emulator.emulator().rateLimit(EAST, 1.0, 1);
        CloudHsmV2Client east = client(EAST);
        east.describeBackups();
        emulator.requestLog().clear();

        List<Runnable> writes = List.of(
                () -> east.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST)),
                () -> east.deleteBackup(r -> r.backupId(other.backupId())),
                () -> east.tagResource(r -> r.resourceId(source.backupId())
                        .tagList(Tag.builder().key("env").value("test").build())),
                () -> east.untagResource(r -> r.resourceId(source.backupId()).tagKeyList("env")),
                () -> east.modifyBackupAttributes(r -> r.backupId(source.backupId()).neverExpires(true)));
        for (Runnable write : writes) {
            CloudHsmV2Exception e = assertThrows(CloudHsmV2Exception.class, write::run);
            assertTrue(e.isThrottlingException(), e.toString());
        }

        assertEquals(List.of(), emulator.model().backupsIn(WEST), "no copy was made");
        assertEquals(BackupState.READY, emulator.model().backup(EAST, other.backupId()).state(), "nothing deleted");
        Backup after = emulator.model().backup(EAST, source.backupId());
        assertEquals(Map.of("env", "prod"), after.tags(), "tags untouched");
        assertEquals(source.neverExpires(), after.neverExpires());
        assertEquals(writes.size(), emulator.requestLog().countErrors("ThrottlingException"));
        assertEquals(List.of("CopyBackupToRegion", "DeleteBackup", "TagResource", "UntagResource",
                "ModifyBackupAttributes"), emulator.requestLog().requests().stream().map(RequestLog.Entry::operation)
                .toList());
    }

    @Test
    void aCopyCountsAgainstTheSourceRegionWhoseEndpointItIsSentTo() {
        Backup source = seedReady(EAST, 1);
        emulator.emulator().rateLimit(EAST, 1.0, 1);
        emulator.emulator().rateLimit(WEST, 1000.0, 1000);
        CloudHsmV2Client east = client(EAST);
        east.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST));
        CloudHsmV2Exception e = assertThrows(CloudHsmV2Exception.class,
                () -> east.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(EU)));
        assertTrue(e.isThrottlingException());
        assertEquals(1, emulator.model().backupsIn(WEST).size());
        assertEquals(0, emulator.model().backupsIn(EU).size());
        assertEquals(1, emulator.requestLog().count(x -> "ThrottlingException".equals(x.errorCode())
                && EAST.equals(x.region())));
    }

    @Test
    void aThrottledRequestIsAnsweredWithoutWaitingTheInjectedLatency() {
        emulator.faults().latency(FaultInjector.ANY, FaultInjector.ANY, Duration.ofMillis(100));
        assertEquals(3, servedOf(EAST, 10));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)), slept,
                "the three served requests waited, the throttled one did not");
        assertEquals(3, emulator.faults().count(FaultInjector.Kind.LATENCY));

        slept.clear();
        CloudHsmV2Exception throttled = assertThrows(CloudHsmV2Exception.class, client(EAST)::describeBackups);
        assertTrue(throttled.isThrottlingException(), throttled.toString());
        assertEquals(List.of(), slept, "refused at once, as AWS refuses");
        tick(500);
        assertEquals(1, servedOf(EAST, 1));
        assertEquals(List.of(Duration.ofMillis(100)), slept, "a served request still waits its latency");
    }

    @Test
    void theLibrarysAwsStoreClassifiesTheAnswerAsThrottling() {
        emulator.emulator().rateLimit(EAST, 1.0, 1);
        try (AwsBackupStore store = AwsBackupStore.builder().endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build()) {
            assertEquals(List.of(), store.describeBackups(EAST, BackupFilter.ALL));
            BackupServiceException e = assertThrows(BackupServiceException.class,
                    () -> store.describeBackups(EAST, BackupFilter.ALL));
            assertEquals(ServiceErrorKind.THROTTLING, e.kind());
            assertEquals(List.of(), store.describeBackups(WEST, BackupFilter.ALL), "us-west-2 has its own bucket");
        }
        assertEquals(1, emulator.requestLog().countErrors("ThrottlingException"), "the store made one attempt");
    }

    @Test
    void onTheWireTheAnswerCarriesTheCoralAvailabilityNamespace() throws Exception {
        emulator.emulator().rateLimit(EAST, 1.0, 1);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Date", "20260101T000000Z")
                .header("X-Amz-Target", "BaldrApiService.DescribeBackups")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudhsm/"
                        + "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertEquals(200, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}",
                r.body());
        assertEquals("ThrottlingException", r.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    @Test
    void noLimitUnlessOneIsGiven() {
        try (CloudHsmEmulator plain = CloudHsmEmulator.builder().ticker(() -> 0L).start();
             CloudHsmV2Client c = plain.clientBuilder(EAST)
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            for (int i = 0; i < 50; i++) {
                c.describeBackups();
            }
            assertEquals(0, plain.rateLimited());
        }
    }

    @Test
    void rejectsBadLimitsNamingTheArgumentTheValueAndWhatIsAllowed() {
        CloudHsmEmulator.Builder b = CloudHsmEmulator.builder();
        assertEquals("requestsPerSecond must be a finite number greater than 0, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> b.rateLimit(0.0, 1)).getMessage());
        assertEquals("requestsPerSecond must be a finite number greater than 0, was NaN",
                assertThrows(IllegalArgumentException.class, () -> b.rateLimit(Double.NaN, 1)).getMessage());
        assertEquals("requestsPerSecond must be a finite number greater than 0, was Infinity",
                assertThrows(IllegalArgumentException.class, () -> b.rateLimit(Double.POSITIVE_INFINITY, 1))
                        .getMessage());
        assertEquals("burst must be at least 1 (the requests a full bucket serves at once), was 0",
                assertThrows(IllegalArgumentException.class, () -> b.rateLimit(5.0, 0)).getMessage());
        CloudHsmEmulator e = emulator.emulator();
        assertEquals("region 'mars-1' is not a CloudHSM region id such as us-east-1",
                assertThrows(IllegalArgumentException.class, () -> e.rateLimit("mars-1", 1.0, 1)).getMessage());
        assertEquals("burst must be at least 1 (the requests a full bucket serves at once), was -3",
                assertThrows(IllegalArgumentException.class, () -> e.rateLimit(EAST, 1.0, -3)).getMessage());
        assertEquals("requestsPerSecond must be a finite number greater than 0, was -1.0",
                assertThrows(IllegalArgumentException.class, () -> e.rateLimit(-1.0, 3)).getMessage());
        assertThrows(NullPointerException.class, () -> e.rateLimit(null, 1.0, 1));
        assertThrows(NullPointerException.class, () -> b.ticker(null));
        assertEquals(3, servedOf(EAST, 10), "a refused change leaves the limit as it was");
    }
}
