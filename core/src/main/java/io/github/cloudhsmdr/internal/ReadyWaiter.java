package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Polls one destination region until the run's new copies are READY (or failed), with a backoff that
 * doubles from the poll interval up to its maximum, until the deadline on the injected clock. Waits go
 * through the injected sleeper.
 */
final class ReadyWaiter {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyWaiter.class);
    private final ReplicatorConfig config;
    private final String region;
    private final Function<Set<String>, List<Backup>> copiesOf;

    /**
     * @param copiesOf lists the copies of the given source backups in {@code region}
     *                 (throws {@link CallFailedException})
     */
    ReadyWaiter(ReplicatorConfig config, String region, Function<Set<String>, List<Backup>> copiesOf) {
        this.config = config;
        this.region = region;
        this.copiesOf = copiesOf;
    }

    /** Updates the outcomes of {@code items}, copies started in this run, to their final state. */
    void await(List<ApplyRun.ItemRun> items) {
        Instant deadline = config.clock().instant().plus(config.waitForReady());
        Duration interval = config.pollInterval();
        while (true) {
            List<ApplyRun.ItemRun> waiting = items.stream().filter(ReadyWaiter::isWaiting).toList();
            if (waiting.isEmpty()) {
                return;
            }
            Instant now = config.clock().instant();
            if (!now.isBefore(deadline)) {
                markTimedOut(waiting);
                return;
            }
            Duration wait = Duration.between(now, deadline).compareTo(interval) < 0
                    ? Duration.between(now, deadline) : interval;
            try {
                config.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                markTimedOut(waiting);
                return;
            }
            interval = interval.multipliedBy(2).compareTo(config.maxPollInterval()) > 0
                    ? config.maxPollInterval() : interval.multipliedBy(2);
            Set<String> ids = new TreeSet<>();
            waiting.forEach(i -> ids.add(i.sourceBackupId()));
            List<Backup> copies;
            try {
                copies = copiesOf.apply(ids);
            } catch (CallFailedException e) {
                LOG.debug("Polling for READY failed region={}: {}", region, e.failure().message());
                continue;
            }
            update(waiting, CopyLookup.bySource(copies));
        }
    }

    private static boolean isWaiting(ApplyRun.ItemRun i) {
        CopyOutcome o = i.outcome;
        return o.action() == CopyAction.COPIED
                && (o.destinationState() == null || o.destinationState() == BackupState.CREATE_IN_PROGRESS);
    }

    private static void update(List<ApplyRun.ItemRun> waiting, Map<String, List<Backup>> bySource) {
        for (ApplyRun.ItemRun i : waiting) {
            String copyId = i.outcome.destinationBackupId();
            List<Backup> copies = bySource.getOrDefault(i.sourceBackupId(), List.of()).stream()
                    .filter(b -> copyId == null || b.backupId().equals(copyId)).toList();
            CopyLookup.best(copies).ifPresent(b -> i.found(b,
                    b.state() == BackupState.READY ? "copied and verified READY" : i.outcome.detail()));
        }
    }

    private void markTimedOut(List<ApplyRun.ItemRun> waiting) {
        for (ApplyRun.ItemRun i : waiting) {
            CopyOutcome o = i.outcome;
            i.set(CopyAction.NOT_READY, o.destinationBackupId(), o.destinationState(), "copy started but not READY within "
                    + config.waitForReady() + "; the next run checks it again", null);
        }
    }
}
