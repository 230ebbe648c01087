package io.github.cloudhsmdr.engine;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy call that failed ambiguously may have made the copy; that stays true whatever later attempts fail with, so
 * every later attempt looks the copy up before copying again.
 */
class AmbiguousCopyRetryTest {
    static final String SOURCE = "us-east-1";
    static final String WEST = "us-west-2";

    @Test
    void aThrottledAttemptAfterAnAmbiguousOneStillLooksTheCopyUpBeforeCopyingAgain() {
        MutableClock clock = MutableClock.at("2026-11-01T12:00:00Z");
        // the copy is listed 3 s after the call: not yet at the 2nd attempt (1 s on), listed at the 3rd (5 s on)
        CloudHsmModel model = new CloudHsmModel(clock, 11L).copyVisibilityDelay(Duration.ofSeconds(3));
        String cluster = model.addCluster(SOURCE).clusterId();
        Backup b = model.addBackup(SOURCE, cluster, clock.instant().minus(Duration.ofHours(1)));
        AtomicInteger copyCalls = new AtomicInteger();
        model.faultHook((operation, region) -> {
            if (operation.equals("CopyBackupToRegion") && copyCalls.incrementAndGet() == 2) {
                throw CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "Rate exceeded");
            }
        });
        // 1st attempt: the copy is made, the answer is lost (NETWORK); 2nd: throttled before copying; 3rd: copies
        RetryBehaviourTest.CopyThenFailStore store = new RetryBehaviourTest.CopyThenFailStore(
                new InMemoryBackupStore(model), 1);
        RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofSeconds(1))
                .throttlingBackoff(Duration.ofSeconds(2)).multiplier(2.0).jitter(0).build();
        try (BackupReplicator r = BackupReplicator.builder().sourceRegion(SOURCE).destinationRegions(WEST)
                .clusterIds(cluster).backupStore(store).clock(clock).sleeper(clock::advance).retryPolicy(policy)
                .build()) {
            ReplicationReport report = r.replicate();
            CopyOutcome o = report.copies().findFirst().orElseThrow();
            assertEquals(CopyAction.COPIED, o.action(), report.describe());
            assertTrue(o.detail().contains("found in " + WEST + " before retrying"), o.detail());
        }
        long live = model.backupsIn(WEST).stream()
                .filter(c -> b.backupId().equals(c.sourceBackup()) && c.state().isLive()).count();
        assertEquals(1, live, "no second copy: the 3rd attempt found the first copy; " + model.backupsIn(WEST));
        assertEquals(2, copyCalls.get(), "the copy call was not sent a third time");
    }
}
