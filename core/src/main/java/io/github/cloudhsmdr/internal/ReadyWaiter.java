package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Polls one destination region until the run's new copies are READY (or failed), with a backoff that
 * doubles from the poll interval up to its maximum, until the deadline on the injected clock. Waits go
 * through the injected sleeper.
 */
final class ReadyWaiter {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyWaiter.class);
    private final ReplicatorConfig config;
    private final StoreCalls calls;
    private final String region;

    ReadyWaiter(ReplicatorConfig config, StoreCalls calls, String region) {
        this.config = config;
        this.calls = calls;
        this.region = region;
    }

    /** Updates, in place, the outcomes of copies started in this run to their final state. */
    void await(List<List<CopyOutcome>> perPlan) {
        Instant deadline = config.clock().instant().plus(config.waitForReady());
        Duration interval = config.pollInterval();
        while (true) {
            Set<String> waiting = waitingFor(perPlan);
            if (waiting.isEmpty()) {
                return;
            }
            Instant now = config.clock().instant();
            if (!now.isBefore(deadline)) {
                markTimedOut(perPlan);
                return;
            }
            Duration wait = Duration.between(now, deadline).compareTo(interval) < 0
                    ? Duration.between(now, deadline) : interval;
            try {
                config.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                markTimedOut(perPlan);
                return;
            }
            interval = interval.multipliedBy(2).compareTo(config.maxPollInterval()) > 0
                    ? config.maxPollInterval() : interval.multipliedBy(2);
            List<Backup> copies;
            try {
                copies = calls.listBackups(region, null, BackupFilter.sourceBackupIds(waiting));
            } catch (CallFailedException e) {
                LOG.debug("Polling for READY failed region={}: {}", region, e.failure().message());
                continue;
            }
            update(perPlan, copies.stream().filter(b -> b.originBackup() != null)
                    .collect(Collectors.groupingBy(Backup::originBackup)));
        }
    }

    private static boolean isWaiting(CopyOutcome o) {
        return o.action() == CopyAction.COPIED
                && (o.destinationState() == null || o.destinationState() == BackupState.CREATE_IN_PROGRESS);
    }

    private static Set<String> waitingFor(List<List<CopyOutcome>> perPlan) {
        Set<String> ids = new TreeSet<>();
        perPlan.forEach(l -> l.stream().filter(ReadyWaiter::isWaiting).forEach(o -> ids.add(o.sourceBackupId())));
        return ids;
    }

    private void update(List<List<CopyOutcome>> perPlan, Map<String, List<Backup>> bySource) {
        for (List<CopyOutcome> list : perPlan) {
            for (int i = 0; i < list.size(); i++) {
                CopyOutcome o = list.get(i);
                if (!isWaiting(o)) {
                    continue;
                }
                List<Backup> copies = new ArrayList<>(bySource.getOrDefault(o.sourceBackupId(), List.of()));
                if (o.destinationBackupId() != null) {
                    copies.removeIf(b -> !b.backupId().equals(o.destinationBackupId()));
                }
                copies.sort(Comparator.comparing(Backup::copyTimestamp,
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
                if (copies.isEmpty()) {
                    continue;
                }
                Backup b = copies.stream().filter(c -> c.state().isLive()).findFirst().orElse(copies.get(0));
                if (b.state() == BackupState.DELETED) {
                    list.set(i, new CopyOutcome(o.sourceBackupId(), o.createTimestamp(), CopyAction.FAILED,
                            b.backupId(), b.state(), "", new Failure(ServiceErrorKind.COPY_FAILED,
                            "CopyBackupToRegion", "copy " + b.backupId() + " of " + o.sourceBackupId()
                            + " failed inside AWS in " + region + " (DELETED); a later run copies it again", 1)));
                } else {
                    String detail = b.state() == BackupState.READY ? "copied and verified READY" : o.detail();
                    list.set(i, new CopyOutcome(o.sourceBackupId(), o.createTimestamp(), o.action(), b.backupId(),
                            b.state(), detail, null));
                }
            }
        }
    }

    private void markTimedOut(List<List<CopyOutcome>> perPlan) {
        for (List<CopyOutcome> list : perPlan) {
            for (int i = 0; i < list.size(); i++) {
                CopyOutcome o = list.get(i);
                if (isWaiting(o)) {
                    list.set(i, new CopyOutcome(o.sourceBackupId(), o.createTimestamp(), o.action(),
                            o.destinationBackupId(), o.destinationState(), "copy started but not READY within "
                            + config.waitForReady() + "; the next run checks it again", null));
                }
            }
        }
    }
}
