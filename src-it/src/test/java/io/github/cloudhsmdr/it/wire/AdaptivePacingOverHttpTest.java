package io.github.cloudhsmdr.it.wire;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.Backup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.cloudhsmdr.it.wire.WireFixture.COPY;
import static io.github.cloudhsmdr.it.wire.WireFixture.EU;
import static io.github.cloudhsmdr.it.wire.WireFixture.SOURCE;
import static io.github.cloudhsmdr.it.wire.WireFixture.WEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catch-up run against a region that limits its request rate (the emulator's token bucket, on the fixture's
 * virtual clock): the adaptive limit per region brings the run through without a storm of retries, and nothing is
 * copied twice.
 */
class AdaptivePacingOverHttpTest {
    private static final Logger LOG = LoggerFactory.getLogger(AdaptivePacingOverHttpTest.class);

    WireFixture fx;
    AwsBackupStore store;

    @BeforeEach
    void setUp() {
        // the bucket refills on the fixture's clock, which moves only when the replicator waits
        fx = new WireFixture(20261202L, b -> b.ticker(() -> fx.clock.millis() * 1_000_000L));
        store = fx.newStore();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aCatchUpRunUnderARateLimitSucceedsWithoutARetryStormAndCopiesEachBackupOnce() {
        List<Backup> sources = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            String cluster = fx.model().addCluster(SOURCE).clusterId();
            for (int i = 0; i < 40; i++) {
                sources.add(fx.backup(cluster, Duration.ofHours(i + 1L)));
            }
        }
        // every CopyBackupToRegion goes to the source region: 160 copies against 5 requests a second
        fx.emulator.rateLimit(SOURCE, 5, 5);
        AtomicLong throttledRetries = new AtomicLong();
        ReplicationListener retries = new ReplicationListener() {
            @Override
            public void onRetry(RetryEvent event) {
                if (event.kind() == ServiceErrorKind.THROTTLING) {
                    throttledRetries.incrementAndGet();
                }
            }
        };
        try (BackupReplicator r = fx.replicator(store, WEST, EU).listener(retries).build()) {
            ReplicationReport report = r.replicate();
            assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
            assertEquals(160, report.copied());
        }
        for (Backup s : sources) {
            assertEquals(1, fx.liveCopies(s.backupId(), WEST).size());
            assertEquals(1, fx.liveCopies(s.backupId(), EU).size());
        }
        long copyCalls = fx.count(COPY, SOURCE);
        long throttled = fx.emulator.rateLimited();
        LOG.info("figures: copy calls {}, throttled {}, retries on throttling {}, virtual time {}", copyCalls,
                throttled, throttledRetries.get(), java.time.Duration.between(WireFixture.START, fx.clock.instant()));
        assertEquals(160 + throttled, copyCalls + sourceListingsThrottled(), "every throttled call was retried");
        assertTrue(throttled < copyCalls / 2, "throttled " + throttled + " of " + copyCalls + " copy calls");
    }

    private long sourceListingsThrottled() {
        return fx.requests().count(e -> e.region().equals(SOURCE) && !e.operation().equals(COPY)
                && "ThrottlingException".equals(e.errorCode()));
    }
}
