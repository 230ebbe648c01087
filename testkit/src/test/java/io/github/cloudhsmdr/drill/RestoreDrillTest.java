package io.github.cloudhsmdr.drill;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.ClusterCertificates;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restore drills on the in-memory model, on virtual time: the restore, the checks, the optional HSM, and the
 * teardown under every injected fault, after an interrupt and after a drill process that was killed.
 */
class RestoreDrillTest {
    static final String SOURCE = "us-east-1";
    static final String DR = "us-west-2";
    static final List<String> SUBNETS = List.of("subnet-0a1b2c3d", "subnet-0e1f2a3b");

    MutableClock clock;
    CloudHsmModel model;
    InMemoryBackupStore memory;
    ForwardingStore store;
    String source;
    Backup copy;
    DrillRecordStore records;
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-12-01T06:00:00Z");
        model = new CloudHsmModel(clock, 7);
        memory = new InMemoryBackupStore(model);
        store = new ForwardingStore(memory);
        source = model.addCluster(SOURCE).clusterId();
        copy = addCopy(Duration.ofHours(5));
        records = DrillRecordStore.inMemory();
    }

    /** A READY copy in the DR region of a source backup created {@code age} ago. */
    Backup addCopy(Duration age) {
        Backup src = model.addBackup(SOURCE, source, clock.instant().minus(age));
        return model.addBackup(Backup.builder("backup-" + src.backupId().substring(7, 14) + "copyx", DR)
                .clusterId(source).createTimestamp(src.createTimestamp()).copyTimestamp(clock.instant().minus(age)
                        .plusSeconds(600)).sourceRegion(SOURCE).sourceBackup(src.backupId()).sourceCluster(source)
                .hsmType(src.hsmType()).mode(src.mode()).state(BackupState.READY)
                .tags(Map.of(CopyTags.SOURCE_CLUSTER, source)).build());
    }

    RestoreDrill.Builder drill() {
        return RestoreDrill.builder().backupStore(store).name("monthly").sourceCluster(source).sourceRegion(SOURCE)
                .region(DR).subnetIds(SUBNETS).recordStore(records).clock(clock).sleeper(clock::advance)
                .randomSeed(1).rtoObjective(Duration.ofHours(1))
                .pollInterval(Duration.ofSeconds(15), Duration.ofMinutes(2))
                .listener(new DrillListener() {
                    @Override
                    public void onPhase(String drillId, DrillTimeline.Phase phase, Duration sinceRequest) {
                        events.add(phase + "+" + sinceRequest);
                    }

                    @Override
                    public void onDrillFinished(DrillReport report) {
                        events.add("finished " + report.status());
                    }
                });
    }

    List<Cluster> liveDrillClusters() {
        return model.clustersIn(DR).stream().filter(c -> !"DELETED".equals(c.state())).toList();
    }

    static DrillCheck.Status status(DrillReport r, DrillCheck.Name name) {
        return r.check(name).map(DrillCheck::status).orElse(null);
    }

    @Test
    void restoresTheNewestCopyVerifiesItAndTearsItDown() {
        Backup newest = addCopy(Duration.ofHours(2));
        DrillReport r = drill().build().run();

        assertEquals(DrillStatus.PASS, r.status(), r.describe());
        assertEquals(newest.backupId(), r.backup().backupId(), "the newest READY copy");
        assertEquals(Duration.ofHours(2), r.backupAge());
        Duration restoredAfter = r.timeline().toRestored().orElseThrow();
        assertTrue(restoredAfter.compareTo(Duration.ofMinutes(6)) >= 0
                && restoredAfter.compareTo(Duration.ofMinutes(8)) < 0, "the model restores in 6 min, polled with "
                + "backoff up to 2 min: " + restoredAfter);
        for (DrillCheck.Name n : List.of(DrillCheck.Name.RESTORED_STATE, DrillCheck.Name.HSM_TYPE, DrillCheck.Name.MODE,
                DrillCheck.Name.CLUSTER_CERTIFICATE, DrillCheck.Name.RTO, DrillCheck.Name.TEARDOWN)) {
            assertEquals(DrillCheck.Status.PASS, status(r, n), n + "\n" + r.describe());
        }
        assertTrue(r.check(DrillCheck.Name.CLUSTER_CERTIFICATE).orElseThrow().detail().contains("= source cluster"));
        assertFalse(r.rtoIncludesHsm());
        assertTrue(liveDrillClusters().isEmpty(), "torn down: " + liveDrillClusters());
        Cluster drilled = model.clustersIn(DR).get(0);
        assertEquals(Map.of(RestoreDrill.DRILL_TAG, "monthly", RestoreDrill.DRILL_ID_TAG, r.drillId(),
                RestoreDrill.DRILL_SOURCE_TAG, source), drilled.tags());
        assertEquals(newest.backupId(), drilled.sourceBackupId());
        assertEquals(List.of("REQUESTED+PT0S", "RESTORED+" + r.timeline().toRestored().orElseThrow(),
                "TORN_DOWN+" + Duration.between(r.timeline().requestedAt(), r.timeline().tornDownAt()), "finished PASS"),
                events);
        assertTrue(records.lastPassing(source).isPresent(), "a passing drill records the certificate");
    }

    @Test
    void withAnHsmMeasuresTheFullRecoveryTimeAndDeletesTheHsmBeforeTheCluster() {
        DrillReport r = drill().withHsm(true).build().run();

        assertEquals(DrillStatus.PASS, r.status(), r.describe());
        assertTrue(r.rtoIncludesHsm());
        assertEquals(r.timeline().toHsmActive().orElseThrow(), r.rto());
        assertTrue(r.rto().compareTo(Duration.ofMinutes(18)) >= 0, "6 min cluster + 12 min HSM: " + r.rto());
        assertEquals(DrillCheck.Status.PASS, status(r, DrillCheck.Name.HSM_ACTIVE));
        assertEquals(List.of(r.hsmId()), r.teardown().hsmsDeleted());
        assertTrue(r.teardown().problems().isEmpty(), r.teardown().problems().toString());
        assertTrue(liveDrillClusters().isEmpty());
        assertEquals(SUBNETS.get(0), model.clustersIn(DR).get(0).subnetMapping().get("us-west-2a"));
    }

    @Test
    void aRestoredClusterThatComesUpActiveAlsoPasses() {
        model.restoredClusterState("ACTIVE");
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.PASS, r.status(), r.describe());
        assertTrue(r.check(DrillCheck.Name.RESTORED_STATE).orElseThrow().detail().startsWith("ACTIVE"));
    }

    @Test
    void withoutAReadyCopyTheDrillFailsAndCreatesNothing() {
        model.deleteBackup(DR, copy.backupId());
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertTrue(r.problems().get(0).contains("no READY backup"), r.problems().toString());
        assertNull(r.clusterId());
        assertTrue(model.clustersIn(DR).isEmpty());
    }

    @Test
    void anRtoOverTheObjectiveFails() {
        DrillReport r = drill().withHsm(true).rtoObjective(Duration.ofMinutes(10)).build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertEquals(DrillCheck.Status.FAIL, status(r, DrillCheck.Name.RTO));
        assertEquals(DrillCheck.Status.PASS, status(r, DrillCheck.Name.TEARDOWN));
        assertTrue(liveDrillClusters().isEmpty());
    }

    // ------------------------------------------------------------------------------------------- certificates

    @Test
    void aCertificateThatDiffersFromTheSourceClustersFails() {
        store.clusterView = c -> c.region().equals(DR) && c.certificates().clusterCertificate() != null
                ? withCertificate(c, "-----BEGIN CERTIFICATE-----\nQUJDREVGR0g=\n-----END CERTIFICATE-----") : c;
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertEquals(DrillCheck.Status.FAIL, status(r, DrillCheck.Name.CLUSTER_CERTIFICATE), r.describe());
        assertTrue(records.lastPassing(source).isEmpty(), "a failing drill records nothing");
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void aModeOrHsmTypeThatDiffersFromTheBackupsFails() {
        store.clusterView = c -> c.region().equals(DR) ? new Cluster(c.clusterId(), c.region(), c.state(), "hsm1.medium",
                c.vpcId(), c.sourceBackupId(), c.createTimestamp(), c.tags(), "NON_FIPS", c.stateMessage(),
                c.subnetMapping(), c.certificates(), c.hsms()) : c;
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertEquals("restored NON_FIPS, backup FIPS", r.check(DrillCheck.Name.MODE).orElseThrow().detail());
        assertEquals("restored hsm1.medium, backup hsm2m.medium", r.check(DrillCheck.Name.HSM_TYPE).orElseThrow()
                .detail());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void whenTheSourceRegionIsDownTheCertificateIsComparedWithTheLastPassingDrill() {
        assertEquals(DrillStatus.PASS, drill().build().run().status());
        model.faultHook((operation, region) -> {
            if (region.equals(SOURCE)) {
                throw CloudHsmModelException.of(CloudHsmModelException.SERVICE_UNAVAILABLE, "region down");
            }
        });
        DrillReport second = drill().build().run();
        assertEquals(DrillStatus.PASS, second.status(), second.describe());
        String detail = second.check(DrillCheck.Name.CLUSTER_CERTIFICATE).orElseThrow().detail();
        assertTrue(detail.contains("recorded by drill") && detail.contains("unreadable"), detail);

        model.clusterCertificate(source, "-----BEGIN CERTIFICATE-----\nWllYV1ZVVFM=\n-----END CERTIFICATE-----");
        DrillReport third = drill().build().run();
        assertEquals(DrillCheck.Status.FAIL, status(third, DrillCheck.Name.CLUSTER_CERTIFICATE), third.describe());
    }

    @Test
    void theFirstDrillWithTheSourceRegionDownSkipsTheCertificateCheckAndSaysWhy() {
        DrillReport r = drill().sourceRegion("eu-west-1").build().run();
        assertEquals(DrillCheck.Status.SKIPPED, status(r, DrillCheck.Name.CLUSTER_CERTIFICATE));
        assertTrue(r.check(DrillCheck.Name.CLUSTER_CERTIFICATE).orElseThrow().detail().contains("nothing to compare"));
        assertEquals(DrillStatus.PASS, r.status(), "a skipped check with its reason does not fail the drill");
    }

    @Test
    void aPropertiesFileKeepsTheLastPassingDrillAcrossProcesses(@TempDir Path dir) {
        Path file = dir.resolve("drills.properties");
        records = DrillRecordStore.propertiesFile(file);
        DrillReport first = drill().build().run();
        assertEquals(DrillStatus.PASS, first.status());
        DrillRecord read = DrillRecordStore.propertiesFile(file).lastPassing(source).orElseThrow();
        assertEquals(first.drillId(), read.drillId());
        assertEquals(first.backup().backupId(), read.backupId());
        assertEquals(CertificateFingerprint.of(model.clusterCertificateOf(source)).orElseThrow(),
                read.clusterCertificateFingerprint());
    }

    @Test
    void fingerprintsIgnoreLineBreaksAndArmour() {
        String pem = model.clusterCertificateOf(source);
        String flat = pem.replace("\n", "").replace("-----BEGIN CERTIFICATE-----", "")
                .replace("-----END CERTIFICATE-----", "");
        assertEquals(CertificateFingerprint.of(pem), CertificateFingerprint.of(flat));
        assertTrue(CertificateFingerprint.of("not base64 !").isEmpty());
    }

    // ------------------------------------------------------------------------------------------- faults

    @Test
    void aCreationThatFailsInsideAwsFailsTheDrillAndIsTornDown() {
        model.failNextClusterCreations(1);
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertTrue(r.problems().get(0).contains("DEGRADED"), r.problems().toString());
        assertEquals(DrillCheck.Status.FAIL, status(r, DrillCheck.Name.RESTORED_STATE));
        assertTrue(r.teardown().completed(), r.describe());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void aClusterStuckInProgressTimesOutAndIsTornDown() {
        model.stickNextClusterCreations(1);
        DrillReport r = drill().restoreTimeout(Duration.ofMinutes(30)).build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertTrue(r.problems().get(0).contains("timed out after 30m00s"), r.problems().toString());
        assertNull(r.timeline().restoredAt());
        assertTrue(r.teardown().completed(), r.describe());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void aClusterQuotaErrorFailsTheDrillWithTheServicesErrorAndLeavesNothing() {
        model.addCluster(DR);
        model.clusterQuota(1);
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertTrue(r.problems().get(0).contains("RESOURCE_LIMIT_EXCEEDED")
                && r.problems().get(0).contains("CloudHsmResourceLimitExceededException"), r.problems().toString());
        assertNull(r.clusterId());
        assertEquals(1, liveDrillClusters().size(), "only the cluster that was there before");
    }

    @Test
    void anHsmQuotaErrorFailsTheDrillAndTheClusterIsTornDown() {
        model.hsmQuota(0);
        DrillReport r = drill().withHsm(true).build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertEquals(DrillCheck.Status.FAIL, status(r, DrillCheck.Name.HSM_ACTIVE));
        assertTrue(r.problems().get(0).contains("CreateHsm"), r.problems().toString());
        assertTrue(r.teardown().completed());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void deletionsThatFailOnceAreRetriedAndTheDrillStillPasses() {
        model.failNextHsmDeletions(1).failNextClusterDeletions(1);
        DrillReport r = drill().withHsm(true).build().run();
        assertEquals(DrillStatus.PASS, r.status(), r.describe());
        assertEquals(2, r.teardown().problems().size(), r.teardown().problems().toString());
        assertTrue(r.teardown().problems().get(0).contains("DeleteHsm"));
        assertTrue(r.teardown().problems().get(1).contains("DeleteCluster"));
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void aLostCreateClusterAnswerFailsTheDrillButTheClusterIsFoundByItsDrillIdAndTornDown() {
        store.loseCreateClusterAnswer = true;
        DrillReport r = drill().build().run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertNull(r.clusterId());
        assertNotNull(r.teardown(), r.describe());
        assertTrue(r.teardown().completed());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void anInterruptStopsTheWaitButTheTeardownStillRuns() {
        AtomicInteger sleeps = new AtomicInteger();
        DrillReport r = drill().withHsm(true).sleeper(d -> {
            if (sleeps.incrementAndGet() == 8) {
                throw new InterruptedException("stop");
            }
            clock.advance(d);
        }).build().run();
        boolean flag = Thread.interrupted();
        assertTrue(flag, "the interrupt is passed on to the caller");
        assertEquals(DrillStatus.FAIL, r.status());
        assertTrue(r.problems().get(0).startsWith("interrupted"), r.problems().toString());
        assertTrue(r.teardown().completed(), r.describe());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void theNextDrillTearsDownWhatAKilledDrillLeftBehind() {
        store.dieAfterCreateHsm = true;
        DrillReport killed = drill().withHsm(true).teardownTimeout(Duration.ofMinutes(5)).build().run();
        assertEquals(DrillStatus.FAIL, killed.status());
        List<Cluster> left = liveDrillClusters();
        assertEquals(1, left.size(), "the killed drill left its cluster");
        assertEquals(1, left.get(0).hsms().size(), "and its HSM");

        store = new ForwardingStore(memory);
        DrillReport next = drill().build().run();
        assertEquals(DrillStatus.PASS, next.status(), next.describe());
        assertEquals(1, next.leftovers().size());
        assertEquals(left.get(0).clusterId(), next.leftovers().get(0).clusterId());
        assertEquals(killed.drillId(), next.leftovers().get(0).drillId());
        assertTrue(next.leftovers().get(0).completed());
        assertEquals(1, next.leftovers().get(0).hsmsDeleted().size());
        assertTrue(liveDrillClusters().isEmpty());
    }

    @Test
    void cleanupRemovesOnlyClustersCarryingThisDrillsTag() {
        String untagged = model.addCluster(DR).clusterId();
        String otherDrill = memory.createCluster(new CreateClusterRequest(DR, copy.backupId(), "hsm2m.medium", SUBNETS,
                Map.of(RestoreDrill.DRILL_TAG, "another-drill"))).clusterId();
        String leftover = memory.createCluster(new CreateClusterRequest(DR, copy.backupId(), "hsm2m.medium", SUBNETS,
                Map.of(RestoreDrill.DRILL_TAG, "monthly", RestoreDrill.DRILL_ID_TAG, "monthly-old"))).clusterId();

        List<Teardown> done = drill().build().cleanup();
        assertEquals(1, done.size());
        assertEquals(leftover, done.get(0).clusterId());
        assertEquals(Set.of(untagged, otherDrill), Set.copyOf(liveDrillClusters().stream().map(Cluster::clusterId)
                .toList()));
    }

    @Test
    void aDrillClusterThatLostItsTagIsNeverDeleted() {
        RestoreDrill drill = drill().listener(new DrillListener() {
            @Override
            public void onPhase(String drillId, DrillTimeline.Phase phase, Duration since) {
                if (phase == DrillTimeline.Phase.RESTORED) {
                    String id = model.clustersIn(DR).get(0).clusterId();
                    model.untagResource(DR, id, Set.of(RestoreDrill.DRILL_TAG));
                }
            }
        }).build();
        DrillReport r = drill.run();
        assertEquals(DrillStatus.FAIL, r.status());
        assertFalse(r.teardown().completed());
        assertTrue(r.teardown().problems().get(0).startsWith("refused to delete"), r.teardown().problems().toString());
        assertEquals(1, liveDrillClusters().size(), "not deleted");
    }

    @Test
    void theTaskSkipsAnOverlappingRunAndNeverThrows() {
        RestoreDrillTask task = RestoreDrillTask.of(drill().build());
        assertTrue(task.call().isPresent());
        assertEquals(1, task.completedRuns());
        assertEquals(DrillStatus.PASS, task.lastReport().orElseThrow().status());
        assertEquals("drill:monthly", task.lockName());
    }

    @Test
    void theBuilderNamesTheFieldTheValueAndWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> drill().subnetIds("subnet-xyz").build());
        assertTrue(e.getMessage().contains("subnetIds 'subnet-xyz'") && e.getMessage().contains("hexadecimal"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> drill().subnetIds(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> drill().subnetIds("subnet-0a1b2c3d", "subnet-0a1b2c3d")
                .build());
        assertThrows(IllegalArgumentException.class, () -> drill().rtoObjective(Duration.ZERO).build());
        assertThrows(IllegalStateException.class, () -> drill().pollInterval(Duration.ofMinutes(2),
                Duration.ofSeconds(1)).build());
        assertThrows(NullPointerException.class, () -> RestoreDrill.builder().build());
    }

    private static Cluster withCertificate(Cluster c, String pem) {
        return new Cluster(c.clusterId(), c.region(), c.state(), c.hsmType(), c.vpcId(), c.sourceBackupId(),
                c.createTimestamp(), c.tags(), c.mode(), c.stateMessage(), c.subnetMapping(),
                new ClusterCertificates(pem, null, null, null, null), c.hsms());
    }
}
