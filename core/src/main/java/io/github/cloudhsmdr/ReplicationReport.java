package io.github.cloudhsmdr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The result of one run: when it ran, per (cluster, destination) outcomes, counts and an overall status.
 * A value: immutable and thread-safe.
 *
 * @param replicatorName the replicator's name
 * @param sourceRegion   the source region
 * @param startedAt      when the run started
 * @param finishedAt     when it finished
 * @param status         SUCCESS, PARTIAL or FAILED
 * @param outcomes       one entry per (cluster, destination region)
 * @param failures       failures outside any pair (e.g. the source region could not be listed)
 * @param runId          the run's id, also on every log line of the run (SLF4J MDC key {@code runId})
 */
public record ReplicationReport(
        String replicatorName,
        String sourceRegion,
        Instant startedAt,
        Instant finishedAt,
        RunStatus status,
        List<DestinationOutcome> outcomes,
        List<Failure> failures,
        String runId) {

    /** The MDC key under which a run's id is on every log line of the run. */
    public static final String RUN_ID_MDC_KEY = "runId";

    public ReplicationReport {
        Objects.requireNonNull(replicatorName, "replicatorName");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
        outcomes = List.copyOf(outcomes);
        failures = List.copyOf(failures);
        runId = runId == null ? "" : runId;
    }

    /** A report without a run id. */
    public ReplicationReport(String replicatorName, String sourceRegion, Instant startedAt, Instant finishedAt,
            RunStatus status, List<DestinationOutcome> outcomes, List<Failure> failures) {
        this(replicatorName, sourceRegion, startedAt, finishedAt, status, outcomes, failures, "");
    }

    /** @return every copy outcome of the run. */
    public Stream<CopyOutcome> copies() {
        return outcomes.stream().flatMap(o -> o.copies().stream());
    }

    /** @return how many outcomes of the run have the given action. */
    public long count(CopyAction action) {
        return copies().filter(c -> c.action() == action).count();
    }

    /** @return how many copies were started in this run. */
    public long copied() {
        return count(CopyAction.COPIED);
    }

    /** @return every deletion retention made (or tried) in this run. */
    public Stream<Deletion> deletions() {
        return outcomes.stream().flatMap(o -> o.deletions().stream());
    }

    /** @return how many copies retention deleted in this run. */
    public long deleted() {
        return deletions().filter(Deletion::succeeded).count();
    }

    /** @return how many items failed, pair-level failures and failed deletions included. */
    public long failedCount() {
        return count(CopyAction.FAILED) + outcomes.stream().filter(o -> o.failure() != null).count()
                + failures.size() + deletions().filter(d -> !d.succeeded()).count();
    }

    /** @return every failure of the run, item-level and pair-level. */
    public List<Failure> allFailures() {
        return Stream.of(failures.stream(),
                outcomes.stream().map(DestinationOutcome::failure).filter(Objects::nonNull),
                copies().map(CopyOutcome::failure).filter(Objects::nonNull),
                deletions().map(Deletion::failure).filter(Objects::nonNull))
                .flatMap(s -> s).toList();
    }

    /** @return how many copies lie in the destinations without the ownership tag, over all pairs. */
    public long untaggedCopies() {
        return outcomes.stream().mapToLong(DestinationOutcome::untaggedCopies).sum();
    }

    /** @return how long the run took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /**
     * @return a one-line summary, suitable for the run's INFO log line; a run that could do nothing at all
     *         says so and names its first failure
     */
    public String summary() {
        String line = String.format("replicator=%s source=%s status=%s pairs=%d copied=%d alreadyPresent=%d inProgress=%d"
                        + " notReady=%d skipped=%d sourceGone=%d deleted=%d failed=%d untagged=%d duration=%s",
                replicatorName, sourceRegion, status, outcomes.size(), copied(), count(CopyAction.ALREADY_PRESENT),
                count(CopyAction.IN_PROGRESS), count(CopyAction.NOT_READY), count(CopyAction.SKIPPED),
                count(CopyAction.SOURCE_GONE), deleted(), failedCount(), untaggedCopies(), duration());
        if (status == RunStatus.FAILED) {
            List<Failure> all = allFailures();
            line += all.isEmpty() ? "; nothing could be done"
                    : "; nothing could be done, first failure: " + all.get(0).message();
        } else if (status == RunStatus.PARTIAL) {
            String reason = allFailures().stream().map(Failure::message).findFirst().orElse(outcomes.stream()
                    .flatMap(o -> o.reasons().stream()).findFirst().orElse(null));
            line += reason == null ? "" : "; first problem: " + reason;
        }
        if (untaggedCopies() > 0) {
            line += "; " + untaggedCopies() + " copies lack the ownership tag: retention can neither count nor "
                    + "delete them (adoptCopies takes ownership)";
        }
        return line;
    }

    /** @return a readable multi-line report. */
    public String describe() {
        StringBuilder sb = new StringBuilder(summary()).append('\n');
        for (Failure f : failures) {
            sb.append("  FAILED ").append(f.message()).append('\n');
        }
        for (DestinationOutcome o : outcomes) {
            sb.append(o.describe());
        }
        return sb.toString();
    }
}
