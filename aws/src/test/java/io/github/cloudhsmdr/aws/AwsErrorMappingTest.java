package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.BackupFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInternalFailureException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInvalidRequestException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceLimitExceededException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceNotFoundException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmServiceException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmTagException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmV2Exception;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.TagResourceRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class AwsErrorMappingTest {
    private static final String REGION = "eu-central-1";

    private CloudHsmV2Client client;
    private AwsBackupStore store;

    @BeforeEach
    void setUp() {
        client = mock(CloudHsmV2Client.class);
        when(client.describeBackupsPaginator(any(DescribeBackupsRequest.class))).thenCallRealMethod();
        store = AwsBackupStore.builder().clients(Map.of(REGION, client)).build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("CloudHSM V2").build();
    }

    private static <B extends AwsServiceException.Builder> AwsServiceException service(B builder, String code,
            int status) {
        return builder.awsErrorDetails(details(code, "something about " + code)).statusCode(status)
                .requestId("req-1").message("something about " + code).build();
    }

    static Stream<Arguments> serviceErrors() {
        return Stream.of(
                Arguments.of(service(CloudHsmAccessDeniedException.builder(), "CloudHsmAccessDeniedException", 400),
                        ServiceErrorKind.ACCESS_DENIED),
                Arguments.of(service(CloudHsmInternalFailureException.builder(), "CloudHsmInternalFailureException",
                        500), ServiceErrorKind.INTERNAL_FAILURE),
                Arguments.of(service(CloudHsmInvalidRequestException.builder(), "CloudHsmInvalidRequestException",
                        400), ServiceErrorKind.INVALID_REQUEST),
                Arguments.of(service(CloudHsmResourceNotFoundException.builder(),
                        "CloudHsmResourceNotFoundException", 400), ServiceErrorKind.RESOURCE_NOT_FOUND),
                Arguments.of(service(CloudHsmServiceException.builder(), "CloudHsmServiceException", 400),
                        ServiceErrorKind.SERVICE_ERROR),
                Arguments.of(service(CloudHsmTagException.builder(), "CloudHsmTagException", 400),
                        ServiceErrorKind.TAG),
                Arguments.of(service(CloudHsmResourceLimitExceededException.builder(),
                        "CloudHsmResourceLimitExceededException", 400), ServiceErrorKind.RESOURCE_LIMIT_EXCEEDED),
                Arguments.of(service(CloudHsmV2Exception.builder(), "ThrottlingException", 400),
                        ServiceErrorKind.THROTTLING),
                Arguments.of(service(CloudHsmV2Exception.builder(), "ServiceUnavailable", 503),
                        ServiceErrorKind.INTERNAL_FAILURE),
                Arguments.of(service(CloudHsmV2Exception.builder(), "SomethingNew", 502),
                        ServiceErrorKind.INTERNAL_FAILURE),
                Arguments.of(service(CloudHsmV2Exception.builder(), "UnrecognizedClientException", 400),
                        ServiceErrorKind.ACCESS_DENIED),
                Arguments.of(service(CloudHsmV2Exception.builder(), "SomethingNew", 400), ServiceErrorKind.UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("serviceErrors")
    void classifiesServiceErrorsByCodeAndStatus(AwsServiceException error, ServiceErrorKind expected) {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenThrow(error);

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL));

        assertEquals(expected, e.kind());
        assertEquals(expected.isTransient(), e.isTransient());
        assertEquals(error.awsErrorDetails().errorCode(), e.errorCode());
        assertEquals("DescribeBackups", e.operation());
        assertEquals(REGION, e.region());
        assertSame(error, e.getCause());
        assertTrue(e.getMessage().contains("something about " + e.errorCode()), e.getMessage());
        assertTrue(e.getMessage().contains("req-1"), e.getMessage());
    }

    @Test
    void aThrottledAnswerIsThrottlingWhateverItsCode() {
        when(client.describeBackups(any(DescribeBackupsRequest.class)))
                .thenThrow(service(CloudHsmV2Exception.builder(), "SlowDown", 400))
                .thenThrow(CloudHsmV2Exception.builder().statusCode(429).message("too many").build());

        assertEquals(ServiceErrorKind.THROTTLING, assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL)).kind());
        assertEquals(ServiceErrorKind.THROTTLING, assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL)).kind());
    }

    @Test
    void aModeledExceptionWithoutErrorDetailsIsClassifiedByItsType() {
        when(client.copyBackupToRegion(any(CopyBackupToRegionRequest.class)))
                .thenThrow(CloudHsmResourceNotFoundException.builder().message("no such backup").statusCode(400)
                        .build());

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.copyBackupToRegion(REGION, "backup-abcdefghijk", "eu-west-1", Map.of()));

        assertEquals(ServiceErrorKind.RESOURCE_NOT_FOUND, e.kind());
        assertEquals("CloudHsmResourceNotFoundException", e.errorCode());
        assertEquals("CopyBackupToRegion", e.operation());
        assertEquals("backup-abcdefghijk", e.resourceId());
        assertTrue(e.getMessage().contains("no such backup"), e.getMessage());
    }

    static Stream<Arguments> clientErrors() {
        return Stream.of(
                Arguments.of(SdkClientException.create("Unable to execute HTTP request: Connection reset",
                        new SocketException("Connection reset")), ServiceErrorKind.NETWORK),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request: boom",
                        new IOException("boom")), ServiceErrorKind.NETWORK),
                Arguments.of(SdkClientException.create("wrapped",
                        new UncheckedIOException(new IOException("broken pipe"))), ServiceErrorKind.NETWORK),
                Arguments.of(ApiCallAttemptTimeoutException.create(1000), ServiceErrorKind.NETWORK),
                Arguments.of(ApiCallTimeoutException.create(5000), ServiceErrorKind.NETWORK),
                Arguments.of(SdkClientException.create("Unable to unmarshall response (Input timestamp string must "
                        + "be no longer than 20 characters)", new DateTimeParseException("bad", "x", 0)),
                        ServiceErrorKind.BAD_RESPONSE),
                Arguments.of(SdkClientException.create("Unable to load credentials from any of the providers in the "
                        + "chain"), ServiceErrorKind.ACCESS_DENIED),
                Arguments.of(AbortedException.create("Thread was interrupted"), ServiceErrorKind.UNKNOWN),
                Arguments.of(SdkClientException.create("something else"), ServiceErrorKind.UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("clientErrors")
    void classifiesClientErrors(SdkClientException error, ServiceErrorKind expected) {
        when(client.tagResource(any(TagResourceRequest.class))).thenThrow(error);

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.tagResource(REGION, "cluster-abcdefghijk", Map.of("k", "v")));

        assertEquals(expected, e.kind());
        assertNull(e.errorCode());
        assertEquals("TagResource", e.operation());
        assertEquals("cluster-abcdefghijk", e.resourceId());
        assertSame(error, e.getCause());
    }

    @Test
    void anErrorWhilePagingIsMappedToo() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenAnswer(inv -> {
            DescribeBackupsRequest r = inv.getArgument(0);
            if (r.nextToken() == null) {
                return software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsResponse.builder()
                        .nextToken("2").build();
            }
            throw ApiCallAttemptTimeoutException.create(1000);
        });

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL));

        assertEquals(ServiceErrorKind.NETWORK, e.kind());
    }

    @Test
    void anythingElseASuppliedClientThrowsIsWrappedAsUnknown() {
        IllegalArgumentException bug = new IllegalArgumentException("unexpected");
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenThrow(bug);

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL));

        assertEquals(ServiceErrorKind.UNKNOWN, e.kind());
        assertSame(bug, e.getCause());
    }

    @Test
    void aFailingClientFactoryIsMappedToo() {
        AwsBackupStore failing = AwsBackupStore.builder().clientFactory(region -> {
            throw SdkClientException.create("Unable to load credentials from system settings");
        }).build();

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> failing.tagResource(REGION, "backup-abcdefghijk", Map.of("k", "v")));

        assertEquals(ServiceErrorKind.ACCESS_DENIED, e.kind());
        assertEquals("TagResource", e.operation());
    }
}
