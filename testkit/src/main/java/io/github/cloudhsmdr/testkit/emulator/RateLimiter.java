package io.github.cloudhsmdr.testkit.emulator;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The emulator's per-region request rate limit: one token bucket per region, refilled continuously at
 * {@code requestsPerSecond} up to {@code burst} tokens, full when it is created. A request takes one token; a
 * request that finds less than one token is refused and takes nothing. Time comes from the injected ticker
 * (nanoseconds, like {@link System#nanoTime()}). Thread-safe.
 */
final class RateLimiter {
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-(gov))?-(east|west|north|south|central){1,2}-\\d");

    /** A rate and a burst. */
    record Limit(double requestsPerSecond, int burst) {
        Limit {
            if (!Double.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
                throw new IllegalArgumentException("requestsPerSecond must be a finite number greater than 0, was "
                        + requestsPerSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1 (the requests a full bucket serves at "
                        + "once), was " + burst);
            }
        }

        @Override
        public String toString() {
            return requestsPerSecond + " requests/s, burst " + burst;
        }
    }

    /** One region's bucket. */
    private static final class Bucket {
        final Limit limit;
        double tokens;
        long last;

        Bucket(Limit limit, long now) {
            this.limit = limit;
            this.tokens = limit.burst();
            this.last = now;
        }

        synchronized boolean take(long now) {
            long elapsed = now - last;
            if (elapsed > 0) {
                tokens = Math.min(limit.burst(), tokens + elapsed * limit.requestsPerSecond() / 1e9);
                last = now;
            }
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return true;
            }
            return false;
        }
    }

    private final LongSupplier ticker;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Limit> perRegion = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile Limit everyRegion;

    RateLimiter(LongSupplier ticker, Limit everyRegion) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.everyRegion = everyRegion;
    }

    static String requireRegion(String region) {
        Objects.requireNonNull(region, "region");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not a CloudHSM region id such as us-east-1");
        }
        return region;
    }

    /** Sets the limit of every region without one of its own; each region gets a new, full bucket. */
    synchronized void everyRegion(Limit limit) {
        everyRegion = Objects.requireNonNull(limit, "limit");
        buckets.keySet().removeIf(r -> !perRegion.containsKey(r));
    }

    /** Sets or replaces the limit of one region; it gets a new, full bucket. */
    synchronized void region(String region, Limit limit) {
        perRegion.put(requireRegion(region), Objects.requireNonNull(limit, "limit"));
        buckets.remove(region);
    }

    /** Removes every limit. */
    synchronized void none() {
        everyRegion = null;
        perRegion.clear();
        buckets.clear();
    }

    /** @return the limit in force for {@code region}, or {@code null} for none */
    Limit limitOf(String region) {
        Limit own = perRegion.get(region);
        return own != null ? own : everyRegion;
    }

    /** @return true when a request to {@code region} may be served now (it took a token), false when refused */
    boolean tryAcquire(String region) {
        Bucket bucket;
        synchronized (this) {
            Limit limit = limitOf(region);
            if (limit == null) {
                return true;
            }
            bucket = buckets.computeIfAbsent(region, r -> new Bucket(limit, ticker.getAsLong()));
        }
        if (bucket.take(ticker.getAsLong())) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    /** @return the requests refused so far */
    long refused() {
        return refused.get();
    }
}
