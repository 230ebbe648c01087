package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetryEvent;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Benchmarks that report ratios: each measure is printed next to what a correct run cannot do without (the
 * minimum requests and the critical path, derived from the seeded data by {@link Minimum}, whose Javadoc has the
 * formulas) or next to a naive sequential replicator measured in the same run ({@link NaiveReplicator}).
 * Read the ratios, not the seconds: the machine, and what else runs on it, move the seconds.
 *
 * <p>Scenarios (shapes are clusters × READY backups per cluster × destination regions; sizes, latency and repeats
 * are arguments, see {@link Options}; each measure is the median of {@code --repeats} runs):
 * <ul>
 *   <li><b>A</b> — no-op run (a second run, nothing to copy), 4×50×3, {@code --latency-ms} (100) on every
 *       request, without and with retention: requests vs the minimum, wall time vs the critical path
 *       {@code L · max(⌈C/25⌉, pages(N), pages(H))} with {@code H = N}. Measured on the replicator that made the first run (warm)
 *       and on a new replicator with a new store (cold, as a one-shot CLI run). The first run itself is made
 *       without latency.</li>
 *   <li><b>B</b> — no-op run requests at 10×400×3, no latency, warm and cold: requests vs the minimum. Requests
 *       do not vary between runs, so B runs once.</li>
 *   <li><b>C</b> — first run, 4×50×3 = 600 copies, with latency: wall time next to the naive sequential
 *       replicator's (naive / ours); requests vs the minimum; the copy phase (first CopyBackupToRegion sent to the
 *       last answered, as the engine's store sees them) vs {@code ⌈K / M⌉ · L}, the critical path with {@code M}
 *       calls in flight at the source region's endpoint, where every CopyBackupToRegion goes
 *       ({@code --max-calls-per-region}, else the library's default ceiling 8). Then again with the emulator's rate
 *       limit ({@code --rate} 20 requests/s, {@code --burst} 20 per region): the copy phase vs
 *       {@code max(K / rate, ⌈K / M⌉ · L)}, copies per second sustained vs the rate, throttled requests as a share of all requests (the
 *       emulator's request log), and retries ({@link RetryEvent}s through a listener).</li>
 *   <li><b>D</b> ({@code --large}) — first-run requests without and with retention, the heap (the peak of the
 *       heap pools during the run, which depends on when the GC ran, and what is live after a GC with the model
 *       and the report still held), and the wall time (informative: the testkit model dominates it) at
 *       50×1000×5 on the in-memory store ({@link InMemoryBackupStore#calls()}, pages included, with id filters
 *       sent 20 ids a request as the {@code aws} module sends them: {@link ChunkedIds}), and the time of a
 *       {@code plan()} with retention over 100,000 copies (in-memory store, one call) (100 clusters × 1,000 hourly copies in one region; keepLast 24,
 *       keepDaily 30, keepWeekly 12, keepMonthly 24; the median of {@code --repeats}). The first runs run once: they
 *       are large.</li>
 * </ul>
 *
 * <p>HTTP scenarios use the real SDK ({@code AwsBackupStore} with {@code endpointOverride} to the emulator and
 * static credentials); the emulator's model and the replicator run on the real clock, and both the injected
 * latency and the replicator's waits (retry backoff, pacing after throttling) really sleep, so wall time means
 * something. Copies complete at once ({@code copyDelay} zero); the replicator does not wait for READY.
 *
 * <p>Run: {@code mvn -B -q -DskipTests install && mvn -B -q -f benchmarks exec:java -Dexec.args="--repeats 3"}.
 * Progress goes to standard error, the table to standard output.
 */
public final class ReplicationBenchmark {
    private static final long SEED = 42L;

    private ReplicationBenchmark() {
    }

    /**
     * Runs the scenarios the arguments ask for and prints the table.
     *
     * @param args see {@link Options.Spec} ({@code --help})
     */
    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (picocli.CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        Table table = new Table();
        warmUp();
        if (o.scenarios().contains("A")) {
            noOpWithLatency(o, table);
        }
        if (o.scenarios().contains("B")) {
            noOpRequests(o, table);
        }
        if (o.scenarios().contains("C")) {
            firstRun(o, table);
        }
        if (o.scenarios().contains("D")) {
            large(o, table);
        }
        System.out.printf(Locale.ROOT, "%narguments: %s%nJVM %s, %d cores, %d repeats (medians), naive baseline %d, "
                + "latency %d ms, %.0f s in all%n", args.length == 0 ? "(defaults)" : String.join(" ", args),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), o.repeats(),
                o.naiveRepeats(), o.latency().toMillis(), (System.nanoTime() - started) / 1e9);
        table.print(System.out);
    }

    // ----------------------------------------------------------------------------------------- A and B

    /** One no-op run on the replicator that made the first run and one on a new replicator. */
    private record NoOp(long warmRequests, double warmSeconds, long coldRequests, double coldSeconds) {
    }

    private static NoOp noOp(Shape shape, boolean retention, Duration latency, Integer calls) {
        try (World w = World.http(shape, SEED, null);
             BackupReplicator first = World.replicator(shape, w.newStore(), retention, Clock.systemUTC(),
                     Sleeper.SYSTEM, calls)) {
            expectCopies(shape, first.replicate(), "first run of the no-op scenario");
            w.latency(latency);
            w.requestLog().clear();
            long t0 = System.nanoTime();
            ReplicationReport warm = first.replicate();
            long t1 = System.nanoTime();
            expectNoOp(warm);
            long warmRequests = w.requestLog().size();
            w.requestLog().clear();
            try (BackupReplicator fresh = World.replicator(shape, w.newStore(), retention, Clock.systemUTC(),
                    Sleeper.SYSTEM, calls)) {
                long t2 = System.nanoTime();
                ReplicationReport cold = fresh.replicate();
                long t3 = System.nanoTime();
                expectNoOp(cold);
                return new NoOp(warmRequests, (t1 - t0) / 1e9, w.requestLog().size(), (t3 - t2) / 1e9);
            }
        }
    }

    private static void noOpWithLatency(Options o, Table table) {
        Shape s = o.noOp();
        for (boolean retention : new boolean[] {false, true}) {
            String scenario = "A no-op " + s + ", " + o.latency().toMillis() + " ms, "
                    + (retention ? "retention" : "no retention");
            progress(scenario);
            List<NoOp> runs = repeat(o.repeats(), () -> noOp(s, retention, o.latency(), o.maxCallsPerRegion()));
            long minimum = Minimum.requests(s, s.backups(), 0, retention);
            double critical = seconds(Minimum.noOpCriticalPath(s, retention, o.latency()));
            table.requests(scenario, "requests, warm", median(runs, NoOp::warmRequests), minimum);
            table.wall(scenario, "wall, warm", median(runs, NoOp::warmSeconds), critical, "critical path");
            table.requests(scenario, "requests, cold", median(runs, NoOp::coldRequests), minimum);
            table.wall(scenario, "wall, cold", median(runs, NoOp::coldSeconds), critical, "critical path");
        }
    }

    private static void noOpRequests(Options o, Table table) {
        Shape s = o.noOpRequests();
        String scenario = "B no-op " + s + ", no latency";
        progress(scenario);
        NoOp run = noOp(s, false, Duration.ZERO, o.maxCallsPerRegion());
        long minimum = Minimum.requests(s, s.backups(), 0, false);
        table.requests(scenario, "requests, warm", run.warmRequests(), minimum);
        table.requests(scenario, "requests, cold", run.coldRequests(), minimum);
    }

    // ----------------------------------------------------------------------------------------- C

    /** One first run. */
    private record FirstRun(long requests, double seconds, double copyPhaseSeconds, long copiesHeld, long failed,
                            long throttled, long retries) {
    }

    private static FirstRun ours(Shape shape, Duration latency, World.RateLimit rateLimit, Integer calls) {
        try (World w = World.http(shape, SEED, rateLimit)) {
            w.latency(latency);
            TimedStore timed = new TimedStore(w.newStore());
            AtomicLong retries = new AtomicLong();
            ReplicationListener countRetries = new ReplicationListener() {
                @Override
                public void onRetry(RetryEvent event) {
                    retries.incrementAndGet();
                }
            };
            try (BackupReplicator r = World.replicator(shape, timed.store(), false, Clock.systemUTC(), Sleeper.SYSTEM,
                    calls, countRetries)) {
                w.requestLog().clear();
                long t0 = System.nanoTime();
                ReplicationReport report = r.replicate();
                long t1 = System.nanoTime();
                if (rateLimit == null) {
                    expectCopies(shape, report, "first run");
                }
                return new FirstRun(w.requestLog().size(), (t1 - t0) / 1e9, timed.copyPhaseNanos() / 1e9,
                        w.copiesHeld(), report.failedCount(), w.requestLog().countErrors("ThrottlingException"),
                        retries.get());
            }
        }
    }

    /** One run of the naive replicator: requests and seconds. */
    private record Naive(long requests, double seconds) {
    }

    private static Naive naive(Shape shape, Duration latency) {
        try (World w = World.http(shape, SEED, null)) {
            w.latency(latency);
            NaiveReplicator naive = new NaiveReplicator(w.newStore(), Shape.SOURCE, shape.destinationRegions());
            long t0 = System.nanoTime();
            long copied = naive.run();
            long t1 = System.nanoTime();
            if (copied != shape.copies() || w.copiesHeld() != shape.copies()) {
                throw new IllegalStateException("the naive replicator copied " + copied + " of " + shape.copies());
            }
            return new Naive(w.requestLog().size(), (t1 - t0) / 1e9);
        }
    }

    private static void firstRun(Options o, Table table) {
        Shape s = o.firstRun();
        Duration latency = o.latency();
        String scenario = "C first run " + s + " = " + s.copies() + " copies, " + latency.toMillis() + " ms";
        progress(scenario);
        List<FirstRun> runs = repeat(o.repeats(), () -> ours(s, latency, null, o.maxCallsPerRegion()));
        long minimum = Minimum.requests(s, 0, s.backups(), false);
        // every CopyBackupToRegion goes to the source region's endpoint: the copies of all destinations share it
        int inFlight = o.callsPerRegion();
        double copyCritical = seconds(Minimum.copyPhase(s, inFlight, latency));
        double oursSeconds = median(runs, FirstRun::seconds);
        table.requests(scenario, "requests", median(runs, FirstRun::requests), minimum);
        if (o.naiveRepeats() > 0) {
            progress(scenario + ", naive sequential baseline");
            List<Naive> naives = repeat(o.naiveRepeats(), () -> naive(s, latency));
            double naiveSeconds = median(naives, Naive::seconds);
            table.add(scenario, "wall: naive sequential / ours", Table.seconds(oursSeconds),
                    Table.seconds(naiveSeconds) + " naive (" + Table.count(median(naives, Naive::requests))
                            + " requests)", Table.times(naiveSeconds / oursSeconds) + " faster");
        }
        table.wall(scenario, "copy phase", median(runs, FirstRun::copyPhaseSeconds), copyCritical,
                "critical path at " + o.callsPerRegion() + " calls in flight at the source region");
        table.wall(scenario, "wall", oursSeconds,
                seconds(Minimum.firstRun(s, false, latency, Minimum.copyPhase(s, inFlight, latency))),
                "critical path at " + o.callsPerRegion() + " calls in flight at the source region");

        World.RateLimit limit = new World.RateLimit(o.rate(), o.burst());
        String limited = scenario + ", rate limit " + Table.count(o.rate()) + "/s burst " + o.burst() + " per region";
        progress(limited);
        List<FirstRun> throttled = repeat(o.repeats(), () -> ours(s, latency, limit, o.maxCallsPerRegion()));
        double copyPhase = median(throttled, FirstRun::copyPhaseSeconds);
        table.requests(limited, "requests (throttled included)", median(throttled, FirstRun::requests), minimum);
        Duration byRate = Minimum.copyPhase(s, o.rate());
        Duration byCalls = Minimum.copyPhase(s, inFlight, latency);
        table.wall(limited, "copy phase", copyPhase, seconds(byRate.compareTo(byCalls) > 0 ? byRate : byCalls),
                "critical path (the slower of copies / rate and " + o.callsPerRegion() + " calls in flight)");
        double perSecond = median(throttled, r -> r.copiesHeld() / r.copyPhaseSeconds());
        table.add(limited, "copies per second sustained", String.format(Locale.ROOT, "%.1f", perSecond),
                Table.count(o.rate()) + " limit", String.format(Locale.ROOT, "%.2f of the limit", perSecond / o.rate()));
        double share = median(throttled, r -> (double) r.throttled() / r.requests());
        table.add(limited, "throttled requests", Table.count(median(throttled, FirstRun::throttled)),
                Table.count(median(throttled, FirstRun::requests)) + " requests", Table.percent(share));
        table.add(limited, "retries; copies failed", Table.count(median(throttled, FirstRun::retries)) + "; "
                + Table.count(median(throttled, FirstRun::failed)), "", "");
        table.add(limited, "wall", Table.seconds(median(throttled, FirstRun::seconds)), "", "");
    }

    // ----------------------------------------------------------------------------------------- D

    private record Large(long requests, double seconds, long peakHeapMb, long liveHeapMb) {
    }

    private static Large large(Shape shape, boolean retention) {
        MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T00:00:00Z"));
        try (World w = World.inMemory(shape, SEED, clock)) {
            InMemoryBackupStore store = new InMemoryBackupStore(w.model());
            System.gc();
            resetPeaks();
            try (BackupReplicator r = World.replicator(shape, ChunkedIds.of(store), retention, clock, clock::advance,
                    null)) {
                long t0 = System.nanoTime();
                ReplicationReport report = r.replicate();
                long t1 = System.nanoTime();
                long peak = peakHeapMb();
                expectCopies(shape, report, "large first run");
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long live = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                Reference.reachabilityFence(report); // the live heap holds the report (and the model)
                return new Large(store.calls(), (t1 - t0) / 1e9, peak, live);
            }
        }
    }

    private static void large(Options o, Table table) {
        int copies = o.retentionCopies();
        String evaluation = "D retention over " + Table.count(copies) + " copies";
        progress(evaluation);
        table.add(evaluation, "plan() with retention (in-memory store)", String.format(Locale.ROOT, "%.0f ms",
                median(repeat(o.repeats(), () -> retentionEvaluationMillis(copies)), d -> d)), "", "");
        Shape s = o.large();
        for (boolean retention : new boolean[] {false, true}) {
            String scenario = "D first run " + s + ", in-memory, " + (retention ? "retention" : "no retention");
            progress(scenario);
            Large run = large(s, retention);
            table.requests(scenario, "requests", run.requests(), Minimum.requests(s, 0, s.backups(), retention));
            table.add(scenario, "heap peak; live after the run; wall", run.peakHeapMb() + " MB; "
                    + run.liveHeapMb() + " MB; " + Table.seconds(run.seconds()), "", "");
        }
    }

    /**
     * @return the milliseconds of a {@code plan()} with retention over {@code copies} copies in one destination
     *         region (the in-memory store answers in one call: the time is the library's listing and evaluation)
     */
    private static double retentionEvaluationMillis(int copies) {
        String destination = "us-west-2";
        int perCluster = 1000;
        int clusters = Math.max(1, copies / perCluster);
        Instant now = Instant.parse("2026-11-01T00:00:00Z");
        MutableClock clock = MutableClock.at(now);
        CloudHsmModel model = new CloudHsmModel(clock, SEED);
        for (int c = 0; c < clusters; c++) {
            model.addCluster(Shape.SOURCE, "cluster-" + id(c));
        }
        List<Backup> inventory = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            String cluster = "cluster-" + id(i % clusters);
            String source = "backup-" + id(2 * i);
            Map<String, String> tags = Map.of(CopyTags.OWNER, "default", CopyTags.SOURCE_BACKUP, source,
                    CopyTags.SOURCE_REGION, Shape.SOURCE, CopyTags.SOURCE_CLUSTER, cluster);
            Instant created = now.minus(Duration.ofHours(1L + i / clusters));
            inventory.add(Backup.builder("backup-" + id(2 * i + 1), destination).state(BackupState.READY)
                    .clusterId(cluster).createTimestamp(created).copyTimestamp(created.plusSeconds(60))
                    .sourceRegion(Shape.SOURCE).sourceBackup(source).sourceCluster(cluster).tags(tags).build());
        }
        Collections.shuffle(inventory, new java.util.Random(SEED));
        inventory.forEach(model::addBackup);
        try (BackupReplicator r = BackupReplicator.builder().name("default").sourceRegion(Shape.SOURCE)
                .destinationRegions(destination).backupStore(new InMemoryBackupStore(model)).clock(clock)
                .sleeper(clock::advance).retentionPolicy(RetentionPolicy.builder().keepLast(24).keepDaily(30)
                        .keepWeekly(12).keepMonthly(24).build()).build()) {
            for (int i = 0; i < 2; i++) {
                r.plan(); // warm-up
            }
            long t0 = System.nanoTime();
            ReplicationPlan plan = r.plan();
            long t1 = System.nanoTime();
            long decisions = plan.destinations().stream().mapToLong(d -> d.retention().size()).sum();
            long toDelete = plan.destinations().stream().mapToLong(d -> d.toDelete().size()).sum();
            if (decisions != copies || toDelete == 0) {
                throw new IllegalStateException("retention decided on " + decisions + " of " + copies
                        + " copies, deleting " + toDelete);
            }
            return (t1 - t0) / 1e6;
        }
    }

    /** @return an 11-character id suffix in CloudHSM's alphabet */
    private static String id(int n) {
        String chars = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        int v = n;
        for (int i = 0; i < 11; i++) {
            sb.append(chars.charAt(v % 32));
            v /= 32;
        }
        return sb.toString();
    }

    // ----------------------------------------------------------------------------------------- helpers

    /** Loads and compiles the paths every scenario takes, so the first measured run is not the JVM's first. */
    private static void warmUp() {
        progress("warm-up");
        noOp(new Shape(2, 60, 2), true, Duration.ZERO, null);
    }

    private static void expectCopies(Shape shape, ReplicationReport report, String what) {
        if (report.status() != RunStatus.SUCCESS || report.copied() != shape.copies()) {
            throw new IllegalStateException("the " + what + " misbehaved: " + report.summary());
        }
    }

    private static void expectNoOp(ReplicationReport report) {
        if (report.status() != RunStatus.SUCCESS || report.copied() != 0) {
            throw new IllegalStateException("the no-op run misbehaved: " + report.summary());
        }
    }

    private static <T> List<T> repeat(int times, Supplier<T> run) {
        List<T> runs = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            runs.add(run.get());
        }
        return runs;
    }

    private static <T> double median(List<T> runs, java.util.function.ToDoubleFunction<T> measure) {
        double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static void progress(String what) {
        System.err.println("# " + what);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
