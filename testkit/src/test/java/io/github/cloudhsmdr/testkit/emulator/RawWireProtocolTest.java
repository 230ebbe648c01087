package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's answers on the wire, byte for byte, through a plain HTTP client. */
class RawWireProtocolTest {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudhsm/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd";
    private static final MutableClock CLOCK = MutableClock.at("2026-01-10T00:00:00Z");
    private static final String READY_BACKUP = Ids.backup(1);

    @RegisterExtension
    static final CloudHsmEmulatorExtension EMULATOR = CloudHsmEmulatorExtension.of(
            CloudHsmEmulator.builder().clock(CLOCK));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void seed() {
        EMULATOR.faults().reset();
        EMULATOR.requestLog().clear();
        EMULATOR.model().addBackup(Backup.builder(READY_BACKUP, "us-east-1").clusterId(Ids.cluster(1))
                .state(BackupState.READY).createTimestamp(Instant.parse("2026-01-02T03:04:05.640Z"))
                .hsmType("hsm2m.medium").mode("FIPS").tags(Map.of("env", "prod")).build());
    }

    private HttpResponse<String> post(String target, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(EMULATOR.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String operation, String body) throws Exception {
        return post("BaldrApiService." + operation, body, AUTH);
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String body) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(body, r.body());
        assertEquals(code, r.headers().firstValue("x-amzn-ErrorType").orElse(null));
        assertEquals("application/x-amz-json-1.1", r.headers().firstValue("Content-Type").orElse(null));
        assertNotNull(r.headers().firstValue("x-amzn-RequestId").orElse(null));
    }

