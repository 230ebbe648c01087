package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.RunStatus;

/**
 * The exit codes of {@code cloudhsm-dr}, so a cron job, a Kubernetes CronJob or a CI step can act on the outcome.
 * <ul>
 *   <li>{@value #OK}: the run did all it should; the recovery points are OK.</li>
 *   <li>{@value #WARN}: some of the run failed (PARTIAL); a recovery point is WARN.</li>
 *   <li>{@value #FAILED}: nothing could be done (FAILED); a recovery point is CRITICAL, MISSING or UNKNOWN; a
 *       call failed; the deadline passed.</li>
 *   <li>{@value #USAGE}: a bad command, option or value (as BSD's sysexits.h EX_USAGE); nothing was called.</li>
 * </ul>
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Partial success, or a warning. */
    public static final int WARN = 1;
    /** Failure. */
    public static final int FAILED = 2;
    /** Usage error. */
    public static final int USAGE = 64;

    private ExitCodes() {
    }

    /**
     * @param status a run's status
     * @return {@link #OK} for SUCCESS, {@link #WARN} for PARTIAL, {@link #FAILED} for FAILED
     */
    public static int of(RunStatus status) {
        return switch (status) {
            case SUCCESS -> OK;
            case PARTIAL -> WARN;
            case FAILED -> FAILED;
        };
    }

    /**
     * @param failed how many of the parts failed
     * @param total  how many parts there are
     * @return SUCCESS when none failed, FAILED when all did (and there were some), PARTIAL otherwise
     */
    static RunStatus statusOf(long failed, long total) {
        return failed == 0 ? RunStatus.SUCCESS : failed < total ? RunStatus.PARTIAL : RunStatus.FAILED;
    }
}
