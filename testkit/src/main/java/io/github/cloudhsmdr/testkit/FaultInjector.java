package io.github.cloudhsmdr.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeded fault injection for the modelled CloudHSM service, per operation and per region, so that a failing
 * run can be replayed with the same seed and the same sequence of requests.
 *
 * <p>Faults:
 * <ul>
 *   <li>{@link Kind#THROTTLING}: a {@code ThrottlingException} (HTTP 400) with a probability;</li>
 *   <li>{@link Kind#INTERNAL_FAILURE}: a {@code CloudHsmInternalFailureException} (HTTP 500) with a
 *       probability;</li>
 *   <li>{@link Kind#ERROR}: any other error code with a probability, e.g. {@code CloudHsmServiceException};</li>
 *   <li>{@link Kind#LATENCY}: a fixed delay before the request is served;</li>
 *   <li>{@link Kind#REGION_DOWN}: every request to a region fails, with an HTTP 503 {@code ServiceUnavailable}
 *       or with the connection closed without a response ({@link RegionDownMode});</li>
 *   <li>{@link Kind#COPY_FAILURE}: a copy is accepted and then fails inside AWS (it turns DELETED);</li>
 *   <li>{@link Kind#TIMEOUT_AFTER_COPY}: the copy is made, but its response never reaches the client
 *       ({@link NoResponseMode}), so the client sees an error although the copy exists;</li>
 *   <li>{@link Kind#COPY_TAGS_DROPPED}: CopyBackupToRegion drops the request's TagList, so the copy arrives
 *       without the library's ownership and provenance tags;</li>
 *   <li>{@link Kind#TAGS_STRIPPED}: the library's tags are removed from a copy later (when it completes).</li>
 * </ul>
 *
 * <p>Rules are looked up most specific first: (operation, region), (operation, {@link #ANY}),
 * ({@link #ANY}, region), ({@link #ANY}, {@link #ANY}). A probability is drawn from one
 * {@code new Random(seed)} only when a rule matches, so the same requests in the same order meet the same
 * faults.
 *
 * <p>Used as a {@link CloudHsmModel.FaultHook} ({@code model.faultHook(injector)}), it fails model operations
 * with region-down, throttling, internal-failure and error faults, and drops or strips copy tags, which also serves
 * {@link InMemoryBackupStore}; latency, copy failures and undelivered responses need the HTTP emulator, which
 * applies every kind itself: do not also install its injector on the model.
 *
 * <p>Query methods ({@code latency}, {@code regionDownMode}, {@code drawCopyFailure},
 * {@code drawTimeoutAfterCopy}) never count; a transport that applies the fault calls
 * {@link #recordInjected(Kind)}. {@link #beforeOperation} applies and counts by itself.
 *
 * <p>Thread-safe.
 */
public final class FaultInjector implements CloudHsmModel.FaultHook {
    /** Wildcard for "any operation" or "any region". */
    public static final String ANY = "*";

    /** The kinds of injected faults, for {@link #count(Kind)}. */
    public enum Kind {
        /** A ThrottlingException answered instead of the operation. */
        THROTTLING,
        /** A CloudHsmInternalFailureException answered instead of the operation. */
        INTERNAL_FAILURE,
        /** Another chosen error answered instead of the operation ({@link #error}). */
        ERROR,
        /** A delay added before the operation. */
        LATENCY,
        /** A request to a region that is down. */
        REGION_DOWN,
        /** A copy that was accepted and then failed inside AWS. */
        COPY_FAILURE,
        /** A copy that was made but whose response was withheld or cut off. */
        TIMEOUT_AFTER_COPY,
        /** A copy whose request's TagList was dropped. */
        COPY_TAGS_DROPPED,
        /** A copy whose library tags were removed after it completed. */
        TAGS_STRIPPED
    }

    /** How a region that is down answers. */
    public enum RegionDownMode {
        /** HTTP 503 with error code {@code ServiceUnavailable} (retried by the AWS SDK). */
        SERVICE_UNAVAILABLE,
        /** The connection is closed without any response (the SDK sees an I/O error). */
        CLOSE_CONNECTION
    }

    /** What the client gets when a copy's response is not delivered. */
    public enum NoResponseMode {
        /**
         * Nothing for {@link #withholdFor()} (real time), then the connection is closed: a client with a shorter
         * attempt timeout gives up first.
         */
        WITHHOLD,
        /** The connection is closed at once without a response. */
        CLOSE_CONNECTION
    }

    private final long seed;
    private Random random;
    private final Map<String, Double> throttling = new HashMap<>();
    private final Map<String, Double> internalFailures = new HashMap<>();
    private final Map<String, Map.Entry<Double, String>> errors = new HashMap<>();
    private final Map<String, Duration> latencies = new HashMap<>();
    private final Map<String, RegionDownMode> regionsDown = new HashMap<>();
    private final Map<String, Double> copyFailures = new HashMap<>();
    private final Map<String, Double> timeoutsAfterCopy = new HashMap<>();
    private final Map<String, Double> droppedCopyTags = new HashMap<>();
    private final Map<String, Double> strippedTags = new HashMap<>();
    private int timeoutsAfterNextCopies;
    private NoResponseMode noResponseMode = NoResponseMode.WITHHOLD;
    private Duration withholdFor = Duration.ofSeconds(5);
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);

    /** @param seed the seed of the injector's {@link Random}; log it so a failing run can be replayed */
    public FaultInjector(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        for (Kind k : Kind.values()) {
            counts.put(k, new AtomicLong());
        }
    }

    /** @return the seed this injector was created with. */
    public long seed() {
        return seed;
    }

    // ----------------------------------------------------------------------------------------- configuration

    /**
     * Answers {@code ThrottlingException} (HTTP 400) with {@code probability} to {@code operation} in
     * {@code region}; {@link #ANY} matches every operation or region, a probability of 0 removes the rule.
     */
    public synchronized FaultInjector throttle(String operation, String region, double probability) {
        putProbability(throttling, operation, region, probability);
        return this;
    }

    /** Answers {@code CloudHsmInternalFailureException} (HTTP 500) with {@code probability}; see {@link #throttle}. */
    public synchronized FaultInjector internalFailure(String operation, String region, double probability) {
        putProbability(internalFailures, operation, region, probability);
        return this;
    }

    /**
     * Answers {@code errorCode} (e.g. {@code CloudHsmServiceException}, with the HTTP status AWS uses for it, see
     * {@link CloudHsmModelException#statusOf}) with {@code probability}; see {@link #throttle}. Checked after
     * throttling and internal failures; one error rule per operation and region.
     */
    public synchronized FaultInjector error(String operation, String region, double probability, String errorCode) {
        Objects.requireNonNull(errorCode, "errorCode");
        if (errorCode.isBlank()) {
            throw new IllegalArgumentException("errorCode must not be blank");
        }
        requireProbability(probability);
        String key = key(operation, region);
        if (probability == 0.0) {
            errors.remove(key);
        } else {
            errors.put(key, Map.entry(probability, errorCode));
        }
        return this;
    }

    /** Delays {@code operation} in {@code region} by {@code latency}; {@link Duration#ZERO} removes the rule. */
    public synchronized FaultInjector latency(String operation, String region, Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        String key = key(operation, region);
        if (latency.isZero()) {
            latencies.remove(key);
        } else {
            latencies.put(key, latency);
        }
        return this;
    }

    /** Takes {@code region} down: every request to it is answered HTTP 503 {@code ServiceUnavailable}. */
    public FaultInjector regionDown(String region) {
        return regionDown(region, RegionDownMode.SERVICE_UNAVAILABLE);
    }

    /** Takes {@code region} down: every request to it fails as {@code mode} says. */
    public synchronized FaultInjector regionDown(String region, RegionDownMode mode) {
        regionsDown.put(requireName(region, "region"), Objects.requireNonNull(mode, "mode"));
        return this;
    }

    /** Brings {@code region} back up. */
    public synchronized FaultInjector regionUp(String region) {
        regionsDown.remove(requireName(region, "region"));
        return this;
    }

    /**
     * Copies into {@code destinationRegion} ({@link #ANY} for every region) fail inside AWS with
     * {@code probability}: they are accepted and turn DELETED instead of READY. (The model's
     * {@link CloudHsmModel#failNextCopies(int)} fails the next copies for certain.)
     */
    public synchronized FaultInjector copyFailure(String destinationRegion, double probability) {
        putProbability(copyFailures, ANY, destinationRegion, probability);
        return this;
    }

    /**
     * Copies called in {@code sourceRegion} ({@link #ANY} for every region) are made, and then with
     * {@code probability} their response is not delivered ({@link #noResponseMode(NoResponseMode)}).
     */
    public synchronized FaultInjector timeoutAfterCopy(String sourceRegion, double probability) {
        putProbability(timeoutsAfterCopy, ANY, sourceRegion, probability);
        return this;
    }

    /**
     * CopyBackupToRegion into {@code destinationRegion} ({@link #ANY} for every region) drops the request's TagList
     * with {@code probability}: the copy gets the source's tags instead of the library's.
     */
    public synchronized FaultInjector dropCopyTags(String destinationRegion, double probability) {
        putProbability(droppedCopyTags, ANY, destinationRegion, probability);
        return this;
    }

    /**
     * Copies into {@code destinationRegion} ({@link #ANY} for every region) lose the library's tags
     * ({@code cloudhsm-dr:…}) when they complete, with {@code probability}: someone strips them later.
     */
    public synchronized FaultInjector stripTagsLater(String destinationRegion, double probability) {
        putProbability(strippedTags, ANY, destinationRegion, probability);
        return this;
    }

    /** The next {@code count} copies are made and their response is not delivered. */
    public synchronized FaultInjector timeoutAfterNextCopies(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        this.timeoutsAfterNextCopies = count;
        return this;
    }

    /** Sets how an undelivered copy response looks to the client (default {@link NoResponseMode#WITHHOLD}). */
    public synchronized FaultInjector noResponseMode(NoResponseMode mode) {
        this.noResponseMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Sets how long a {@link NoResponseMode#WITHHOLD withheld} response is held before the connection is closed
     * (real time, default 5 s; stopping the emulator releases it at once). Pick it longer than the client's
     * attempt timeout.
     */
    public synchronized FaultInjector withholdFor(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("withholdFor must not be negative, was " + duration);
        }
        this.withholdFor = duration;
        return this;
    }

    /** Removes every rule, zeroes the counters and restarts the random sequence from the seed. */
    public synchronized void reset() {
        throttling.clear();
        internalFailures.clear();
        errors.clear();
        latencies.clear();
        regionsDown.clear();
        copyFailures.clear();
        timeoutsAfterCopy.clear();
        droppedCopyTags.clear();
        strippedTags.clear();
        timeoutsAfterNextCopies = 0;
        noResponseMode = NoResponseMode.WITHHOLD;
        withholdFor = Duration.ofSeconds(5);
        random = new Random(seed);
        counts.values().forEach(c -> c.set(0));
    }

    // ----------------------------------------------------------------------------------------- decisions

    /**
     * Applies region-down, throttling and internal-failure faults to one operation, counting what it injects.
     *
     * @throws CloudHsmModelException {@code ServiceUnavailable} (503), {@code ThrottlingException} (400) or
     *                                {@code CloudHsmInternalFailureException} (500)
     */
    @Override
    public void beforeOperation(String operation, String region) {
        CloudHsmModelException fault = decide(operation, region);
        if (fault != null) {
            throw fault;
        }
    }

    private synchronized CloudHsmModelException decide(String operation, String region) {
        if (regionsDown.containsKey(region)) {
            recordInjected(Kind.REGION_DOWN);
            return CloudHsmModelException.of(CloudHsmModelException.SERVICE_UNAVAILABLE,
                    "Service unavailable in " + region + " (injected fault)");
        }
        Double p = lookup(throttling, operation, region);
        if (p != null && random.nextDouble() < p) {
            recordInjected(Kind.THROTTLING);
            return CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "Rate exceeded");
        }
        p = lookup(internalFailures, operation, region);
        if (p != null && random.nextDouble() < p) {
            recordInjected(Kind.INTERNAL_FAILURE);
            return CloudHsmModelException.of(CloudHsmModelException.INTERNAL_FAILURE,
                    "An internal failure occurred serving " + operation + " in " + region + " (injected fault)");
        }
        Map.Entry<Double, String> error = lookup(errors, operation, region);
        if (error != null && random.nextDouble() < error.getKey()) {
            recordInjected(Kind.ERROR);
            return CloudHsmModelException.of(error.getValue(),
                    error.getValue() + " serving " + operation + " in " + region + " (injected fault)");
        }
        return null;
    }

    /** @return how a request to {@code region} must fail, or empty when the region is up. Does not count. */
    public synchronized Optional<RegionDownMode> regionDownMode(String region) {
        return Optional.ofNullable(regionsDown.get(region));
    }

    /** @return the delay to add before {@code operation} in {@code region}, zero for none. Does not count. */
    public synchronized Duration latency(String operation, String region) {
        Duration d = lookup(latencies, operation, region);
        return d == null ? Duration.ZERO : d;
    }

    /** Draws whether a copy into {@code destinationRegion} fails inside AWS. Does not count. */
    public synchronized boolean drawCopyFailure(String destinationRegion) {
        return draw(copyFailures, destinationRegion);
    }

    /**
     * Draws whether the response of a copy made in {@code sourceRegion} is not delivered; consumes one of
     * {@link #timeoutAfterNextCopies(int)} first. Does not count.
     */
    public synchronized boolean drawTimeoutAfterCopy(String sourceRegion) {
        if (timeoutsAfterNextCopies > 0) {
            timeoutsAfterNextCopies--;
            return true;
        }
        Double p = lookup(timeoutsAfterCopy, ANY, sourceRegion);
        return p != null && random.nextDouble() < p;
    }

    /** Draws whether a copy into {@code destinationRegion} drops its TagList. Does not count. */
    public synchronized boolean drawDropCopyTags(String destinationRegion) {
        return draw(droppedCopyTags, destinationRegion);
    }

    /** Draws whether a copy into {@code destinationRegion} loses the library's tags later. Does not count. */
    public synchronized boolean drawStripTagsLater(String destinationRegion) {
        return draw(strippedTags, destinationRegion);
    }

    /** Draws a per-region rule (operation {@link #ANY}); the caller holds the lock. */
    private boolean draw(Map<String, Double> rules, String region) {
        Double p = lookup(rules, ANY, region);
        return p != null && random.nextDouble() < p;
    }

    /** As a model hook: draws {@link #drawDropCopyTags} and counts what it injects. */
    @Override
    public boolean dropCopyTags(String destinationRegion) {
        return counted(drawDropCopyTags(destinationRegion), Kind.COPY_TAGS_DROPPED);
    }

    /** As a model hook: draws {@link #drawStripTagsLater} and counts what it injects. */
    @Override
    public boolean stripTagsLater(String destinationRegion) {
        return counted(drawStripTagsLater(destinationRegion), Kind.TAGS_STRIPPED);
    }

    private boolean counted(boolean injected, Kind kind) {
        if (injected) {
            recordInjected(kind);
        }
        return injected;
    }

    /** @return how an undelivered copy response looks to the client. */
    public synchronized NoResponseMode noResponseMode() {
        return noResponseMode;
    }

    /** @return how long a withheld response is held. */
    public synchronized Duration withholdFor() {
        return withholdFor;
    }

    /** Counts one injected fault of {@code kind}; for transports that apply a fault they queried. */
    public void recordInjected(Kind kind) {
        counts.get(Objects.requireNonNull(kind, "kind")).incrementAndGet();
    }

    /** @return how many faults of {@code kind} were injected since creation or {@link #reset()}. */
    public long count(Kind kind) {
        return counts.get(Objects.requireNonNull(kind, "kind")).get();
    }

    /** @return a snapshot of every counter. */
    public Map<Kind, Long> counts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        counts.forEach((k, v) -> m.put(k, v.get()));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "FaultInjector[seed=" + seed + ", counts=" + counts() + "]";
    }

    // ----------------------------------------------------------------------------------------- helpers

    private static <V> V lookup(Map<String, V> rules, String operation, String region) {
        if (rules.isEmpty()) {
            return null;
        }
        V v = rules.get(key(operation, region));
        if (v == null) {
            v = rules.get(key(operation, ANY));
        }
        if (v == null) {
            v = rules.get(key(ANY, region));
        }
        if (v == null) {
            v = rules.get(key(ANY, ANY));
        }
        return v;
    }

    private static void putProbability(Map<String, Double> rules, String operation, String region,
            double probability) {
        requireProbability(probability);
        String key = key(operation, region);
        if (probability == 0.0) {
            rules.remove(key);
        } else {
            rules.put(key, probability);
        }
    }

    private static void requireProbability(double probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, was " + probability);
        }
    }

    private static String key(String operation, String region) {
        return requireName(operation, "operation") + "|" + requireName(region, "region");
    }

    private static String requireName(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank; use FaultInjector.ANY for any " + name);
        }
        return value;
    }
}
