package io.github.cloudhsmdr.bench;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's command line.
 *
 * @param repeats           runs per measure; the median is reported
 * @param naiveRepeats      runs of the naive baseline (it is sequential and takes minutes); 0 skips it
 * @param latency           injected latency on every request of the HTTP scenarios
 * @param noOp              shape of scenario A (no-op run, with latency)
 * @param noOpRequests      shape of scenario B (no-op run requests, no latency)
 * @param firstRun          shape of scenario C (first run, with latency)
 * @param rate              the emulator's rate limit per region in scenario C's rate-limited run, requests/s
 * @param burst             the burst of that rate limit
 * @param maxCallsPerRegion passed to {@code maxConcurrentCallsPerRegion} when given, else the library's default
 * @param scenarios         the scenarios to run (A, B, C, D)
 * @param large             shape of scenario D (in-memory store)
 * @param retentionCopies   copies of scenario D's retention evaluation
 */
record Options(int repeats, int naiveRepeats, Duration latency, Shape noOp, Shape noOpRequests, Shape firstRun,
               double rate, int burst, Integer maxCallsPerRegion, Set<String> scenarios, Shape large,
               int retentionCopies) {

    /** The library's default ceiling of {@code maxConcurrentCallsPerRegion}. */
    static final int DEFAULT_CALLS_PER_REGION = 8;

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: ReplicationBenchmark [--repeats 3] [--naive-repeats 1 (0 skips it)] [--latency-ms 100]",
            "    [--noop 4x50x3] [--noop-requests 10x400x3] [--first-run 4x50x3] [--rate 20] [--burst 20]",
            "    [--max-calls-per-region N] [--scenarios A,B,C] [--large] [--large-shape 50x1000x5]",
            "    [--retention-copies 100000]",
            "  shapes are CLUSTERSxBACKUPS_PER_CLUSTERxDESTINATION_REGIONS; --large adds scenario D (in-memory store,",
            "  large; slow while the testkit model is slow), the same as --scenarios A,B,C,D");

    /** @return the calls per region in flight that the critical path of an unlimited copy phase assumes */
    int callsPerRegion() {
        return maxCallsPerRegion != null ? maxCallsPerRegion : DEFAULT_CALLS_PER_REGION;
    }

    static Options parse(String... args) {
        int repeats = 3;
        int naiveRepeats = 1;
        Duration latency = Duration.ofMillis(100);
        Shape noOp = new Shape(4, 50, 3);
        Shape noOpRequests = new Shape(10, 400, 3);
        Shape firstRun = new Shape(4, 50, 3);
        double rate = 20;
        int burst = 20;
        Integer calls = null;
        Set<String> scenarios = new LinkedHashSet<>(Set.of("A", "B", "C"));
        Shape large = new Shape(50, 1000, 5);
        int retentionCopies = 100_000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--repeats" -> repeats = positive(a, value(args, ++i, a));
                case "--naive-repeats" -> {
                    naiveRepeats = whole(a, value(args, ++i, a));
                    if (naiveRepeats < 0) {
                        throw new IllegalArgumentException("--naive-repeats must be 0 (skip the baseline) or more, was "
                                + naiveRepeats);
                    }
                }
                case "--latency-ms" -> {
                    int ms = whole(a, value(args, ++i, a));
                    if (ms < 0) {
                        throw new IllegalArgumentException("--latency-ms must be 0 or more, was " + ms);
                    }
                    latency = Duration.ofMillis(ms);
                }
                case "--noop" -> noOp = Shape.parse(a, value(args, ++i, a));
                case "--noop-requests" -> noOpRequests = Shape.parse(a, value(args, ++i, a));
                case "--first-run" -> firstRun = Shape.parse(a, value(args, ++i, a));
                case "--rate" -> {
                    String v = value(args, ++i, a);
                    try {
                        rate = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rate must be a number of requests per second, was '"
                                + v + "'", e);
                    }
                    if (!Double.isFinite(rate) || rate <= 0) {
                        throw new IllegalArgumentException("--rate must be greater than 0, was " + v);
                    }
                }
                case "--burst" -> burst = positive(a, value(args, ++i, a));
                case "--max-calls-per-region" -> calls = positive(a, value(args, ++i, a));
                case "--scenarios" -> {
                    scenarios = new LinkedHashSet<>();
                    for (String s : value(args, ++i, a).split(",")) {
                        String t = s.trim().toUpperCase(Locale.ROOT);
                        if (!Set.of("A", "B", "C", "D").contains(t)) {
                            throw new IllegalArgumentException("--scenarios holds '" + s.trim()
                                    + "'; the scenarios are A, B, C and D");
                        }
                        scenarios.add(t);
                    }
                }
                case "--large" -> scenarios.add("D");
                case "--large-shape" -> large = Shape.parse(a, value(args, ++i, a));
                case "--retention-copies" -> retentionCopies = positive(a, value(args, ++i, a));
                default -> throw new IllegalArgumentException("Unknown option '" + a + "'");
            }
        }
        for (Shape s : new Shape[] {noOp, noOpRequests, firstRun, large}) {
            if (s.backupsPerCluster() > io.github.cloudhsmdr.RetentionPolicy.MAX_COUNT) {
                throw new IllegalArgumentException("backups per cluster must be at most "
                        + io.github.cloudhsmdr.RetentionPolicy.MAX_COUNT + " (the retention runs keep that many), was "
                        + s.backupsPerCluster());
            }
        }
        return new Options(repeats, naiveRepeats, latency, noOp, noOpRequests, firstRun, rate, burst, calls,
                Set.copyOf(scenarios), large, retentionCopies);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int whole(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + v + "'", e);
        }
    }

    private static int positive(String option, String v) {
        int n = whole(option, v);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + n);
        }
        return n;
    }
}
