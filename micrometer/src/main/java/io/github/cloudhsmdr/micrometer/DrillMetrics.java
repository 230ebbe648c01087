package io.github.cloudhsmdr.micrometer;

import io.github.cloudhsmdr.drill.DrillListener;
import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters of restore drills, from {@link DrillListener#onDrillFinished}: register it with
 * {@code RestoreDrill.builder().listener(metrics)} and bind it to a registry. Tagged with {@code drill} (the drill's
 * name), {@code cluster} (the source cluster) and {@code region} (the DR region drilled).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@value #DRILLS}</td><td>counter, tag {@code status}</td><td>drills by PASS or FAIL</td></tr>
 *   <tr><td>{@value #DURATION}</td><td>timer</td><td>how long drills took, teardown included</td></tr>
 *   <tr><td>{@value #RTO}</td><td>gauge, seconds</td><td>the recovery time the last drill measured (NaN before
 *       the first, or when it restored nothing)</td></tr>
 *   <tr><td>{@value #LAST_STATUS}</td><td>gauge</td><td>the last drill: 0 PASS, 1 FAIL</td></tr>
 *   <tr><td>{@value #LAST_PASS}</td><td>time gauge, seconds since the epoch</td><td>when the last passing drill
 *       ended: alert when it is older than your drill cadence allows</td></tr>
 * </table>
 *
 * <p>Like {@link ReplicationMetrics}, the meters live in a composite registry of this object, so it can be bound to
 * any number of registries. Thread-safe.
 */
public final class DrillMetrics implements DrillListener, MeterBinder {
    /** Drills by status. */
    public static final String DRILLS = "cloudhsm.dr.drills";
    /** Drill duration. */
    public static final String DURATION = "cloudhsm.dr.drill.duration";
    /** The recovery time of the last drill. */
    public static final String RTO = "cloudhsm.dr.drill.rto";
    /** The status of the last drill. */
    public static final String LAST_STATUS = "cloudhsm.dr.drill.last.status";
    /** When the last passing drill ended. */
    public static final String LAST_PASS = "cloudhsm.dr.drill.last.pass";

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Map<List<String>, Last> last = new ConcurrentHashMap<>();

    private DrillMetrics() {
    }

    /** @return drill meters, bound to no registry yet */
    public static DrillMetrics create() {
        return new DrillMetrics();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }

    @Override
    public void onDrillFinished(DrillReport report) {
        Tags tags = Tags.of("drill", report.name(), "cluster", String.valueOf(report.sourceClusterId()),
                "region", String.valueOf(report.region()));
        Last l = last.computeIfAbsent(List.of(report.name(), String.valueOf(report.sourceClusterId()),
                String.valueOf(report.region())), k -> register(tags));
        boolean passed = report.status() == DrillStatus.PASS;
        l.rtoSeconds = report.rto() == null ? Double.NaN : seconds(report.rto());
        l.status = passed ? 0 : 1;
        if (passed && report.finishedAt() != null) {
            l.passedAtMillis = report.finishedAt().toEpochMilli();
        }
        Counter.builder(DRILLS).description("restore drills by status").tags(tags)
                .tag("status", report.status().name()).register(meters).increment();
        if (report.startedAt() != null && report.finishedAt() != null) {
            Timer.builder(DURATION).description("how long restore drills took, teardown included").tags(tags)
                    .register(meters).record(report.duration());
        }
    }

    private Last register(Tags tags) {
        Last l = new Last();
        Gauge.builder(RTO, l, x -> x.rtoSeconds).description("the recovery time the last drill measured")
                .baseUnit("seconds").tags(tags).register(meters);
        Gauge.builder(LAST_STATUS, l, x -> x.status).description("the last drill: 0 PASS, 1 FAIL").tags(tags)
                .register(meters);
        TimeGauge.builder(LAST_PASS, l, TimeUnit.MILLISECONDS, x -> x.passedAtMillis)
                .description("when the last passing drill ended").tags(tags).register(meters);
        return l;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** What the gauges read, per (drill, cluster, region). */
    private static final class Last {
        volatile double rtoSeconds = Double.NaN;
        volatile double status = Double.NaN;
        volatile double passedAtMillis = Double.NaN;
    }
}
