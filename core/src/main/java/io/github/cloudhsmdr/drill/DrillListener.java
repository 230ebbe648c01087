package io.github.cloudhsmdr.drill;

/**
 * Receives the events of a restore drill: the hook for metrics and alerts. Every method has a no-op default; a
 * listener that throws is logged and ignored.
 */
public interface DrillListener {

    /** The drill starts: its id, source cluster and region are known. */
    default void onDrillStarted(String drillId, String sourceClusterId, String region) {
    }

    /** A phase of the drill finished ({@code phase}: e.g. {@code RESTORED}, {@code HSM_ACTIVE}, {@code TORN_DOWN}). */
    default void onPhase(String drillId, DrillTimeline.Phase phase, java.time.Duration sinceRequest) {
    }

    /** A check has its result. */
    default void onCheck(String drillId, DrillCheck check) {
    }

    /** A leftover of an earlier drill was found and torn down (or could not be). */
    default void onLeftover(Teardown teardown) {
    }

    /** The drill finished; the report is complete. */
    default void onDrillFinished(DrillReport report) {
    }
}
