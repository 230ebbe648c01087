package io.github.cloudhsmdr.it.wire;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import io.github.cloudhsmdr.testkit.emulator.AccessPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.drill.DrillCheck;
import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.github.cloudhsmdr.drill.RestoreDrill;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restore drills through the real AWS SDK against the emulator, under {@code iam/drill-policy.json} read from its
 * JSON: a drill with an HSM passes and leaves nothing behind; removing any one CloudHSM action fails the drill
 * with a denial naming it; the tag condition denies deleting a cluster (or adding an HSM to one) without the
 * drill tag.
 */
class DrillPolicyOverHttpTest {
    private static final Logger LOG = LoggerFactory.getLogger(DrillPolicyOverHttpTest.class);
    private static final Path DRILL_POLICY = Path.of("..", "iam", "drill-policy.json");
    private static final String NAME = "dr-monthly";
    private static final List<String> SUBNETS = List.of("subnet-0a1b2c3d", "subnet-0e1f2a3b");

    WireFixture fx;
    AwsBackupStore store;
    String source;
    Backup copy;

    @BeforeEach
    void setUp() {
        fx = new WireFixture(20261201L);
        store = fx.newStore();
        source = fx.model().addCluster(SOURCE).clusterId();
        Backup src = fx.backup(source, Duration.ofHours(3));
        copy = fx.model().addBackup(Backup.builder("backup-drillcopyabcd", WEST).clusterId(source)
                .createTimestamp(src.createTimestamp()).copyTimestamp(src.createTimestamp().plusSeconds(900))
                .sourceRegion(SOURCE).sourceBackup(src.backupId()).sourceCluster(source).hsmType(src.hsmType())
                .mode(src.mode()).state(BackupState.READY).build());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** The drill policy file with its placeholders filled in. */
    static IamPolicy drillPolicy() {
        try {
            String json = Files.readString(DRILL_POLICY).replace("<ACCOUNT_ID>", CloudHsmModel.ACCOUNT_ID)
                    .replace("<DRILL_NAME>", NAME);
            return IamPolicy.fromJson(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AccessPolicy enforced(IamPolicy policy) {
        return AccessPolicy.fromJson(policy.toJson());
    }

    RestoreDrill drill() {
        return RestoreDrill.builder().backupStore(store).name(NAME).sourceCluster(source).sourceRegion(SOURCE)
                .region(WEST).subnetIds(SUBNETS).withHsm(true).rtoObjective(Duration.ofMinutes(45))
                .teardownTimeout(Duration.ofMinutes(30)).clock(fx.clock).sleeper(fx.clock::advance).randomSeed(3)
                .build();
    }

    List<Cluster> liveClusters() {
        return fx.model().clustersIn(WEST).stream().filter(c -> !"DELETED".equals(c.state())).toList();
    }

    @Test
    void aDrillWithAnHsmPassesUnderTheDrillPolicyAndLeavesNothing() {
        fx.emulator.accessPolicy(enforced(drillPolicy()));
        DrillReport r = drill().run();
        LOG.info("Drill over HTTP under drill-policy.json:\n{}", r.describe());
        fx.figures("restore drill with HSM under drill-policy.json");

        assertEquals(DrillStatus.PASS, r.status(), r.describe());
        for (DrillCheck c : r.checks()) {
            assertEquals(DrillCheck.Status.PASS, c.status(), c.toString());
        }
        assertEquals(copy.backupId(), r.backup().backupId());
        assertTrue(liveClusters().isEmpty(), liveClusters().toString());
        assertEquals(1, fx.count("CreateCluster", WEST));
        assertEquals(1, fx.count("CreateHsm", WEST));
        assertEquals(1, fx.count("DeleteHsm", WEST));
        assertEquals(1, fx.count("DeleteCluster", WEST));
    }

    static Stream<String> cloudHsmActions() {
        return IamPolicyOverHttpTest.allowedActions(drillPolicy()).stream().filter(a -> a.startsWith("cloudhsm:"));
    }

    @ParameterizedTest
    @MethodSource("cloudHsmActions")
    void withoutOneOfItsActionsTheDrillFailsWithADenialNamingIt(String action) {
        fx.emulator.accessPolicy(enforced(IamPolicyOverHttpTest.without(drillPolicy(), action)));
        DrillReport r = drill().run();
        assertEquals(DrillStatus.FAIL, r.status(), r.describe());
        String all = String.join("\n", r.problems()) + (r.teardown() == null ? "" : r.teardown().describe());
        assertTrue(all.contains("not authorized to perform: " + action), action + ":\n" + r.describe());
    }

    @Test
    void theTagConditionDeniesDeletingOrGrowingAClusterWithoutTheDrillTag() {
        fx.emulator.accessPolicy(enforced(drillPolicy()));
        String production = fx.model().addCluster(WEST).clusterId();
        String otherDrill = fx.model().createCluster(WEST, copy.backupId(), "hsm2m.medium", SUBNETS,
                Map.of(RestoreDrill.DRILL_TAG, "someone-else")).clusterId();
        for (String cluster : List.of(production, otherDrill)) {
            BackupServiceException delete = assertThrows(BackupServiceException.class,
                    () -> store.deleteCluster(WEST, cluster));
            assertEquals(ServiceErrorKind.ACCESS_DENIED, delete.kind());
            assertTrue(delete.getMessage().contains("cloudhsm:DeleteCluster"), delete.getMessage());
            BackupServiceException hsm = assertThrows(BackupServiceException.class,
                    () -> store.createHsm(WEST, cluster, WEST + "a"));
            assertEquals(ServiceErrorKind.ACCESS_DENIED, hsm.kind());
        }
        assertEquals(2, liveClusters().size());

        fx.clock.advance(Duration.ofMinutes(10));
        String tagged = store.createCluster(new CreateClusterRequest(WEST, copy.backupId(), "hsm2m.medium", SUBNETS,
                Map.of(RestoreDrill.DRILL_TAG, NAME))).clusterId();
        fx.clock.advance(Duration.ofMinutes(10));
        assertEquals("DELETE_IN_PROGRESS", store.deleteCluster(WEST, tagged).state(), "the drill's own tag is allowed");
        assertFalse(IamPolicyOverHttpTest.allowedActions(drillPolicy()).stream().anyMatch(a -> a.contains("*")));
    }
}
