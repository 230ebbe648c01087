package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RestoreRequest;
import io.github.cloudhsmdr.RestoreResult;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.UndoOutcome;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmAccessDeniedException;
import software.amazon.awssdk.services.cloudhsmv2.model.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.cloudhsmdr.it.wire.WireFixture.EU;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IAM policies shipped in {@code iam/}, read from their JSON and enforced by the emulator: a full replicate
 * pass (discovery, listing, copies with tags, retention deletions and their undo) succeeds under
 * {@code replicator-policy.json}, every action in it is needed (without it the run fails with ACCESS_DENIED
 * naming that action), and the tag condition keeps deletions to the replicator's own copies. The restore policy
 * is checked the same way with {@link ClusterRestorer}.
 */
class IamPolicyOverHttpTest {
    private static final Logger LOG = LoggerFactory.getLogger(IamPolicyOverHttpTest.class);
    private static final long SEED = 20261103L;
    private static final Path REPLICATOR_POLICY = Path.of("..", "iam", "replicator-policy.json");
    private static final Path RESTORE_POLICY = Path.of("..", "iam", "restore-policy.json");
    private static final String NAME = "dr-prod";
    private static final Map<String, String> PLACEHOLDERS = Map.of("<ACCOUNT_ID>", CloudHsmModel.ACCOUNT_ID,
            "<REPLICATOR_NAME>", NAME);

