package io.github.cloudhsmdr.it.chaos;

import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import io.github.cloudhsmdr.testkit.FaultInjector.RegionDownMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What happens on one simulated day: the faults in force, the operator's actions and the schedule of backups and
 * runs. All days are drawn up front from the seed, so the schedule never depends on how the runs went.
 *
 * @param day              the day, from 0
 * @param faulty           whether faults are injected (false in the tail)
 * @param regionDown       the destination region that is down the whole day, or {@code null}
 * @param downMode         how the region that is down answers
 * @param copyDelay        how long a copy stays CREATE_IN_PROGRESS
 * @param visibilityDelay  how long a new copy stays unlisted (eventual consistency); zero for none
 * @param backupMinute     minute after 01:00 at which every cluster's daily backup is taken
 * @param secondBackup     index of the cluster that takes a second backup at 13:xx, or -1
 * @param rerun            whether someone runs the replicator again {@link #RERUN_AFTER} after the morning run ends
 *                         (more likely on days when copies stay unlisted, to meet the duplicates that makes)
 * @param rerunRestart     whether the process restarts before that re-run
 * @param afternoonRun     whether the replicator runs again at 14:00
 * @param restart          whether the replicator process restarts (a new instance, no in-flight memory) before
 *                         the morning run
 * @param pin              whether the operator marks one of the replicator's copies NeverExpires after the morning
 *                         run
 * @param pick             a number to pick the pinned copy with
 */
record DayPlan(int day, boolean faulty, String regionDown, RegionDownMode downMode, Duration copyDelay,
        Duration visibilityDelay, int backupMinute, int secondBackup, boolean rerun, boolean rerunRestart,
        boolean afternoonRun, boolean restart,
        boolean pin, int pick) {

    static final double THROTTLING = 0.30;
    static final double INTERNAL_FAILURE = 0.05;
    static final double SERVICE_ERROR = 0.02;
    static final double COPY_FAILURE = 0.10;
    static final double TIMEOUT_AFTER_COPY = 0.05;
    /** Copies whose TagList the service drops, and copies whose tags are removed later. */
    static final double TAGS_DROPPED = 0.01;
    static final double TAGS_STRIPPED = 0.01;
    static final Duration LATENCY = Duration.ofMillis(150);
    static final Duration COPY_LATENCY = Duration.ofSeconds(2);
    static final Duration TAIL_COPY_DELAY = Duration.ofMinutes(20);
    static final Duration RERUN_AFTER = Duration.ofMinutes(20);

    private static final Duration[] COPY_DELAYS = {Duration.ofMinutes(10), Duration.ofMinutes(20),
        Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofMinutes(90), Duration.ofHours(3)};
    private static final Duration[] VISIBILITY_DELAYS = {Duration.ofSeconds(15), Duration.ofSeconds(45),
        Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(40), Duration.ofHours(3)};

    /**
     * Draws the days of a run. A destination is down on day 3 for sure (so even a short run has one) and on
     * about one faulty day in ten besides.
     */
    static List<DayPlan> draw(long seed, ChaosSettings settings, List<String> destinations, int clusters) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<DayPlan> days = new ArrayList<>();
        for (int d = 0; d < settings.days(); d++) {
            boolean faulty = d < settings.faultyDays();
            boolean down = faulty && (d == 3 || r.nextDouble() < 0.10);
            String region = destinations.get(r.nextInt(destinations.size()));
            RegionDownMode mode = r.nextBoolean() ? RegionDownMode.SERVICE_UNAVAILABLE : RegionDownMode.CLOSE_CONNECTION;
            Duration copyDelay = COPY_DELAYS[r.nextInt(COPY_DELAYS.length)];
            boolean invisible = r.nextDouble() < 0.35;
            Duration visibility = VISIBILITY_DELAYS[r.nextInt(VISIBILITY_DELAYS.length)];
            int minute = r.nextInt(50);
            int second = r.nextDouble() < 0.25 ? r.nextInt(clusters) : -1;
            boolean rerun = faulty && r.nextDouble() < (invisible ? 0.5 : 0.1);
            boolean rerunRestart = r.nextBoolean();
            boolean afternoon = r.nextDouble() < 0.30;
            boolean restart = r.nextDouble() < 0.10;
            boolean pin = faulty && r.nextDouble() < 0.06;
            int pick = r.nextInt(1 << 20);
            days.add(new DayPlan(d, faulty, down ? region : null, mode, faulty ? copyDelay : TAIL_COPY_DELAY,
                    faulty && invisible ? visibility : Duration.ZERO, minute, second, rerun, rerunRestart, afternoon, restart, pin, pick));
        }
        return List.copyOf(days);
    }

    /** Puts this day's faults in force (and lifts those of the day before). */
    void apply(FaultInjector faults, CloudHsmModel model, List<String> destinations) {
        double on = faulty ? 1.0 : 0.0;
        String any = FaultInjector.ANY;
        faults.throttle(any, any, THROTTLING * on);
        faults.internalFailure(any, any, INTERNAL_FAILURE * on);
        faults.error(any, any, SERVICE_ERROR * on, "CloudHsmServiceException");
        faults.copyFailure(any, COPY_FAILURE * on);
        faults.timeoutAfterCopy(ChaosWorld.SOURCE, TIMEOUT_AFTER_COPY * on);
        faults.dropCopyTags(any, TAGS_DROPPED * on);
        faults.stripTagsLater(any, TAGS_STRIPPED * on);
        faults.noResponseMode(FaultInjector.NoResponseMode.CLOSE_CONNECTION);
        faults.latency(any, any, faulty ? LATENCY : Duration.ZERO);
        faults.latency("CopyBackupToRegion", any, faulty ? COPY_LATENCY : Duration.ZERO);
        for (String d : destinations) {
            if (d.equals(regionDown)) {
                faults.regionDown(d, downMode);
            } else {
                faults.regionUp(d);
            }
        }
        model.copyDelay(copyDelay);
        model.copyVisibilityDelay(visibilityDelay);
    }

    /** @return a one-line description for logs and failure messages. */
    String describe() {
        if (!faulty) {
            return "day " + day + ": fault-free, copyDelay " + copyDelay;
        }
        return "day " + day + ": faults on" + (regionDown == null ? "" : ", " + regionDown + " down (" + downMode + ")")
                + ", copyDelay " + copyDelay
                + (visibilityDelay.isZero() ? "" : ", copies unlisted for " + visibilityDelay)
                + (restart ? ", restart" : "")
                + (rerun ? ", re-run after " + RERUN_AFTER + (rerunRestart ? " after a restart" : "") : "")
                + (afternoonRun ? ", afternoon run" : "")
                + (secondBackup >= 0 ? ", second backup of cluster #" + secondBackup : "")
                + (pin ? ", operator pins a copy" : "");
    }
}
