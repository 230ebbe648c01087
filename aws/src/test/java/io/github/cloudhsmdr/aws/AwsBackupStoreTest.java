package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.ClusterState;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.CopyBackupToRegionResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteBackupRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteBackupResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DestinationBackup;
import software.amazon.awssdk.services.cloudhsmv2.model.RestoreBackupRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.RestoreBackupResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.Tag;
import software.amazon.awssdk.services.cloudhsmv2.model.TagResourceRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class AwsBackupStoreTest {
    private static final String REGION = "us-east-1";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private CloudHsmV2Client client;
    private AwsBackupStore store;

    @BeforeEach
    void setUp() {
        client = mockClient();
        store = AwsBackupStore.builder().clients(Map.of(REGION, client)).build();
    }

    /** A mocked client whose paginators are the SDK's own, so they page through the mocked calls. */
    static CloudHsmV2Client mockClient() {
        CloudHsmV2Client client = mock(CloudHsmV2Client.class);
        when(client.describeBackupsPaginator(any(DescribeBackupsRequest.class))).thenCallRealMethod();
        when(client.describeClustersPaginator(any(DescribeClustersRequest.class))).thenCallRealMethod();
        return client;
    }

    private static software.amazon.awssdk.services.cloudhsmv2.model.Backup sdkBackup(int i) {
        return software.amazon.awssdk.services.cloudhsmv2.model.Backup.builder()
                .backupId(String.format("backup-aaaaaaaaa%03d", i)).backupState("READY")
                .clusterId("cluster-aaaaaaaaaaa").createTimestamp(T0.plusSeconds(i)).build();
    }

    private static List<software.amazon.awssdk.services.cloudhsmv2.model.Backup> sdkBackups(int from, int to) {
        return IntStream.range(from, to).mapToObj(AwsBackupStoreTest::sdkBackup).toList();
    }

    private List<DescribeBackupsRequest> describeRequests(int count) {
        ArgumentCaptor<DescribeBackupsRequest> captor = ArgumentCaptor.forClass(DescribeBackupsRequest.class);
        verify(client, times(count)).describeBackups(captor.capture());
        return captor.getAllValues();
    }

    @Test
    void readsEveryPageOfBackupsPassingTheTokensThrough() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenAnswer(inv -> {
            DescribeBackupsRequest r = inv.getArgument(0);
            if (r.nextToken() == null) {
                return DescribeBackupsResponse.builder().backups(sdkBackups(0, 50)).nextToken("t1").build();
            }
            if (r.nextToken().equals("t1")) {
                return DescribeBackupsResponse.builder().backups(sdkBackups(50, 100)).nextToken("t2").build();
            }
            return DescribeBackupsResponse.builder().backups(sdkBackups(100, 120)).build();
        });

        List<Backup> backups = store.describeBackups(REGION, BackupFilter.ALL);

        assertEquals(120, backups.size());
        assertEquals(120, new HashSet<>(backups.stream().map(Backup::backupId).toList()).size());
        assertEquals("backup-aaaaaaaaa000", backups.get(0).backupId());
        assertEquals("backup-aaaaaaaaa119", backups.get(119).backupId());
        List<DescribeBackupsRequest> requests = describeRequests(3);
        assertNull(requests.get(0).nextToken());
        assertEquals("t1", requests.get(1).nextToken());
        assertEquals("t2", requests.get(2).nextToken());
        for (DescribeBackupsRequest r : requests) {
            assertEquals(50, r.maxResults());
            assertEquals(Boolean.TRUE, r.sortAscending());
            assertFalse(r.hasFilters(), "no filters for BackupFilter.ALL");
        }
    }

    @Test
    void readsOnePageAtATimeSoAFailedPageCanBeRetriedAlone() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenAnswer(inv -> {
            DescribeBackupsRequest r = inv.getArgument(0);
            if (r.nextToken() == null) {
                return DescribeBackupsResponse.builder().backups(sdkBackups(0, 50)).nextToken("t1").build();
            }
            return DescribeBackupsResponse.builder().backups(sdkBackups(50, 70)).build();
        });

        BackupPage first = store.describeBackupsPage(REGION, BackupFilter.ALL, null);
        BackupPage second = store.describeBackupsPage(REGION, BackupFilter.ALL, first.nextToken());
        BackupPage again = store.describeBackupsPage(REGION, BackupFilter.ALL, first.nextToken());

        assertEquals(50, first.backups().size());
        assertEquals(20, second.backups().size());
        assertNull(second.nextToken());
        assertEquals(second, again, "the same page can be read again");
        List<DescribeBackupsRequest> requests = describeRequests(3);
        assertNull(requests.get(0).nextToken());
        assertEquals("t1", requests.get(1).nextToken());
        assertEquals("t1", requests.get(2).nextToken());
    }

    @Test
    void pagesThroughEachChunkOfALongIdFilterInTurn() {
        when(client.describeBackups(any(DescribeBackupsRequest.class)))
                .thenReturn(DescribeBackupsResponse.builder().backups(sdkBackups(0, 1)).build());
        Set<String> ids = IntStream.range(0, 25).mapToObj(i -> String.format("backup-ccccccccc%03d", i))
                .collect(java.util.stream.Collectors.toSet());

        BackupPage first = store.describeBackupsPage(REGION, BackupFilter.sourceBackupIds(ids), null);
        BackupPage second = store.describeBackupsPage(REGION, BackupFilter.sourceBackupIds(ids), first.nextToken());

        assertEquals("1|", first.nextToken());
        assertNull(second.nextToken());
        List<DescribeBackupsRequest> requests = describeRequests(2);
        assertEquals(20, requests.get(0).filters().get("sourceBackupIds").size());
        assertEquals(5, requests.get(1).filters().get("sourceBackupIds").size());
        assertThrows(IllegalArgumentException.class,
                () -> store.describeBackupsPage(REGION, BackupFilter.sourceBackupIds(ids), "7|x"));
    }

    @Test
    void mapsEveryPartOfTheFilterAndLeavesEmptyPartsOut() {
        when(client.describeBackups(any(DescribeBackupsRequest.class)))
                .thenReturn(DescribeBackupsResponse.builder().build());

        store.describeBackups(REGION, new BackupFilter(Set.of("backup-bbbbbbbbbbb", "backup-aaaaaaaaaaa"),
                Set.of("backup-ccccccccccc"), Set.of("cluster-aaaaaaaaaaa"),
                Set.of(BackupState.READY, BackupState.CREATE_IN_PROGRESS), Boolean.FALSE));
        store.describeBackups(REGION, new BackupFilter(null, null, Set.of("cluster-aaaaaaaaaaa"), null, true));

        List<DescribeBackupsRequest> requests = describeRequests(2);
        assertEquals(Map.of(
                "backupIds", List.of("backup-aaaaaaaaaaa", "backup-bbbbbbbbbbb"),
                "sourceBackupIds", List.of("backup-ccccccccccc"),
                "clusterIds", List.of("cluster-aaaaaaaaaaa"),
                "states", List.of("CREATE_IN_PROGRESS", "READY"),
                "neverExpires", List.of("false")), requests.get(0).filters());
        assertEquals(Map.of("clusterIds", List.of("cluster-aaaaaaaaaaa"), "neverExpires", List.of("true")),
                requests.get(1).filters());
    }

    @Test
    void splitsLongIdListsIntoRequestsOfAtMostTwentyValuesAndMergesTheResults() {
        List<String> sourceIds = IntStream.range(0, 45).mapToObj(i -> String.format("backup-sssssssss%03d", i))
                .toList();
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenAnswer(inv -> {
            DescribeBackupsRequest r = inv.getArgument(0);
            List<software.amazon.awssdk.services.cloudhsmv2.model.Backup> copies = new ArrayList<>();
            for (String source : r.filters().get("sourceBackupIds")) {
                int n = Integer.parseInt(source.substring(source.length() - 3));
                // newest first within a chunk, to prove the merged list is re-ordered by creation time
                copies.add(0, sdkBackup(n).toBuilder().sourceBackup(source).sourceRegion("eu-west-1").build());
            }
            // one copy shows up in every chunk: it must be listed once
            copies.add(sdkBackup(999).toBuilder().sourceBackup("backup-sssssssss000").build());
            return DescribeBackupsResponse.builder().backups(copies).build();
        });

        List<Backup> copies = store.describeBackups(REGION, new BackupFilter(null, Set.copyOf(sourceIds),
                null, Set.of(BackupState.READY), null));

        List<DescribeBackupsRequest> requests = describeRequests(3);
        List<String> sent = new ArrayList<>();
        for (DescribeBackupsRequest r : requests) {
            List<String> chunk = r.filters().get("sourceBackupIds");
            assertTrue(chunk.size() <= 20, "chunk of " + chunk.size());
            assertEquals(List.of("READY"), r.filters().get("states"));
            sent.addAll(chunk);
        }
        assertEquals(sourceIds, sent);
        assertEquals(46, copies.size());
        for (int i = 1; i < copies.size(); i++) {
            assertTrue(copies.get(i - 1).createTimestamp().isBefore(copies.get(i).createTimestamp()));
        }
    }

    @Test
    void filtersOnUnknownStateAfterReadingSinceItHasNoWireValue() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenReturn(DescribeBackupsResponse.builder()
                .backups(sdkBackup(1), sdkBackup(2).toBuilder().backupState("ARCHIVED").build()).build());

        List<Backup> unknown = store.describeBackups(REGION, BackupFilter.states(BackupState.UNKNOWN));

        assertEquals(List.of("backup-aaaaaaaaa002"), unknown.stream().map(Backup::backupId).toList());
        assertFalse(describeRequests(1).get(0).hasFilters());
    }

    @Test
    void mapsEveryBackupField() {
        Instant created = T0;
        Instant copied = T0.plusSeconds(60);
        Instant deleted = T0.plusSeconds(3600);
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenReturn(DescribeBackupsResponse.builder()
                .backups(software.amazon.awssdk.services.cloudhsmv2.model.Backup.builder()
                        .backupId("backup-abcdefghijk")
                        .backupArn("arn:aws:cloudhsm:us-east-1:111122223333:backup/backup-abcdefghijk")
                        .backupState("PENDING_DELETION").clusterId("cluster-abcdefghijk")
                        .createTimestamp(created).copyTimestamp(copied).deleteTimestamp(deleted)
                        .neverExpires(true).sourceRegion("eu-west-1").sourceBackup("backup-zzzzzzzzzzz")
                        .sourceCluster("cluster-zzzzzzzzzzz").hsmType("hsm2m.medium").mode("NON_FIPS")
                        .tagList(Tag.builder().key("env").value("prod").build(),
                                Tag.builder().key("empty").build())
                        .build())
                .build());

        Backup b = store.describeBackups(REGION, BackupFilter.ALL).get(0);

        assertEquals(new Backup("backup-abcdefghijk", REGION,
                "arn:aws:cloudhsm:us-east-1:111122223333:backup/backup-abcdefghijk", BackupState.PENDING_DELETION,
                "cluster-abcdefghijk", created, copied, deleted, true, "eu-west-1", "backup-zzzzzzzzzzz",
                "cluster-zzzzzzzzzzz", "hsm2m.medium", "NON_FIPS", Map.of("env", "prod", "empty", "")), b);
        assertTrue(b.isCopy());
    }

    @Test
    void unknownEnumValuesAndMissingFieldsNeverFailTheCall() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenReturn(DescribeBackupsResponse.builder()
                .backups(software.amazon.awssdk.services.cloudhsmv2.model.Backup.builder()
                                .backupId("backup-abcdefghijk").backupState("FROZEN").mode("QUANTUM").build(),
                        software.amazon.awssdk.services.cloudhsmv2.model.Backup.builder()
                                .backupId("backup-bbbbbbbbbbb").build(),
                        software.amazon.awssdk.services.cloudhsmv2.model.Backup.builder()
                                .backupState("READY").build())
                .build());

        List<Backup> backups = store.describeBackups(REGION, BackupFilter.ALL);

        assertEquals(2, backups.size(), "the backup without an id is skipped");
        Backup odd = backups.get(0);
        assertEquals(BackupState.UNKNOWN, odd.state());
        assertEquals("QUANTUM", odd.mode());
        Backup bare = backups.get(1);
        assertEquals(BackupState.UNKNOWN, bare.state());
        assertFalse(bare.neverExpires());
        assertNull(bare.createTimestamp());
        assertNull(bare.clusterId());
        assertNull(bare.mode());
        assertEquals(Map.of(), bare.tags());
    }

    @Test
    void copySendsTheTagsAndMapsTheDestinationBackup() {
        when(client.copyBackupToRegion(any(CopyBackupToRegionRequest.class))).thenReturn(CopyBackupToRegionResponse
                .builder().destinationBackup(DestinationBackup.builder().sourceBackup("backup-abcdefghijk")
                        .sourceRegion(REGION).sourceCluster("cluster-abcdefghijk").createTimestamp(T0).build())
                .build());

        CopyResult result = store.copyBackupToRegion(REGION, "backup-abcdefghijk", "eu-west-1",
                Map.of("b", "2", "a", "1"));

        assertEquals(new CopyResult("backup-abcdefghijk", REGION, "cluster-abcdefghijk", T0), result);
        ArgumentCaptor<CopyBackupToRegionRequest> captor = ArgumentCaptor.forClass(CopyBackupToRegionRequest.class);
        verify(client).copyBackupToRegion(captor.capture());
        CopyBackupToRegionRequest sent = captor.getValue();
        assertEquals("backup-abcdefghijk", sent.backupId());
        assertEquals("eu-west-1", sent.destinationRegion());
        assertEquals(List.of(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()),
                sent.tagList());
    }

    @Test
    void copyWithoutTagsLeavesTheTagListOutAndSurvivesAnEmptyAnswer() {
        when(client.copyBackupToRegion(any(CopyBackupToRegionRequest.class)))
                .thenReturn(CopyBackupToRegionResponse.builder().build());

        CopyResult result = store.copyBackupToRegion(REGION, "backup-abcdefghijk", "eu-west-1", Map.of());

        assertEquals(new CopyResult("backup-abcdefghijk", REGION, null, null), result);
        ArgumentCaptor<CopyBackupToRegionRequest> captor = ArgumentCaptor.forClass(CopyBackupToRegionRequest.class);
        verify(client).copyBackupToRegion(captor.capture());
        assertFalse(captor.getValue().hasTagList());
    }

    @Test
    void deleteAndRestoreReturnTheBackupTheServiceReports() {
        when(client.deleteBackup(any(DeleteBackupRequest.class))).thenReturn(DeleteBackupResponse.builder()
                .backup(sdkBackup(1).toBuilder().backupState("PENDING_DELETION").deleteTimestamp(T0).build())
                .build());
        when(client.restoreBackup(any(RestoreBackupRequest.class))).thenReturn(RestoreBackupResponse.builder()
                .backup(sdkBackup(1)).build());

        Backup deleted = store.deleteBackup(REGION, "backup-aaaaaaaaa001");
        Backup restored = store.restoreBackup(REGION, "backup-aaaaaaaaa001");

        assertEquals(BackupState.PENDING_DELETION, deleted.state());
        assertEquals(T0, deleted.deleteTimestamp());
        assertEquals(BackupState.READY, restored.state());
        verify(client).deleteBackup(DeleteBackupRequest.builder().backupId("backup-aaaaaaaaa001").build());
    }

    @Test
    void tagsButSendsNothingForEmptyInput() {
        store.tagResource(REGION, "backup-abcdefghijk", Map.of("k", "v"));
        store.tagResource(REGION, "backup-abcdefghijk", Map.of());

        verify(client).tagResource(TagResourceRequest.builder().resourceId("backup-abcdefghijk")
                .tagList(Tag.builder().key("k").value("v").build()).build());
        verify(client, times(1)).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void readsEveryPageOfClustersWithTheClusterFilter() {
        when(client.describeClusters(any(DescribeClustersRequest.class))).thenAnswer(inv -> {
            DescribeClustersRequest r = inv.getArgument(0);
            assertEquals(25, r.maxResults());
            assertEquals(Map.of("clusterIds", List.of("cluster-aaaaaaaaaaa", "cluster-bbbbbbbbbbb")), r.filters());
            if (r.nextToken() == null) {
                return DescribeClustersResponse.builder().clusters(
                        software.amazon.awssdk.services.cloudhsmv2.model.Cluster.builder()
                                .clusterId("cluster-aaaaaaaaaaa").state(ClusterState.ACTIVE).hsmType("hsm2m.medium")
                                .vpcId("vpc-1").sourceBackupId("backup-abcdefghijk").createTimestamp(T0)
                                .tagList(Tag.builder().key("team").value("pki").build()).build())
                        .nextToken("p2").build();
            }
            return DescribeClustersResponse.builder().clusters(
                    software.amazon.awssdk.services.cloudhsmv2.model.Cluster.builder()
                            .clusterId("cluster-bbbbbbbbbbb").state("SOMETHING_NEW").build()).build();
        });

        List<Cluster> clusters = store.describeClusters(REGION, Set.of("cluster-bbbbbbbbbbb", "cluster-aaaaaaaaaaa"));

        assertEquals(List.of(
                new Cluster("cluster-aaaaaaaaaaa", REGION, "ACTIVE", "hsm2m.medium", "vpc-1", "backup-abcdefghijk", T0,
                        Map.of("team", "pki")),
                new Cluster("cluster-bbbbbbbbbbb", REGION, "SOMETHING_NEW", null, null, null, null, Map.of())),
                clusters);
    }

    @Test
    void createsAClusterFromABackup() {
        when(client.createCluster(any(software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterRequest.class)))
                .thenReturn(CreateClusterResponse.builder().cluster(
                        software.amazon.awssdk.services.cloudhsmv2.model.Cluster.builder()
                                .clusterId("cluster-nnnnnnnnnnn").state(ClusterState.CREATE_IN_PROGRESS)
                                .sourceBackupId("backup-abcdefghijk").build()).build());

        Cluster cluster = store.createCluster(new CreateClusterRequest(REGION, "backup-abcdefghijk", "hsm2m.medium",
                List.of("subnet-1", "subnet-2"), Map.of("dr", "true")));

        assertEquals("cluster-nnnnnnnnnnn", cluster.clusterId());
        assertEquals("CREATE_IN_PROGRESS", cluster.state());
        verify(client).createCluster(software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterRequest.builder()
                .sourceBackupId("backup-abcdefghijk").hsmType("hsm2m.medium").subnetIds("subnet-1", "subnet-2")
                .tagList(Tag.builder().key("dr").value("true").build()).build());
    }

    @Test
    void createClusterWithoutAClusterInTheAnswerIsABadResponse() {
        when(client.createCluster(any(software.amazon.awssdk.services.cloudhsmv2.model.CreateClusterRequest.class)))
                .thenReturn(CreateClusterResponse.builder().build());

        BackupServiceException e = assertThrows(BackupServiceException.class, () -> store.createCluster(
                new CreateClusterRequest(REGION, "backup-abcdefghijk", "hsm2m.medium", List.of("subnet-1"), null)));

        assertEquals(ServiceErrorKind.BAD_RESPONSE, e.kind());
        assertEquals("CreateCluster", e.operation());
        assertEquals("backup-abcdefghijk", e.resourceId());
    }

    @Test
    void aRegionWithoutASuppliedClientFailsWithAServiceException() {
        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups("eu-west-1", BackupFilter.ALL));

        assertEquals(ServiceErrorKind.UNKNOWN, e.kind());
        assertEquals("DescribeBackups", e.operation());
        assertEquals("eu-west-1", e.region());
        assertTrue(e.getMessage().contains("eu-west-1"), e.getMessage());
    }

    @Test
    void suppliedClientsAreAskedForOncePerRegionAndNeverClosed() {
        List<String> asked = new ArrayList<>();
        CloudHsmV2Client other = mock(CloudHsmV2Client.class);
        AwsBackupStore supplied = AwsBackupStore.builder().clientFactory(region -> {
            asked.add(region);
            return region.equals(REGION) ? client : other;
        }).build();
        when(client.describeBackups(any(DescribeBackupsRequest.class)))
                .thenReturn(DescribeBackupsResponse.builder().build());

        supplied.describeBackups(REGION, BackupFilter.ALL);
        supplied.describeBackups(REGION, BackupFilter.ALL);
        supplied.tagResource("eu-west-1", "backup-abcdefghijk", Map.of("k", "v"));
        supplied.close();
        store.close();

        assertEquals(List.of(REGION, "eu-west-1"), asked);
        verify(client, never()).close();
        verify(other, never()).close();
    }

    @Test
    void clientsTheStoreBuiltAreClosedOnceByClose() {
        CloudHsmV2Client east = mock(CloudHsmV2Client.class);
        CloudHsmV2Client west = mock(CloudHsmV2Client.class);
        AwsBackupStore owning = new AwsBackupStore(region -> region.equals(REGION) ? east : west, true);

        owning.tagResource(REGION, "backup-abcdefghijk", Map.of("k", "v"));
        owning.tagResource("eu-west-1", "backup-abcdefghijk", Map.of("k", "v"));
        owning.close();
        owning.close();

        verify(east, times(1)).close();
        verify(west, times(1)).close();
        assertThrows(IllegalStateException.class, () -> owning.tagResource(REGION, "backup-abcdefghijk", Map.of("k", "v")));
    }

    @Test
    void aStoreThatNeverCalledCreatesNoClient() {
        CloudHsmV2Client unused = mock(CloudHsmV2Client.class);
        AwsBackupStore owning = new AwsBackupStore(region -> unused, true);

        owning.close();

        verifyNoInteractions(unused);
    }

    @Test
    void theBuilderRejectsContradictingSettings() {
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> AwsBackupStore.builder()
                .clientFactory(r -> client).clients(Map.of(REGION, client)).build());
        assertTrue(both.getMessage().contains("clientFactory"), both.getMessage());

        IllegalStateException mixed = assertThrows(IllegalStateException.class, () -> AwsBackupStore.builder()
                .clientFactory(r -> client).endpointOverride(java.net.URI.create("http://localhost:1")).build());
        assertTrue(mixed.getMessage().contains("endpointOverride"), mixed.getMessage());

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> AwsBackupStore.builder()
                .apiCallTimeout(java.time.Duration.ZERO).build());
        assertTrue(zero.getMessage().contains("apiCallTimeout"), zero.getMessage());

        IllegalStateException attempt = assertThrows(IllegalStateException.class, () -> AwsBackupStore.builder()
                .apiCallTimeout(java.time.Duration.ofSeconds(5))
                .apiCallAttemptTimeout(java.time.Duration.ofSeconds(10)).build());
        assertTrue(attempt.getMessage().contains("apiCallAttemptTimeout"), attempt.getMessage());

        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> AwsBackupStore.builder().credentialsProvider(null));
        assertTrue(npe.getMessage().contains("credentialsProvider"));
    }

    @Test
    void theSameSuppliedClientServesEachRegion() {
        AwsBackupStore supplied = AwsBackupStore.builder().clientFactory(region -> client).build();

        assertSame(client, supplied.client(REGION));
        assertSame(client, supplied.client("eu-west-1"));
    }
}
