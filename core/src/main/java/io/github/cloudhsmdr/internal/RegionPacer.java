package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.Sleeper;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Paces the calls to each region: at most a fixed number at once, and a spacing between calls that grows
 * each time the region throttles (doubling from 250 ms up to 10 s) and shrinks again with each success
 * (halving, down to none). So a large catch-up run slows down where the service pushes back instead of
 * burning its retries. Waits go through the injected sleeper. Thread-safe.
 */
final class RegionPacer {
    static final Duration FIRST_SPACING = Duration.ofMillis(250);
    static final Duration MAX_SPACING = Duration.ofSeconds(10);

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int permits;
    private final Sleeper sleeper;

    RegionPacer(int permitsPerRegion, Sleeper sleeper) {
        this.permits = permitsPerRegion;
        this.sleeper = sleeper;
    }

    private static final class Lane {
        final Semaphore permits;
        Duration spacing = Duration.ZERO;

        Lane(int permits) {
            this.permits = new Semaphore(permits, true);
        }

        synchronized Duration spacing() {
            return spacing;
        }

        synchronized void throttled() {
            spacing = spacing.isZero() ? FIRST_SPACING
                    : spacing.multipliedBy(2).compareTo(MAX_SPACING) > 0 ? MAX_SPACING : spacing.multipliedBy(2);
        }

        synchronized void succeeded() {
            spacing = spacing.dividedBy(2).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ZERO : spacing.dividedBy(2);
        }
    }

    /**
     * Runs {@code call} against {@code region} within its pace.
     *
     * @throws BackupServiceException from the call, or of kind UNKNOWN when interrupted while waiting
     */
    <T> T run(String operation, String region, Supplier<T> call) {
        Lane lane = lanes.computeIfAbsent(region, r -> new Lane(permits));
        try {
            lane.permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(operation, region, e);
        }
        try {
            Duration spacing = lane.spacing();
            if (!spacing.isZero()) {
                sleeper.sleep(spacing);
            }
            T value = call.get();
            lane.succeeded();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(operation, region, e);
        } catch (BackupServiceException e) {
            if (e.kind() == ServiceErrorKind.THROTTLING) {
                lane.throttled();
            }
            throw e;
        } finally {
            lane.permits.release();
        }
    }

    private static BackupServiceException interrupted(String operation, String region, InterruptedException e) {
        return new BackupServiceException(ServiceErrorKind.UNKNOWN, operation, region, null, null,
                "interrupted while waiting to call the region", e);
    }
}
