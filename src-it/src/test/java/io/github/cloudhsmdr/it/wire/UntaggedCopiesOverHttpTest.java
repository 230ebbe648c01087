package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.AdoptionOutcome;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.aws.iam.IamPolicies;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.emulator.AccessPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import java.time.Duration;
import java.util.List;

import static io.github.cloudhsmdr.it.wire.WireFixture.COPY;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over the wire, with the real SDK against the emulator: whatever tags the destination shows (the service dropped
 * the copy request's TagList, or the tags were removed later), a second run with identical inputs copies nothing
 * and deletes nothing, and the run says why it is not SUCCESS.
 */
class UntaggedCopiesOverHttpTest {
    private static final long SEED = 20261201L;

    WireFixture fx;
    AwsBackupStore store;
    String cluster;

    @BeforeEach
    void setUp() {
        fx = new WireFixture(SEED);
        store = fx.newStore();
        cluster = fx.model().addCluster(SOURCE).clusterId();
        for (int day = 0; day < 30; day++) {
            fx.backup(cluster, Duration.ofDays(day).plusHours(2));
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dropped TagList", "tags removed later"})
    void aSecondRunWithIdenticalInputsCopiesNothingAndDeletesNothing(String fault) {
        if (fault.startsWith("dropped")) {
            fx.faults().dropCopyTags(WEST, 1.0);
        } else {
            fx.faults().stripTagsLater(WEST, 1.0);
        }
        try (BackupReplicator r = fx.replicator(store, WEST).name("dr-wire")
                .retentionPolicy(RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build())
                .selection(Selection.allWithin(Duration.ofDays(40))).build()) {
            ReplicationReport first = r.replicate();
            fx.model().completeCopies();
            assertTrue(first.copied() > 0, first.describe());
            assertTrue(fx.model().backupsIn(WEST).stream().allMatch(b -> b.tags().get(CopyTags.OWNER) == null),
                    "the destination shows no ownership tag");
            long copiesSent = fx.count(COPY, SOURCE);
            long liveBefore = fx.model().backupsIn(WEST).stream().filter(b -> b.state().isLive()).count();

            ReplicationReport second = r.replicate();
            fx.figures("untagged copies, " + fault);
            assertEquals(0, second.copied(), second.describe());
            assertEquals(0, second.deleted(), second.describe());
            assertEquals(copiesSent, fx.count(COPY, SOURCE), "no CopyBackupToRegion sent by the second run");
            assertEquals(liveBefore, fx.model().backupsIn(WEST).stream().filter(b -> b.state().isLive()).count());
            assertEquals(RunStatus.SUCCESS, second.status(), "counted, not failed: " + second.describe());
            assertEquals(first.copied(), second.untaggedCopies(), second.describe());
            assertTrue(second.summary().contains("lack the ownership tag"), second.summary());
        }
        assertTrue(fx.faults().count(fault.startsWith("dropped") ? FaultInjector.Kind.COPY_TAGS_DROPPED
                : FaultInjector.Kind.TAGS_STRIPPED) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adopt", "replicator"})
    void adoptCopiesTagsTheCopiesUnderTheAdoptPolicyAndReportsARefusal(String policyFile) {
        fx.faults().dropCopyTags(WEST, 1.0);
        try (BackupReplicator r = fx.replicator(store, WEST).name("dr-wire")
                .retentionPolicy(RetentionPolicy.builder().keepDaily(7).keepWeekly(4).build())
                .selection(Selection.allWithin(Duration.ofDays(40))).build()) {
            ReplicationReport first = r.replicate();
            fx.model().completeCopies();
            ReplicationPlan plan = r.plan();
            // the generated policies: the adopt role may tag unowned copies; the replicator's own role may not
            IamPolicy policy = policyFile.startsWith("adopt")
                    ? IamPolicies.adopt("dr-wire", CloudHsmModel.ACCOUNT_ID, SOURCE, List.of(WEST))
                    : IamPolicies.replicator("dr-wire", CloudHsmModel.ACCOUNT_ID, SOURCE, List.of(WEST));
            fx.emulator.accessPolicy(AccessPolicy.fromJson(IamPolicies.toJson(policy)));
            List<AdoptionOutcome> outcomes = r.adoptCopies(plan);
            assertEquals(first.copied(), outcomes.size(), outcomes.toString());
            if (policyFile.startsWith("adopt")) {
                assertTrue(outcomes.stream().allMatch(AdoptionOutcome::adopted), outcomes.toString());
                assertTrue(fx.model().backupsIn(WEST).stream()
                        .allMatch(b -> "dr-wire".equals(b.tags().get(CopyTags.OWNER))));
            } else {
                assertTrue(outcomes.stream().noneMatch(AdoptionOutcome::adopted), outcomes.toString());
                assertTrue(outcomes.stream().allMatch(o -> o.failure().kind() == ServiceErrorKind.ACCESS_DENIED
                        && o.failure().message().contains("TagResource")), outcomes.toString());
            }
        }
    }
}
