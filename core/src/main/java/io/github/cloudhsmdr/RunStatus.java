package io.github.cloudhsmdr;

/** Overall result of a run, or of one (cluster, destination) pair. */
public enum RunStatus {
    /** Everything that was to be done was done. */
    SUCCESS,
    /** Some items failed, others were done. */
    PARTIAL,
    /** Nothing that was to be done could be done. */
    FAILED;

    /**
     * Combines the statuses of parts into the status of the whole: all SUCCESS gives SUCCESS, all FAILED
     * gives FAILED, anything else PARTIAL. No parts gives SUCCESS.
     */
    public static RunStatus combine(Iterable<RunStatus> parts) {
        boolean anySuccess = false;
        boolean anyFailure = false;
        for (RunStatus s : parts) {
            anySuccess |= s == SUCCESS || s == PARTIAL;
            anyFailure |= s == FAILED || s == PARTIAL;
        }
        if (!anyFailure) {
            return SUCCESS;
        }
        return anySuccess ? PARTIAL : FAILED;
    }
}