    WireFixture fx;
    AwsBackupStore store;
    String clusterA;
    String clusterB;
    final List<Backup> sources = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new WireFixture(SEED);
        store = fx.newStore();
        clusterA = fx.model().addCluster(SOURCE).clusterId();
        clusterB = fx.model().addCluster(SOURCE).clusterId();
        fx.model().addCluster(WEST);
        fx.model().copyDelay(Duration.ofMinutes(10));
        sources.add(fx.model().addBackup(Backup.builder("backup-srcaabcdefghijk", SOURCE).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofHours(2))).state(BackupState.READY)
                .tags(Map.of("team", "payments")).build()));
        sources.add(fx.backup(clusterB, Duration.ofHours(2)));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static IamPolicyDocument replicatorPolicy() {
        return IamPolicyDocument.read(REPLICATOR_POLICY, PLACEHOLDERS);
    }

    static IamPolicyDocument restorePolicy() {
        return IamPolicyDocument.read(RESTORE_POLICY, PLACEHOLDERS);
    }

    /** A replicator that discovers the clusters, copies to two regions and keeps the newest copy there. */
    BackupReplicator replicator(String name) {
        return fx.replicator(store, WEST, EU).name(name)
                .retentionPolicy(RetentionPolicy.builder().keepLast(1).build())
                .waitForReady(Duration.ofHours(1)).pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(4))
                .build();
    }

    /** Two daily runs and the undo of the second run's deletions. */
    record Pass(ReplicationReport firstDay, ReplicationReport secondDay, List<UndoOutcome> undone) {
        List<Failure> failures() {
            List<Failure> all = new ArrayList<>(firstDay.allFailures());
            all.addAll(secondDay.allFailures());
            undone.stream().map(UndoOutcome::failure).filter(f -> f != null).forEach(all::add);
            return all;
        }

        String describe() {
            return firstDay.describe() + secondDay.describe() + undone;
        }
    }

    /**
     * A full pass of every operation the replicator uses: day one copies each cluster's backup to both regions;
     * day two copies the new backups and retention (keepLast 1) deletes day one's copies; then those deletions
     * are undone.
     */
    Pass runFullPass(String name) {
        try (BackupReplicator r = replicator(name)) {
            ReplicationReport first = r.replicate();
            fx.clock.advance(Duration.ofDays(1));
            sources.add(fx.backup(clusterA, Duration.ofHours(2)));
            sources.add(fx.backup(clusterB, Duration.ofHours(2)));
            ReplicationReport second = r.replicate();
            return new Pass(first, second, r.undoDeletions(second));
        }
    }

    Pass runFullPass() {
        return runFullPass(NAME);
    }

    @Test
    void fullPassSucceedsUnderTheReplicatorPolicy() {
        IamPolicyDocument policy = replicatorPolicy();
        fx.emulator.accessPolicy(policy.toAccessPolicy());
        Pass pass = runFullPass();
        fx.figures("full pass under replicator-policy.json");
        assertTrue(pass.failures().isEmpty(), pass.failures() + "\n" + pass.describe());
        assertEquals(RunStatus.SUCCESS, pass.firstDay().status(), pass.describe());
        assertEquals(RunStatus.SUCCESS, pass.secondDay().status(), pass.describe());
        assertEquals(4, pass.firstDay().copied(), pass.describe());
        assertEquals(4, pass.secondDay().copied(), pass.describe());
        assertEquals(4, pass.secondDay().deleted(), "keepLast 1: day one's copies go\n" + pass.describe());
        assertEquals(4, pass.undone().size());
        pass.undone().forEach(u -> assertEquals(BackupState.READY, u.state(), u.toString()));
        assertEquals(4, fx.count("DeleteBackup", WEST) + fx.count("DeleteBackup", EU));
        assertEquals(4, fx.count("RestoreBackup", WEST) + fx.count("RestoreBackup", EU));
        assertTrue(fx.count("DescribeClusters", WEST) > 0, "retention reads the destination's own clusters");

        try (BackupReplicator r = replicator(NAME)) {
            RecoveryPointReport points = r.measureRecoveryPoints();
            assertTrue(points.points().stream().allMatch(p -> p.failure() == null), points.describe());
        }
    }

    @Test
    void resourcePatternsCoverTheArnsThePassActsOnAndNothingElse() {
        IamPolicyDocument policy = replicatorPolicy();
        fx.emulator.accessPolicy(policy.toAccessPolicy());
        ReplicationReport report = runFullPass().secondDay();
        assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
        IamPolicyDocument.Statement copy = policy.statementsFor("cloudhsm:CopyBackupToRegion").get(0);
        IamPolicyDocument.Statement delete = policy.statementsFor("cloudhsm:DeleteBackup").get(0);
        assertEquals(copy, policy.statementsFor("cloudhsm:TagResource").get(0));
        assertEquals(delete, policy.statementsFor("cloudhsm:RestoreBackup").get(0));
        for (Backup s : sources) {
            assertTrue(copy.coversResource(fx.model().backup(SOURCE, s.backupId()).backupArn()), s.backupArn());
        }
        List<Deletion> deletions = report.deletions().collect(Collectors.toList());
        assertFalse(deletions.isEmpty());
        for (Deletion d : deletions) {
            assertTrue(delete.coversResource(fx.model().backup(d.region(), d.backupId()).backupArn()), d.toString());
        }
        assertFalse(delete.coversResource("arn:aws:cloudhsm:us-west-2:" + CloudHsmModel.ACCOUNT_ID
                + ":cluster/" + clusterA), "clusters are not covered");
        assertFalse(copy.coversResource("arn:aws:cloudhsm:us-west-2:999999999999:backup/backup-abcdefghijk"),
                "other accounts are not covered");
        assertEquals(Map.of(CopyTags.OWNER, NAME), delete.resourceTags());
        for (String action : List.of("cloudhsm:DescribeClusters", "cloudhsm:DescribeBackups")) {
            assertEquals(List.of("*"), policy.statementsFor(action).get(0).resources(),
                    action + " has no resource type: it needs *");
        }
    }

    /** Every action of the replicator policy, with the operation whose failure names it when it is missing. */
    static Stream<String> replicatorActions() {
        return replicatorPolicy().actions().stream();
    }

    @ParameterizedTest
    @MethodSource("replicatorActions")
    void everyActionIsNeededAndItsAbsenceIsReportedAsAccessDeniedNamingIt(String action) {
        fx.emulator.accessPolicy(replicatorPolicy().without(action).toAccessPolicy());
        Pass pass = runFullPass();
        fx.figures("full pass without " + action);
        List<Failure> failures = pass.failures();
        assertFalse(failures.isEmpty(), "without " + action + " the pass must fail:\n" + pass.describe());
        String operation = action.equals("cloudhsm:TagResource") ? "CopyBackupToRegion"
                : action.substring("cloudhsm:".length());
        for (Failure f : failures) {
            assertEquals(ServiceErrorKind.ACCESS_DENIED, f.kind(), f.toString());
            assertEquals(operation, f.operation(), f.toString());
            assertEquals(1, f.attempts(), "access denied is not retried: " + f);
            assertTrue(f.message().contains("not authorized to perform: " + action), f.message());
        }
        LOG.info("without {}: {} failures, first: {}", action, failures.size(), failures.get(0).message());
    }

    @Test
    void deleteAndRestoreAreDeniedOnBackupsWithoutTheReplicatorsOwnershipTag() {
        fx.emulator.accessPolicy(replicatorPolicy().toAccessPolicy());
        assertTrue(runFullPass().failures().isEmpty());
        Backup someoneElses = fx.model().addBackup(Backup.builder("backup-foreigncopyaa", WEST).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofDays(5))).state(BackupState.READY)
                .sourceRegion(SOURCE).sourceBackup("backup-someothersrcx").sourceCluster(clusterA)
                .tags(Map.of(CopyTags.OWNER, "someone-else")).build());
        Backup untagged = fx.model().addBackup(Backup.builder("backup-untaggedcopya", WEST).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofDays(5))).state(BackupState.READY)
                .sourceRegion(SOURCE).sourceBackup("backup-someothersrcy").sourceCluster(clusterA).build());
        for (String[] target : new String[][] {{WEST, someoneElses.backupId()}, {WEST, untagged.backupId()},
                {SOURCE, sources.get(0).backupId()}}) {
            BackupServiceException e = assertThrows(BackupServiceException.class,
                    () -> store.deleteBackup(target[0], target[1]));
            assertEquals(ServiceErrorKind.ACCESS_DENIED, e.kind());
            assertTrue(e.getMessage().contains("cloudhsm:DeleteBackup"), e.getMessage());
            assertTrue(e.getMessage().contains(target[1]), e.getMessage());
            assertEquals(BackupState.READY, fx.model().backup(target[0], target[1]).state(), "left alone");
        }

        Backup own = fx.liveCopies(sources.get(sources.size() - 1).backupId(), WEST).get(0);
        assertEquals(NAME, own.tags().get(CopyTags.OWNER));
        assertEquals(BackupState.PENDING_DELETION, store.deleteBackup(WEST, own.backupId()).state());
        assertEquals(BackupState.READY, store.restoreBackup(WEST, own.backupId()).state());

        fx.model().deleteBackup(WEST, someoneElses.backupId());
        BackupServiceException restore = assertThrows(BackupServiceException.class,
                () -> store.restoreBackup(WEST, someoneElses.backupId()));
        assertEquals(ServiceErrorKind.ACCESS_DENIED, restore.kind());
        assertTrue(restore.getMessage().contains("cloudhsm:RestoreBackup"), restore.getMessage());
    }

    /**
     * The role's own principal must not be able to make itself the owner of a backup and then delete it: neither
     * a backup of the source region nor another owner's or an untagged copy in a destination region.
     */
    @Test
    void theReplicatorsRoleCannotTagABackupItDoesNotOwnAndThenDeleteIt() {
        fx.emulator.accessPolicy(replicatorPolicy().toAccessPolicy());
        assertTrue(runFullPass().failures().isEmpty());
        Backup someoneElses = fx.model().addBackup(Backup.builder("backup-foreigncopyaa", WEST).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofDays(5))).state(BackupState.READY)
                .sourceRegion(SOURCE).sourceBackup("backup-someothersrcx").sourceCluster(clusterA)
                .tags(Map.of(CopyTags.OWNER, "someone-else")).build());
        Backup untagged = fx.model().addBackup(Backup.builder("backup-untaggedcopya", WEST).clusterId(clusterA)
                .createTimestamp(fx.clock.instant().minus(Duration.ofDays(5))).state(BackupState.READY)
                .sourceRegion(SOURCE).sourceBackup("backup-someothersrcy").sourceCluster(clusterA).build());
        for (String[] target : new String[][] {{SOURCE, sources.get(0).backupId()},
                {WEST, someoneElses.backupId()}, {WEST, untagged.backupId()}}) {
            String region = target[0];
            String backupId = target[1];
            try (CloudHsmV2Client sdk = fx.sdkClient(region)) {
                sdk.tagResource(b -> b.resourceId(backupId)
                        .tagList(Tag.builder().key(CopyTags.OWNER).value(NAME).build()));
            } catch (CloudHsmAccessDeniedException e) {
                assertTrue(e.getMessage().contains("cloudhsm:TagResource"), e.getMessage());
            }
            BackupServiceException e = assertThrows(BackupServiceException.class,
                    () -> store.deleteBackup(region, backupId), region + " " + backupId);
            assertEquals(ServiceErrorKind.ACCESS_DENIED, e.kind());
            assertEquals(BackupState.READY, fx.model().backup(region, backupId).state(), "left alone");
        }
    }

    @Test
    void aReplicatorWithAnotherNameCannotDeleteUnderThisPolicy() {
        fx.emulator.accessPolicy(replicatorPolicy().toAccessPolicy());
        Pass pass = runFullPass("other-team");
        ReplicationReport second = pass.secondDay();
        assertEquals(4, second.copied(), second.describe());
        assertEquals(0, second.deleted(), second.describe());
        assertEquals(RunStatus.PARTIAL, second.status());
        List<Deletion> failed = second.deletions().filter(d -> !d.succeeded()).collect(Collectors.toList());
        assertEquals(4, failed.size());
        failed.forEach(d -> {
            assertEquals(ServiceErrorKind.ACCESS_DENIED, d.failure().kind());
            assertEquals(BackupState.READY, fx.model().backup(d.region(), d.backupId()).state(), "left alone");
        });
    }

    @Test
    void restorePolicyRestoresFromTheNewestCopyAndCannotDestroyBackups() {
        runFullPass();
        fx.emulator.accessPolicy(restorePolicy().toAccessPolicy());
        ClusterRestorer restorer = ClusterRestorer.of(store, fx.clock);
        RestoreResult result = restorer.restore(new RestoreRequest(WEST, clusterA, null, null,
                List.of("subnet-0a1b2c3d"), Map.of("purpose", "dr-restore")));
        Backup newest = sources.get(sources.size() - 2);
        assertEquals(clusterA, newest.clusterId());
        assertEquals(newest.backupId(), result.backup().sourceBackup(), "restored from the newest copy");
        assertEquals(WEST, result.cluster().region());
        assertEquals(result.backup().backupId(), result.cluster().sourceBackupId());
        assertTrue(store.describeClusters(WEST, Set.of(result.cluster().clusterId())).size() == 1,
                "the operator can watch the new cluster");

        for (String op : List.of("DeleteBackup", "CopyBackupToRegion")) {
            BackupServiceException e = assertThrows(BackupServiceException.class, () -> {
                if (op.equals("DeleteBackup")) {
                    store.deleteBackup(WEST, result.backup().backupId());
                } else {
                    store.copyBackupToRegion(WEST, result.backup().backupId(), EU, Map.of());
                }
            });
            assertEquals(ServiceErrorKind.ACCESS_DENIED, e.kind(), op);
        }
        assertTrue(restorePolicy().actions().stream().noneMatch(a -> a.contains("*")));
    }

    static Stream<String> restoreActionsTheRestorerUses() {
        return restorePolicy().actions().stream().filter(a -> a.startsWith("cloudhsm:"))
                .filter(a -> !a.equals("cloudhsm:DescribeClusters"));
    }

    @ParameterizedTest
    @MethodSource("restoreActionsTheRestorerUses")
    void restoreWithoutOneOfItsActionsIsDeniedNamingIt(String action) {
        runFullPass();
        fx.emulator.accessPolicy(restorePolicy().without(action).toAccessPolicy());
        ClusterRestorer restorer = ClusterRestorer.of(store, fx.clock);
        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> restorer.restore(new RestoreRequest(WEST, clusterA, null, null, List.of("subnet-0a1b2c3d"),
                        Map.of("purpose", "dr-restore"))));
        assertEquals(ServiceErrorKind.ACCESS_DENIED, e.kind());
        assertTrue(e.getMessage().contains("not authorized to perform: " + action), e.getMessage());
        assertEquals(1, fx.model().describeClusters(WEST, null, null, null).clusters().size(),
                "no cluster was created");
    }

    @Test
    void policyReaderRefusesWhatItDoesNotUnderstand(@TempDir Path dir) throws Exception {
        IllegalArgumentException left = assertThrows(IllegalArgumentException.class,
                () -> IamPolicyDocument.read(REPLICATOR_POLICY, Map.of("<ACCOUNT_ID>", "111122223333")));
        assertTrue(left.getMessage().contains("<REPLICATOR_NAME>"), left.getMessage());

        Path deny = dir.resolve("deny.json");
        Files.writeString(deny, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", "
                + "\"Action\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\"}]}");
        assertThrows(IllegalArgumentException.class, () -> IamPolicyDocument.read(deny, Map.of()));

        Path like = dir.resolve("like.json");
        Files.writeString(like, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\", \"Condition\": "
                + "{\"StringLike\": {\"aws:ResourceTag/cloudhsm-dr:replicator\": \"dr-*\"}}}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IamPolicyDocument.read(like, Map.of()));
        assertTrue(e.getMessage().contains("StringLike"), e.getMessage());
    }
}
