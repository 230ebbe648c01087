package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInternalFailureException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmInvalidRequestException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceLimitExceededException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceNotFoundException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmTagException;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmV2Exception;
import software.amazon.awssdk.services.cloudhsmv2.model.ClusterMode;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteBackupResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.ListTagsResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator through the real AWS SDK v2 client, as the library's AWS adapter will use it. */
class SdkClientTest {
    private static final Logger LOG = LoggerFactory.getLogger(SdkClientTest.class);
    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final Instant START = Instant.parse("2026-01-10T00:00:00Z");
    private static final MutableClock CLOCK = MutableClock.at(START);

    @RegisterExtension
    final CloudHsmEmulatorExtension emulator = CloudHsmEmulatorExtension.of(CloudHsmEmulator.builder().clock(CLOCK));

    private final List<CloudHsmV2Client> clients = new ArrayList<>();

    @BeforeEach
    void resetClock() {
        CLOCK.set(START);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(CloudHsmV2Client::close);
    }

    /** A client exactly as a user builds one, without retries so every failure shows. */
    private CloudHsmV2Client client(String region) {
        return client(region, b -> b);
    }

    private CloudHsmV2Client client(String region,
            Function<software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder,
                    software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder> override) {
        CloudHsmV2Client c = CloudHsmV2Client.builder()
                .region(Region.of(region))
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> override.apply(o.retryStrategy(AwsRetryStrategy.doNotRetry())))
                .build();
        clients.add(c);
        return c;
    }

    private CloudHsmModel model() {
        return emulator.model();
    }

    private Backup seedReady(String region, int n, Map<String, String> tags) {
        return model().addBackup(Backup.builder(Ids.backup(n), region).clusterId(Ids.cluster(1))
                .state(BackupState.READY).createTimestamp(START.minusSeconds(3600L * n).plusMillis(n))
                .hsmType("hsm2m.medium").mode("FIPS").tags(tags).build());
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    // ----------------------------------------------------------------------------------------- listing

    @Test
    void paginatesPastOneHundredTwentyBackupsWithEveryFieldRoundTripping() {
        Map<String, Backup> seeded = new HashMap<>();
        for (int i = 0; i < 130; i++) {
            Instant created = Instant.parse("2025-06-01T00:00:00Z").plusSeconds(3600L * i).plusMillis(i * 7L % 1000);
            Backup b = Backup.builder(Ids.backup(i), EAST)
                    .backupArn("arn:aws:cloudhsm:us-east-1:111122223333:backup/" + Ids.backup(i))
                    .state(i % 10 == 0 ? BackupState.PENDING_DELETION : BackupState.READY)
                    .clusterId(Ids.cluster(i % 3))
                    .createTimestamp(created)
                    .copyTimestamp(i % 2 == 0 ? created.plusMillis(1500) : null)
                    .deleteTimestamp(i % 10 == 0 ? START.plus(Duration.ofDays(7)).plusMillis(250 + i) : null)
                    .neverExpires(i % 4 == 0)
                    .sourceRegion(i % 2 == 0 ? WEST : null)
                    .sourceBackup(i % 2 == 0 ? Ids.backup(1000 + i) : null)
                    .sourceCluster(i % 2 == 0 ? Ids.cluster(7) : null)
                    .hsmType(i % 5 == 0 ? "hsm1.medium" : "hsm2m.medium")
                    .mode(i % 3 == 0 ? "NON_FIPS" : "FIPS")
                    .tags(i % 3 == 0 ? Map.of() : Map.of("index", Integer.toString(i), "env", "prod"))
                    .build();
            seeded.put(b.backupId(), model().addBackup(b));
        }

        List<software.amazon.awssdk.services.cloudhsmv2.model.Backup> listed = new ArrayList<>();
        client(EAST).describeBackupsPaginator(DescribeBackupsRequest.builder().build()).stream()
                .forEach(page -> listed.addAll(page.backups()));

        assertEquals(130, listed.size());
        assertEquals(3, emulator.requestLog().count("DescribeBackups", EAST), "pages of 50, 50 and 30");
        for (software.amazon.awssdk.services.cloudhsmv2.model.Backup got : listed) {
            Backup want = seeded.get(got.backupId());
            assertEquals(want.backupArn(), got.backupArn());
            assertEquals(want.state().name(), got.backupStateAsString());
            assertEquals(want.clusterId(), got.clusterId());
            assertEquals(want.createTimestamp(), got.createTimestamp());
            assertEquals(want.copyTimestamp(), got.copyTimestamp());
            assertEquals(want.deleteTimestamp(), got.deleteTimestamp());
            assertEquals(want.neverExpires(), got.neverExpires());
            assertEquals(want.sourceRegion(), got.sourceRegion());
            assertEquals(want.sourceBackup(), got.sourceBackup());
            assertEquals(want.sourceCluster(), got.sourceCluster());
            assertEquals(want.hsmType(), got.hsmType());
            assertEquals(ClusterMode.fromValue(want.mode()), got.mode());
            assertEquals(want.tags(), tagMap(got.tagList()));
        }
        List<Instant> order = listed.stream().map(b -> b.createTimestamp()).collect(Collectors.toList());
        List<Instant> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "oldest first by default");
    }

    @Test
    void filtersAndSortOrderNarrowTheListing() {
        for (int i = 1; i <= 6; i++) {
            seedReady(EAST, i, Map.of());
        }
        model().addBackup(model().backup(EAST, Ids.backup(2)).toBuilder().clusterId(Ids.cluster(2)).build());
        model().modifyBackupAttributes(EAST, Ids.backup(3), true);
        model().deleteBackup(EAST, Ids.backup(4));
        CloudHsmV2Client east = client(EAST);

        assertEquals(List.of(Ids.backup(2)), ids(east.describeBackups(r -> r.filters(
                Map.of("clusterIds", List.of(Ids.cluster(2)))))));
        assertEquals(List.of(Ids.backup(3)), ids(east.describeBackups(r -> r.filters(
                Map.of("neverExpires", List.of("true"))))));
        assertEquals(List.of(Ids.backup(4)), ids(east.describeBackups(r -> r.filters(
                Map.of("states", List.of("PENDING_DELETION"))))));
        assertEquals(List.of(Ids.backup(5), Ids.backup(1)), ids(east.describeBackups(r -> r.filters(
                Map.of("backupIds", List.of(Ids.backup(1), Ids.backup(5)))))));
        assertEquals(List.of(Ids.backup(1), Ids.backup(5)), ids(east.describeBackups(r -> r.sortAscending(false)
                .filters(Map.of("backupIds", List.of(Ids.backup(1), Ids.backup(5)))))));
        assertEquals(List.of(), ids(east.describeBackups(r -> r.shared(true))));
        assertEquals(List.of(), ids(client(WEST).describeBackups()), "each region is its own");
        CloudHsmInvalidRequestException bad = assertThrows(CloudHsmInvalidRequestException.class,
                () -> east.describeBackups(r -> r.filters(Map.of("color", List.of("blue")))));
        assertTrue(bad.getMessage().contains("Invalid filter 'color'"), bad.getMessage());
    }

    private static List<String> ids(software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsResponse r) {
        return r.backups().stream().map(b -> b.backupId()).collect(Collectors.toList());
    }

    // ----------------------------------------------------------------------------------------- lifecycle

    @Test
    void copiedBackupIsFoundInTheDestinationBySourceBackupId() {
        Backup source = seedReady(EAST, 1, Map.of("env", "prod"));
        CopyBackupToRegionResponse copied = client(EAST).copyBackupToRegion(r -> r.backupId(source.backupId())
                .destinationRegion(WEST));

        assertEquals(source.backupId(), copied.destinationBackup().sourceBackup());
        assertEquals(EAST, copied.destinationBackup().sourceRegion());
        assertEquals(source.clusterId(), copied.destinationBackup().sourceCluster());
        assertEquals(source.createTimestamp(), copied.destinationBackup().createTimestamp());

        CloudHsmV2Client west = client(WEST);
        List<software.amazon.awssdk.services.cloudhsmv2.model.Backup> found = west.describeBackups(r -> r.filters(
                Map.of("sourceBackupIds", List.of(source.backupId())))).backups();
        assertEquals(1, found.size());
        software.amazon.awssdk.services.cloudhsmv2.model.Backup copy = found.get(0);
        assertEquals("CREATE_IN_PROGRESS", copy.backupStateAsString());
        assertEquals(EAST, copy.sourceRegion());
        assertEquals(source.clusterId(), copy.sourceCluster());
        assertEquals(START, copy.copyTimestamp());
        assertEquals(Map.of("env", "prod"), tagMap(copy.tagList()), "tags are inherited");
        assertTrue(copy.backupArn().startsWith("arn:aws:cloudhsm:us-west-2:"), copy.backupArn());

        CLOCK.advance(Duration.ofMinutes(10));
        assertEquals("READY", west.describeBackups(r -> r.filters(Map.of("backupIds", List.of(copy.backupId()))))
                .backups().get(0).backupStateAsString());
        assertEquals(1, emulator.requestLog().count("CopyBackupToRegion", EAST));
    }

    @Test
    void copyWithTagsPutsExactlyThoseTagsOnTheCopy() {
        Backup source = seedReady(EAST, 1, Map.of("env", "prod"));
        client(EAST).copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST)
                .tagList(Tag.builder().key("cloudhsm-dr:replicator").value("dr").build()));
        assertEquals(Map.of("cloudhsm-dr:replicator", "dr"), model().backupsIn(WEST).get(0).tags());
    }

    @Test
    void deleteMarksPendingDeletionAndRestoreBringsItBack() {
        Backup b = seedReady(EAST, 1, Map.of());
        CloudHsmV2Client east = client(EAST);
        CLOCK.advance(Duration.ofSeconds(1).plusMillis(500));

        DeleteBackupResponse deleted = east.deleteBackup(r -> r.backupId(b.backupId()));
        assertEquals("PENDING_DELETION", deleted.backup().backupStateAsString());
        assertEquals(CLOCK.instant().plus(Duration.ofDays(7)), deleted.backup().deleteTimestamp());

        assertEquals("READY", east.restoreBackup(r -> r.backupId(b.backupId())).backup().backupStateAsString());
        assertNull(model().backup(EAST, b.backupId()).deleteTimestamp());
        assertTrue(east.modifyBackupAttributes(r -> r.backupId(b.backupId()).neverExpires(true)).backup().neverExpires());
    }

    @Test
    void tagsAreAddedListedPagedAndRemoved() {
        Backup b = seedReady(EAST, 1, Map.of("a", "1"));
        CloudHsmV2Client east = client(EAST);
        east.tagResource(r -> r.resourceId(b.backupId()).tagList(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("c").value("").build()));

        ListTagsResponse first = east.listTags(r -> r.resourceId(b.backupId()).maxResults(2));
        assertEquals(List.of("a", "b"), first.tagList().stream().map(Tag::key).collect(Collectors.toList()));
        Map<String, String> all = new HashMap<>();
        east.listTagsPaginator(r -> r.resourceId(b.backupId()).maxResults(2)).stream()
                .flatMap(page -> page.tagList().stream()).forEach(t -> all.put(t.key(), t.value()));
        assertEquals(Map.of("a", "1", "b", "2", "c", ""), all);

        east.untagResource(r -> r.resourceId(b.backupId()).tagKeyList("a", "c"));
        assertEquals(Map.of("b", "2"), tagMap(east.listTags(r -> r.resourceId(b.backupId())).tagList()));
    }

    @Test
    void clusterIsCreatedFromACopyListedAndDeleted() {
        Backup source = seedReady(EAST, 1, Map.of());
        model().copyDelay(Duration.ZERO);
        client(EAST).copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST));
        String copyId = model().backupsIn(WEST).get(0).backupId();
        CloudHsmV2Client west = client(WEST);

        CreateClusterResponse created = west.createCluster(r -> r.hsmType("hsm2m.medium").subnetIds("subnet-1")
                .sourceBackupId(copyId));
        assertEquals(copyId, created.cluster().sourceBackupId());
        assertEquals("CREATE_IN_PROGRESS", created.cluster().stateAsString());
        assertEquals(List.of(created.cluster().clusterId()), west.describeClustersPaginator(r -> r.maxResults(1))
                .stream().flatMap(page -> page.clusters().stream()).map(c -> c.clusterId()).collect(Collectors.toList()));
        assertEquals("DELETE_IN_PROGRESS", west.deleteCluster(r -> r.clusterId(created.cluster().clusterId()))
                .cluster().stateAsString());
        CLOCK.advance(CloudHsmModel.DEFAULT_CLUSTER_DELETE_DELAY);
        assertEquals(0, west.describeClusters().clusters().size());
        CloudHsmInvalidRequestException noSubnets = assertThrows(CloudHsmInvalidRequestException.class,
                () -> west.createCluster(r -> r.hsmType("hsm2m.medium")));
        assertTrue(noSubnets.getMessage().contains("SubnetIds"), noSubnets.getMessage());
    }

    // ----------------------------------------------------------------------------------------- errors

    @Test
    void modeledErrorsArriveAsTheirSdkExceptionClasses() {
        Backup b = seedReady(EAST, 1, Map.of());
        CloudHsmV2Client east = client(EAST);

        CloudHsmResourceNotFoundException notFound = assertThrows(CloudHsmResourceNotFoundException.class,
                () -> east.deleteBackup(r -> r.backupId(Ids.backup(99))));
        assertEquals(400, notFound.statusCode());
        assertEquals("CloudHsmResourceNotFoundException", notFound.awsErrorDetails().errorCode());
        assertTrue(notFound.awsErrorDetails().errorMessage().contains(Ids.backup(99)));
        assertTrue(notFound.requestId() != null && !notFound.requestId().isEmpty());

        CloudHsmInvalidRequestException invalid = assertThrows(CloudHsmInvalidRequestException.class,
                () -> east.restoreBackup(r -> r.backupId(b.backupId())));
        assertEquals(400, invalid.statusCode());
        assertThrows(CloudHsmInvalidRequestException.class, () -> east.describeBackups(r -> r.maxResults(0)));
        assertThrows(CloudHsmInvalidRequestException.class, () -> east.describeBackups(r -> r.maxResults(51)));

        CloudHsmTagException tag = assertThrows(CloudHsmTagException.class, () -> east.tagResource(r -> r
                .resourceId(b.backupId()).tagList(Tag.builder().key("aws:reserved").value("x").build())));
        assertEquals(400, tag.statusCode());

        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(Tag.builder().key("k" + i).value("v").build());
        }
        east.tagResource(r -> r.resourceId(b.backupId()).tagList(fifty));
        CloudHsmResourceLimitExceededException limit = assertThrows(CloudHsmResourceLimitExceededException.class,
                () -> east.tagResource(r -> r.resourceId(b.backupId()).tagList(Tag.builder().key("one-more")
                        .value("v").build())));
        assertEquals(400, limit.statusCode());

        emulator.faults().error("ModifyBackupAttributes", EAST, 1.0, "CloudHsmServiceException");
        software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmServiceException service = assertThrows(
                software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmServiceException.class,
                () -> east.modifyBackupAttributes(r -> r.backupId(b.backupId()).neverExpires(true)));
        assertEquals(400, service.statusCode());
        assertEquals(1, emulator.faults().count(FaultInjector.Kind.ERROR));

        emulator.faults().internalFailure("DeleteBackup", EAST, 1.0);
        CloudHsmInternalFailureException internal = assertThrows(CloudHsmInternalFailureException.class,
                () -> east.deleteBackup(r -> r.backupId(b.backupId())));
        assertEquals(500, internal.statusCode());
        assertEquals(BackupState.READY, model().backup(EAST, b.backupId()).state(), "the failed call changed nothing");
        assertEquals(1, emulator.faults().count(FaultInjector.Kind.INTERNAL_FAILURE));
    }

    @Test
    void throttlingIsRecognisedByTheSdkAndRetried() {
        seedReady(EAST, 1, Map.of());
        emulator.faults().throttle("DescribeBackups", EAST, 1.0);

        CloudHsmV2Exception throttled = assertThrows(CloudHsmV2Exception.class, () -> client(EAST).describeBackups());
        assertTrue(throttled.isThrottlingException());
        assertEquals(400, throttled.statusCode());
        assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());

        emulator.requestLog().clear();
        CloudHsmV2Client retrying = client(EAST, o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                .toBuilder().maxAttempts(4).circuitBreakerEnabled(false)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build()));
        assertThrows(CloudHsmV2Exception.class, retrying::describeBackups);
        assertEquals(4, emulator.requestLog().countErrors("ThrottlingException"), "the SDK tried 4 times");

        emulator.faults().throttle("DescribeBackups", EAST, 0.0);
        assertEquals(1, retrying.describeBackups().backups().size());
        assertEquals(0, client(WEST).describeBackups().backups().size(), "throttling was only for us-east-1");
    }

    @Test
    void accessPolicyDeniesWhatItDoesNotAllow() {
        Backup tagged = seedReady(EAST, 1, Map.of("cloudhsm-dr:replicator", "dr"));
        Backup untagged = seedReady(EAST, 2, Map.of());
        emulator.emulator().accessPolicy(AccessPolicy.builder()
                .allow("cloudhsm:DescribeBackups", "cloudhsm:CopyBackupToRegion")
                .allowIfResourceTag("cloudhsm:DeleteBackup", "cloudhsm-dr:replicator", "dr")
                .build());
        CloudHsmV2Client east = client(EAST);

        assertEquals(2, east.describeBackups().backups().size());
        east.copyBackupToRegion(r -> r.backupId(untagged.backupId()).destinationRegion(WEST));
        CloudHsmAccessDeniedException noTagging = assertThrows(CloudHsmAccessDeniedException.class,
                () -> east.copyBackupToRegion(r -> r.backupId(tagged.backupId()).destinationRegion(WEST)));
        assertEquals(400, noTagging.statusCode());
        assertTrue(noTagging.getMessage().contains("cloudhsm:TagResource"), noTagging.getMessage());

        east.deleteBackup(r -> r.backupId(tagged.backupId()));
        CloudHsmAccessDeniedException notOwned = assertThrows(CloudHsmAccessDeniedException.class,
                () -> east.deleteBackup(r -> r.backupId(untagged.backupId())));
        assertTrue(notOwned.getMessage().contains("cloudhsm:DeleteBackup"), notOwned.getMessage());
        assertTrue(notOwned.getMessage().contains(untagged.backupId()), notOwned.getMessage());
        assertEquals(BackupState.READY, model().backup(EAST, untagged.backupId()).state());
        assertThrows(CloudHsmAccessDeniedException.class, () -> east.restoreBackup(r -> r.backupId(tagged.backupId())));

        emulator.emulator().accessPolicy(AccessPolicy.allowing("cloudhsm:CopyBackupToRegion", "cloudhsm:TagResource"));
        east.copyBackupToRegion(r -> r.backupId(untagged.backupId()).destinationRegion(WEST)
                .tagList(Tag.builder().key("k").value("v").build()));
        assertEquals(2, model().backupsIn(WEST).size());
    }

    // ----------------------------------------------------------------------------------------- faults

    @Test
    void faultInjectionWithAFixedSeedIsReproducible() {
        long seed = 20260110L;
        LOG.info("fault injection seed={}", seed);
        String first = throttlingPattern(seed);
        String second = throttlingPattern(seed);
        assertEquals(first, second);
        assertTrue(first.contains("T") && first.contains("."), "some throttled, some not: " + first);
        assertNotEquals(first, throttlingPattern(seed + 1), "another seed gives another sequence");
    }

    private String throttlingPattern(long seed) {
        try (CloudHsmEmulator e = CloudHsmEmulator.builder().clock(CLOCK).seed(seed).start();
             CloudHsmV2Client c = CloudHsmV2Client.builder().region(Region.of(EAST))
                     .endpointOverride(e.endpoint()).httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "s")))
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            e.faults().throttle(FaultInjector.ANY, EAST, 0.5);
            StringBuilder pattern = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                try {
                    c.describeBackups();
                    pattern.append('.');
                } catch (CloudHsmV2Exception ex) {
                    pattern.append(ex.isThrottlingException() ? 'T' : '?');
                }
            }
            assertEquals(pattern.chars().filter(ch -> ch == 'T').count(),
                    e.faults().count(FaultInjector.Kind.THROTTLING));
            return pattern.toString();
        }
    }

    @Test
    void timeoutAfterCopyLeavesTheCopyInPlaceWhileTheClientFails() {
        Backup source = seedReady(EAST, 1, Map.of());
        emulator.faults().timeoutAfterNextCopies(1).withholdFor(Duration.ofSeconds(10));
        CloudHsmV2Client impatient = client(EAST, o -> o.apiCallAttemptTimeout(Duration.ofMillis(200)));

        long t0 = System.nanoTime();
        assertThrows(ApiCallAttemptTimeoutException.class,
                () -> impatient.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST)));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0,
                "the client gave up on its own timeout, not the emulator's");

        List<Backup> copies = model().backupsIn(WEST);
        assertEquals(1, copies.size(), "the copy exists although the client saw an error");
        assertEquals(source.backupId(), copies.get(0).sourceBackup());
        assertEquals(1, emulator.faults().count(FaultInjector.Kind.TIMEOUT_AFTER_COPY));

        impatient.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST));
        assertEquals(2, model().backupsIn(WEST).size(), "only the next copy was cut off");
    }

    @Test
    void closedConnectionAfterCopyIsAnSdkClientError() {
        Backup source = seedReady(EAST, 1, Map.of());
        emulator.faults().timeoutAfterCopy(EAST, 1.0).noResponseMode(FaultInjector.NoResponseMode.CLOSE_CONNECTION);

        SdkException e = assertThrows(SdkException.class,
                () -> client(EAST).copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST)));
        assertTrue(e instanceof SdkClientException, e.toString());
        assertEquals(1, model().backupsIn(WEST).size());
        assertEquals(1, emulator.requestLog().countErrors(RequestLog.NO_RESPONSE));
    }

    @Test
    void copyThatFailsInsideAwsTurnsDeleted() {
        Backup source = seedReady(EAST, 1, Map.of());
        emulator.faults().copyFailure(WEST, 1.0);
        CloudHsmV2Client east = client(EAST);
        east.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST));
        east.copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion("eu-west-1"));

        CLOCK.advance(Duration.ofMinutes(10));
        assertEquals("DELETED", client(WEST).describeBackups(r -> r.filters(
                Map.of("sourceBackupIds", List.of(source.backupId())))).backups().get(0).backupStateAsString());
        assertEquals(BackupState.READY, model().backupsIn("eu-west-1").get(0).state());
        assertEquals(1, emulator.faults().count(FaultInjector.Kind.COPY_FAILURE));
    }

    @Test
    void newCopyIsInvisibleUntilTheVisibilityDelayPasses() {
        Backup source = seedReady(EAST, 1, Map.of());
        model().copyVisibilityDelay(Duration.ofSeconds(30));
        client(EAST).copyBackupToRegion(r -> r.backupId(source.backupId()).destinationRegion(WEST));
        CloudHsmV2Client west = client(WEST);

        assertEquals(0, west.describeBackups().backups().size());
        CLOCK.advance(Duration.ofSeconds(30));
        assertEquals(1, west.describeBackups().backups().size());
    }

    @Test
    void latencyWaitsThroughTheInjectedSleeper() throws Exception {
        List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CloudHsmEmulator e = CloudHsmEmulator.builder().clock(CLOCK).sleeper(slept::add).start();
             CloudHsmV2Client c = e.clientBuilder(EAST).build()) {
            e.faults().latency("DescribeBackups", FaultInjector.ANY, Duration.ofSeconds(3));
            c.describeBackups();
            c.describeClusters();
            assertEquals(List.of(Duration.ofSeconds(3)), slept);
            assertEquals(1, e.faults().count(FaultInjector.Kind.LATENCY));
        }
    }

    @Test
    void regionDownAnswersServiceUnavailableOnlyThere() {
        emulator.faults().regionDown(WEST);
        CloudHsmV2Exception down = assertThrows(CloudHsmV2Exception.class, () -> client(WEST).describeBackups());
        assertEquals(503, down.statusCode());
        assertFalse(down.isThrottlingException());
        assertEquals(0, client(EAST).describeBackups().backups().size(), "other regions stay up");
    }
}
