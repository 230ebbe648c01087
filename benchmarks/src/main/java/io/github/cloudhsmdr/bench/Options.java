package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.RetentionPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's command line, read with picocli (as the CLI module is): options, defaults, help and the
 * errors that name the option and the value.
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

    /** @return the calls per region in flight that the critical path of an unlimited copy phase assumes */
    int callsPerRegion() {
        return maxCallsPerRegion != null ? maxCallsPerRegion : DEFAULT_CALLS_PER_REGION;
    }

    /**
     * Parses the command line with picocli.
     *
     * @throws CommandLine.ParameterException naming the option, the value and what is allowed
     */
    static Options parse(String... args) {
        Spec spec = new Spec();
        CommandLine line = new CommandLine(spec).registerConverter(Shape.class, Shape::parse);
        line.parseArgs(args);
        if (line.isUsageHelpRequested()) {
            line.usage(System.out);
            System.exit(0);
        }
        Set<String> scenarios = new LinkedHashSet<>();
        for (String t : spec.scenarios) {
            String name = t.trim().toUpperCase(Locale.ROOT);
            if (!Set.of("A", "B", "C", "D").contains(name)) {
                throw new CommandLine.ParameterException(line, "--scenarios holds '" + t.trim()
                        + "'; the scenarios are A, B, C and D");
            }
            scenarios.add(name);
        }
        if (spec.large) {
            scenarios.add("D");
        }
        atLeast(line, "--repeats", spec.repeats, 1);
        atLeast(line, "--naive-repeats", spec.naiveRepeats, 0);
        atLeast(line, "--latency-ms", spec.latencyMs, 0);
        atLeast(line, "--burst", spec.burst, 1);
        atLeast(line, "--retention-copies", spec.retentionCopies, 1);
        if (spec.maxCallsPerRegion != null) {
            atLeast(line, "--max-calls-per-region", spec.maxCallsPerRegion, 1);
        }
        if (!Double.isFinite(spec.rate) || spec.rate <= 0) {
            throw new CommandLine.ParameterException(line, "--rate must be greater than 0 requests/s, was "
                    + spec.rate);
        }
        for (Shape shape : new Shape[] {spec.noOp, spec.noOpRequests, spec.firstRun, spec.large()}) {
            if (shape.backupsPerCluster() > RetentionPolicy.MAX_COUNT) {
                throw new CommandLine.ParameterException(line, "backups per cluster must be at most "
                        + RetentionPolicy.MAX_COUNT + " (the retention runs keep that many), was "
                        + shape.backupsPerCluster());
            }
        }
        return new Options(spec.repeats, spec.naiveRepeats, Duration.ofMillis(spec.latencyMs), spec.noOp,
                spec.noOpRequests, spec.firstRun, spec.rate, spec.burst, spec.maxCallsPerRegion, Set.copyOf(scenarios),
                spec.large(), spec.retentionCopies);
    }

    private static void atLeast(CommandLine line, String option, int value, int least) {
        if (value < least) {
            throw new CommandLine.ParameterException(line, option + " must be at least " + least + ", was " + value);
        }
    }

    /** The options as picocli reads them; shapes are CLUSTERSxBACKUPS_PER_CLUSTERxDESTINATION_REGIONS. */
    @Command(name = "ReplicationBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Replication runs measured next to the minimum requests, the critical path and a naive "
                    + "sequential replicator.")
    static final class Spec {
        @Option(names = "--repeats", description = "runs per measure; the median is reported (default: 3)")
        int repeats = 3;
        @Option(names = "--naive-repeats", description = "runs of the naive baseline; 0 skips it (default: 1)")
        int naiveRepeats = 1;
        @Option(names = "--latency-ms", description = "latency of every request in A and C (default: 100)")
        int latencyMs = 100;
        @Option(names = "--noop", description = "shape of A, the no-op run with latency (default: 4x50x3)")
        Shape noOp = new Shape(4, 50, 3);
        @Option(names = "--noop-requests", description = "shape of B, no-op run requests (default: 10x400x3)")
        Shape noOpRequests = new Shape(10, 400, 3);
        @Option(names = "--first-run", description = "shape of C, the first run with latency (default: 4x50x3)")
        Shape firstRun = new Shape(4, 50, 3);
        @Option(names = "--rate", description = "the emulator's rate limit per region in C, requests/s (default: 20)")
        double rate = 20;
        @Option(names = "--burst", description = "the burst of that rate limit (default: 20)")
        int burst = 20;
        @Option(names = "--max-calls-per-region", description = "maxConcurrentCallsPerRegion (default: the "
                + "library's)")
        Integer maxCallsPerRegion;
        @Option(names = "--scenarios", split = ",", description = "scenarios to run: A, B, C, D (default: A,B,C)")
        List<String> scenarios = new ArrayList<>(List.of("A", "B", "C"));
        @Option(names = "--large", description = "adds scenario D (in-memory store, large)")
        boolean large;
        @Option(names = "--large-shape", description = "shape of D (default: 50x1000x5)")
        Shape largeShape = new Shape(50, 1000, 5);
        @Option(names = "--retention-copies", description = "copies of D's retention evaluation (default: 100000)")
        int retentionCopies = 100_000;

        Shape large() {
            return largeShape;
        }
    }
}
