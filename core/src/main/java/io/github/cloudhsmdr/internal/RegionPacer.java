package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Paces the calls to each region (each endpoint) with a concurrency limit that adapts to the service: it starts
 * at {@value #INITIAL_LIMIT} calls at once, grows by one each time a full window of calls at the limit succeeds
 * (additive increase), and halves when the region throttles (multiplicative decrease, at most once per window:
 * the calls already in flight when the limit was cut do not cut it again), never below one nor above the
 * configured ceiling. Growing back to the limit at which the region last throttled takes
 * {@value #PROBE_WINDOWS} windows instead of one (as the AWS SDK's adaptive mode grows slowly near its last
 * maximum), so a run at a region's rate probes it now and then instead of every other window. A region that throttles even one call at a time also gets a spacing between calls
 * (doubling from 250 ms up to 10 s, halving with each success), so it slows down further instead of burning the
 * run's retries; above one call at a time, halving the limit is the brake (a spacing there would hold a slot
 * idle and keep the run well under the region's rate). CloudHSM's API rate limits are per account and region and not documented, so they
 * are learnt, like the AWS SDK's adaptive retry mode does. Waits go through the injected sleeper. Thread-safe;
 * one pacer serves every run of a replicator, so what a run learnt carries over to the next.
 */
final class RegionPacer {
    private static final Logger LOG = LoggerFactory.getLogger(RegionPacer.class);

    static final Duration FIRST_SPACING = Duration.ofMillis(250);
    static final Duration MAX_SPACING = Duration.ofSeconds(10);
    /** The limit of a region the pacer has not called yet. */
    static final int INITIAL_LIMIT = 2;
    /**
     * How many windows of calls at the limit it takes to grow by one where the next step reaches the limit at which
     * the region last throttled: probing there is slow, so a region at its rate is not pushed over it every other
     * window.
     */
    static final int PROBE_WINDOWS = 8;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int ceiling;
    private final Sleeper sleeper;

    /**
     * @param ceiling the most calls ever sent to one region at once (at least 1)
     * @param sleeper how spacing waits
     */
    RegionPacer(int ceiling, Sleeper sleeper) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("ceiling must be at least 1, was " + ceiling);
        }
        this.ceiling = ceiling;
        this.sleeper = sleeper;
    }

    /** What the call of one permit saw when it was let through. */
    record Permit(long window, boolean atLimit) {
    }

    /** The state of one region. */
    static final class Lane {
        private final String region;
        private final int ceiling;
        /** The current limit; its integer part is how many calls may run at once. */
        private double limit;
        private int inFlight;
        /** Counts the decreases; a call started in an earlier window does not decrease the limit again. */
        private long window;
        /** The limit at which the region last throttled, until the limit grows past it; 0 when none. */
        private int throttledAt;
        private Duration spacing = Duration.ZERO;
        private long throttled;
        private long calls;

        Lane(String region, int ceiling) {
            this.region = region;
            this.ceiling = ceiling;
            this.limit = Math.min(INITIAL_LIMIT, ceiling);
        }

        synchronized Permit acquire() throws InterruptedException {
            while (inFlight >= (int) limit) {
                wait();
            }
            inFlight++;
            calls++;
            return new Permit(window, inFlight >= (int) limit);
        }

        private synchronized Duration spacing() {
            return spacing;
        }

        synchronized void succeeded(Permit p) {
            inFlight--;
            // grow only when the limit was really used: a lane called one call at a time proves nothing about more
            if (p.atLimit() && limit < ceiling) {
                int now = (int) limit;
                boolean probing = now + 1 >= throttledAt && throttledAt > 0;
                limit = Math.min(ceiling, limit + 1.0 / (probing ? now * PROBE_WINDOWS : now));
                if ((int) limit >= throttledAt) {
                    throttledAt = 0;
                }
            }
            spacing = spacing.dividedBy(2).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ZERO : spacing.dividedBy(2);
            notifyAll();
        }

        synchronized void throttled(Permit p) {
            inFlight--;
            throttled++;
            if (p.window() == window) {
                double before = limit;
                if (before < 2) {
                    // one call at a time is already too fast: only spacing the calls slows the region down more
                    spacing = spacing.isZero() ? FIRST_SPACING : spacing.multipliedBy(2).compareTo(MAX_SPACING) > 0
                            ? MAX_SPACING : spacing.multipliedBy(2);
                }
                throttledAt = (int) before;
                limit = Math.max(1, Math.floor(limit / 2));
                window++;
                LOG.debug("Region throttled region={} limit {} -> {} calls at once, spacing {}", region, (int) before,
                        (int) limit, spacing);
            }
            notifyAll();
        }

        private synchronized void failed() {
            inFlight--;
            notifyAll();
        }

        /** @return how many calls may run at once now */
        synchronized int limit() {
            return (int) limit;
        }

        /** @return how many calls were let through, and how many of them were throttled */
        synchronized long[] counts() {
            return new long[] {calls, throttled};
        }
    }

    /**
     * Runs {@code call} against {@code region} within its pace.
     *
     * @throws BackupServiceException from the call, or of kind UNKNOWN when interrupted while waiting
     */
    <T> T run(String operation, String region, Supplier<T> call) {
        Lane lane = lane(region);
        Permit permit;
        try {
            permit = lane.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(operation, region, e);
        }
        boolean released = false;
        try {
            Duration spacing = lane.spacing();
            if (!spacing.isZero()) {
                sleeper.sleep(spacing);
            }
            T value = call.get();
            released = true;
            lane.succeeded(permit);
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(operation, region, e);
        } catch (BackupServiceException e) {
            if (e.kind() == ServiceErrorKind.THROTTLING) {
                released = true;
                lane.throttled(permit);
            }
            throw e;
        } finally {
            if (!released) {
                lane.failed();
            }
        }
    }

    /** @return the lane of {@code region}, made on first use */
    Lane lane(String region) {
        return lanes.computeIfAbsent(region, r -> new Lane(r, ceiling));
    }

    private static BackupServiceException interrupted(String operation, String region, InterruptedException e) {
        return new BackupServiceException(ServiceErrorKind.UNKNOWN, operation, region, null, null,
                "interrupted while waiting to call the region", e);
    }
}
