package io.github.cloudhsmdr.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When each phase of a drill ended. Any instant but {@code requestedAt} may be {@code null}: the phase did not
 * happen (no HSM asked for) or did not finish.
 *
 * @param requestedAt when CreateCluster was sent, or {@code null} when the drill never got that far
 * @param restoredAt  when the cluster was first seen in its restored state
 * @param hsmActiveAt when the HSM and the cluster were first seen ACTIVE
 * @param tornDownAt  when the cluster was first seen DELETED (or, at the teardown deadline, DELETE_IN_PROGRESS)
 */
public record DrillTimeline(Instant requestedAt, Instant restoredAt, Instant hsmActiveAt, Instant tornDownAt) {

    /** The phases, in order. */
    public enum Phase {
        /** CreateCluster was accepted. */
        REQUESTED,
        /** The cluster reached its restored state. */
        RESTORED,
        /** The HSM and the cluster are ACTIVE. */
        HSM_ACTIVE,
        /** The drill's cluster is deleted. */
        TORN_DOWN
    }

    /** @return request to restored state, if both happened */
    public Optional<Duration> toRestored() {
        return between(requestedAt, restoredAt);
    }

    /** @return restored state to HSM ACTIVE, if both happened */
    public Optional<Duration> restoredToHsmActive() {
        return between(restoredAt, hsmActiveAt);
    }

    /** @return request to HSM ACTIVE, if both happened */
    public Optional<Duration> toHsmActive() {
        return between(requestedAt, hsmActiveAt);
    }

    /** @return from the last phase reached before the teardown to the end of the teardown, if both happened */
    public Optional<Duration> teardown() {
        Instant from = hsmActiveAt != null ? hsmActiveAt : restoredAt != null ? restoredAt : requestedAt;
        return between(from, tornDownAt);
    }

    DrillTimeline with(Phase phase, Instant at) {
        return switch (phase) {
            case REQUESTED -> new DrillTimeline(at, restoredAt, hsmActiveAt, tornDownAt);
            case RESTORED -> new DrillTimeline(requestedAt, at, hsmActiveAt, tornDownAt);
            case HSM_ACTIVE -> new DrillTimeline(requestedAt, restoredAt, at, tornDownAt);
            case TORN_DOWN -> new DrillTimeline(requestedAt, restoredAt, hsmActiveAt, at);
        };
    }

    private static Optional<Duration> between(Instant a, Instant b) {
        return a == null || b == null ? Optional.empty() : Optional.of(Duration.between(a, b));
    }
}
