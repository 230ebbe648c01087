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
        if (verbose) {
            line("retry " + e.attempt() + " of " + e.operation() + " in " + e.region() + " after " + e.kind()
                    + " in " + Text.duration(e.delay()) + ": " + e.message());
        }
    }

    /** @return {@code sleeper} that first reports the wait and how long the command has run */
    Sleeper reporting(Sleeper sleeper) {
        return d -> {
            line("waiting " + Text.duration(d) + " for copies to turn READY");
            sleeper.sleep(d);
        };
    }
}
