package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.CopyEvent;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.Deletion;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.Sleeper;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Progress lines on standard error, each with the time since the command started: the listings (the plan),
 * each copy started and located per pair, deletions, waits with their elapsed time and, when verbose, retries.
 * Thread-safe: the engine works on several pairs at once.
 */
final class Progress implements ReplicationListener {
    private final PrintWriter err;
    private final Clock clock;
    private final Instant start;
    private final boolean verbose;
    /** Shortest sleep taken for a poll of copies turning READY: the replicator's first poll interval. */
    static final Duration READY_POLL = Duration.ofSeconds(15);

    private volatile Instant firstCopyStarted;
    /** The retry whose back-off the calling thread sleeps next, if any: the engine retries on the calling thread. */
    private final ThreadLocal<RetryEvent> retrying = new ThreadLocal<>();

    Progress(PrintWriter err, Clock clock, Instant start, boolean verbose) {
        this.err = err;
        this.clock = clock;
        this.start = start;
        this.verbose = verbose;
    }

    synchronized void line(String text) {
        err.println("[" + Text.duration(Duration.between(start, clock.instant())) + "] " + text);
        err.flush();
    }

    @Override
    public void onPlanCreated(ReplicationPlan plan) {
        line("listed backups: " + plan.destinations().size() + " pairs, " + plan.copyCount() + " copies to start, "
                + plan.deletionCount() + " to delete" + (plan.failures().isEmpty() ? ""
                : ", " + plan.failures().size() + " listings failed"));
    }

    @Override
    public void onCopyStarted(CopyEvent e) {
        if (firstCopyStarted == null) {
            firstCopyStarted = clock.instant();
        }
        line("copy started: " + e.sourceBackupId() + " " + e.sourceRegion() + " -> " + e.destinationRegion()
                + " (" + e.clusterId() + ")");
    }

    @Override
    public void onCopySucceeded(CopyEvent e, CopyOutcome outcome) {
        line("copy located: " + e.sourceBackupId() + " -> " + outcome.destinationBackupId() + " in "
                + e.destinationRegion() + " " + outcome.destinationState());
    }

    @Override
    public void onCopyFailed(CopyEvent e, Failure failure) {
        line("copy FAILED: " + e.sourceBackupId() + " -> " + e.destinationRegion() + ": " + failure.message());
    }

    @Override
    public void onCopyDeleted(Deletion d) {
        line("deleted: " + d.backupId() + " in " + d.region() + " (" + d.verdict() + ")");
    }

    @Override
    public void onRetry(RetryEvent e) {
        retrying.set(e);
        if (verbose) {
            line("retry " + e.attempt() + " of " + e.operation() + " in " + e.region() + " after " + e.kind()
                    + " in " + Text.duration(e.delay()) + ": " + e.message());
        }
    }

    /**
     * @return {@code sleeper} that first reports the wait: a retry's back-off (already reported when verbose), a poll
     *         for copies to turn READY with the time since the first copy started, or, when verbose, a short pause
     *         (the replicator paces its calls per region)
     */
    Sleeper reporting(Sleeper sleeper) {
        return d -> {
            RetryEvent retry = retrying.get();
            retrying.remove();
            Instant started = firstCopyStarted;
            if (retry != null) {
                if (!verbose) {
                    line("retrying " + retry.operation() + " in " + retry.region() + " in " + Text.duration(d)
                            + " after " + retry.kind());
                }
            } else if (started != null && d.compareTo(READY_POLL) >= 0) {
                line("waiting " + Text.duration(d) + " for copies to turn READY, "
                        + Text.duration(Duration.between(started, clock.instant())) + " since the first copy started");
            } else if (verbose) {
                line("pausing " + Text.duration(d));
            }
            sleeper.sleep(d);
        };
    }
}