    @Test
    void unknownTargetIsUnknownOperationException() throws Exception {
        HttpResponse<String> r = post("BaldrApiService.CreateBackupNow", "{}", AUTH);
        assertError(r, 400, "UnknownOperationException",
                "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
                        + "\"message\":\"Unknown operation: BaldrApiService.CreateBackupNow\"}");
        assertError(post("Other.DescribeBackups", "{}", AUTH), 400, "UnknownOperationException",
                "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
                        + "\"message\":\"Unknown operation: Other.DescribeBackups\"}");
        assertError(post(null, "{}", AUTH), 400, "UnknownOperationException",
                "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
                        + "\"message\":\"Missing X-Amz-Target header\"}");
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        HttpResponse<String> r = call("DescribeBackups", "{\"MaxResults\": 5,");
        assertEquals(400, r.statusCode());
        assertEquals("SerializationException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(r.body().startsWith("{\"__type\":\"com.amazon.coral.service#SerializationException\","
                + "\"message\":\"Request body is not valid JSON: "), r.body());
        assertError(call("DescribeBackups", "[1,2]"), 400, "SerializationException",
                "{\"__type\":\"com.amazon.coral.service#SerializationException\","
                        + "\"message\":\"Request body must be a JSON object\"}");
        assertError(call("DescribeBackups", "{\"MaxResults\":\"10\"}"), 400, "SerializationException",
                "{\"__type\":\"com.amazon.coral.service#SerializationException\","
                        + "\"message\":\"Expected an integer for 'MaxResults', got \\\"10\\\"\"}");
        HttpResponse<String> dup = call("DescribeBackups", "{\"MaxResults\":1,\"MaxResults\":2}");
        assertEquals(400, dup.statusCode());
        assertEquals("SerializationException", dup.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    @Test
    void missingAuthorizationIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = post("BaldrApiService.DescribeBackups", "{}", null);
        assertError(r, 400, "MissingAuthenticationTokenException",
                "{\"__type\":\"com.amazon.coral.service#MissingAuthenticationTokenException\","
                        + "\"message\":\"Request is missing Authentication Token\"}");
        assertEquals(1, EMULATOR.requestLog().countErrors("MissingAuthenticationTokenException"));
    }

    @Test
    void incompleteOrWronglyScopedSignatureIsRejected() throws Exception {
        assertError(post("BaldrApiService.DescribeBackups", "{}", "AWS4-HMAC-SHA256 Signature=abc"), 400,
                "IncompleteSignatureException",
                "{\"__type\":\"com.amazon.coral.service#IncompleteSignatureException\","
                        + "\"message\":\"Authorization header requires 'Credential' parameter. "
                        + "Authorization header requires 'SignedHeaders' parameter.\"}");
        assertError(post("BaldrApiService.DescribeBackups", "{}",
                AUTH.replace("20260101/us-east-1/cloudhsm", "us-east-1/cloudhsm")), 400,
                "IncompleteSignatureException",
                "{\"__type\":\"com.amazon.coral.service#IncompleteSignatureException\","
                        + "\"message\":\"Credential must have exactly 5 slash-delimited elements, "
                        + "e.g. keyid/date/region/service/term, got 4\"}");
        assertError(post("BaldrApiService.DescribeBackups", "{}", AUTH.replace("/cloudhsm/", "/cloudhsmv2/")), 400,
                "InvalidSignatureException",
                "{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\","
                        + "\"message\":\"Credential should be scoped to correct service: 'cloudhsm'.\"}");
        assertError(post("BaldrApiService.DescribeBackups", "{}", AUTH.replace("us-east-1", "moon-1")), 400,
                "InvalidSignatureException",
                "{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\","
                        + "\"message\":\"Credential should be scoped to a valid region, not 'moon-1'.\"}");
    }

    @Test
    void maxResultsOutsideOneToFiftyIsInvalidRequest() throws Exception {
        assertError(call("DescribeBackups", "{\"MaxResults\":0}"), 400, "CloudHsmInvalidRequestException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmInvalidRequestException\","
                        + "\"message\":\"MaxResults must be between 1 and 50, was 0\"}");
        assertError(call("DescribeBackups", "{\"MaxResults\":51}"), 400, "CloudHsmInvalidRequestException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmInvalidRequestException\","
                        + "\"message\":\"MaxResults must be between 1 and 50, was 51\"}");
        assertEquals(200, call("DescribeBackups", "{\"MaxResults\":50}").statusCode());
        assertError(call("DescribeClusters", "{\"MaxResults\":26}"), 400, "CloudHsmInvalidRequestException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmInvalidRequestException\","
                        + "\"message\":\"MaxResults must be between 1 and 25, was 26\"}");
        assertEquals(400, call("ListTags", "{\"ResourceId\":\"" + READY_BACKUP + "\",\"MaxResults\":101}")
                .statusCode());
    }

    @Test
    void unknownBackupIsResourceNotFound() throws Exception {
        String unknown = Ids.backup(999);
        assertError(call("DeleteBackup", "{\"BackupId\":\"" + unknown + "\"}"), 400,
                "CloudHsmResourceNotFoundException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmResourceNotFoundException\","
                        + "\"message\":\"Backup " + unknown + " not found in us-east-1\"}");
    }

    @Test
    void restoringAReadyBackupIsInvalidRequest() throws Exception {
        assertError(call("RestoreBackup", "{\"BackupId\":\"" + READY_BACKUP + "\"}"), 400,
                "CloudHsmInvalidRequestException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmInvalidRequestException\","
                        + "\"message\":\"Backup " + READY_BACKUP
                        + " is READY; only PENDING_DELETION backups can be restored\"}");
    }

    @Test
    void missingRequiredMemberIsInvalidRequestNamingIt() throws Exception {
        assertError(call("CopyBackupToRegion", "{\"BackupId\":\"" + READY_BACKUP + "\"}"), 400,
                "CloudHsmInvalidRequestException",
                "{\"__type\":\"com.amazonaws.baldr#CloudHsmInvalidRequestException\",\"message\":\"1 validation "
                        + "error detected: Value null at 'DestinationRegion' failed to satisfy constraint: "
                        + "Member must not be null\"}");
        HttpResponse<String> r = call("ModifyBackupAttributes", "{\"BackupId\":\"" + READY_BACKUP + "\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("'NeverExpires'"), r.body());
    }

    @Test
    void invalidBackupIdIsInvalidRequest() throws Exception {
        HttpResponse<String> r = call("DeleteBackup", "{\"BackupId\":\"backup-1\"}");
        assertEquals(400, r.statusCode());
        assertEquals("CloudHsmInvalidRequestException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(r.body().contains("BackupId 'backup-1' does not match"), r.body());
    }

    @Test
    void backupIsWrittenWithApiMemberNamesAndEpochSecondTimestamps() throws Exception {
        HttpResponse<String> r = call("DescribeBackups",
                "{\"Filters\":{\"backupIds\":[\"" + READY_BACKUP + "\"]}}");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-amz-json-1.1", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"Backups\":[{\"BackupId\":\"" + READY_BACKUP + "\",\"BackupArn\":\"arn:aws:cloudhsm:us-east-1:"
                + "111122223333:backup/" + READY_BACKUP + "\",\"BackupState\":\"READY\",\"ClusterId\":\""
                + Ids.cluster(1) + "\",\"CreateTimestamp\":1767323045.64,\"NeverExpires\":false,"
                + "\"HsmType\":\"hsm2m.medium\",\"Mode\":\"FIPS\",\"TagList\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}]}",
                r.body());
    }

    @Test
    void emptyBodyIsAnEmptyRequest() throws Exception {
        assertEquals(200, call("DescribeClusters", "").statusCode());
    }

    @Test
    void regionDownAnswers503OrClosesTheConnection() throws Exception {
        EMULATOR.faults().regionDown("us-east-1");
        assertError(call("DescribeBackups", "{}"), 503, "ServiceUnavailable",
                "{\"__type\":\"com.amazon.coral.service#ServiceUnavailable\","
                        + "\"message\":\"Service unavailable in us-east-1 (injected fault)\"}");
        EMULATOR.faults().regionDown("us-east-1", FaultInjector.RegionDownMode.CLOSE_CONNECTION);
        assertThrows(IOException.class, () -> call("DescribeBackups", "{}"));
        EMULATOR.faults().regionUp("us-east-1");
        assertEquals(200, call("DescribeBackups", "{}").statusCode());
        assertEquals(2, EMULATOR.faults().count(FaultInjector.Kind.REGION_DOWN));
        assertEquals(1, EMULATOR.requestLog().countErrors(RequestLog.NO_RESPONSE));
    }

    @Test
    void everyRequestIsLoggedWithOperationRegionAndOutcome() throws Exception {
        call("DescribeBackups", "{}");
        call("DeleteBackup", "{\"BackupId\":\"" + Ids.backup(998) + "\"}");
        assertEquals(1, EMULATOR.requestLog().count("DescribeBackups", "us-east-1"));
        RequestLog.Entry failed = EMULATOR.requestLog().requests().get(1);
        assertEquals(new RequestLog.Entry("DeleteBackup", "us-east-1", 400, "CloudHsmResourceNotFoundException",
                CLOCK.instant()), failed);
        EMULATOR.requestLog().clear();
        assertEquals(0, EMULATOR.requestLog().size());
    }

    @Test
    void getIsNotAnOperation() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(EMULATOR.endpoint() + "/"))
                .header("X-Amz-Target", "BaldrApiService.DescribeBackups").header("Authorization", AUTH).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("UnknownOperationException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }
}
