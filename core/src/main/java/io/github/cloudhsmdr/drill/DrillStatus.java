package io.github.cloudhsmdr.drill;

/** The verdict of a restore drill. */
public enum DrillStatus {
    /** Every check passed or was skipped with its reason, and the drill's resources were torn down. */
    PASS,
    /** A check failed, a phase failed or timed out, or the teardown did not finish. */
    FAIL
}
