package io.github.cloudhsmdr.micrometer;

import io.github.cloudhsmdr.drill.DrillReport;
import io.github.cloudhsmdr.drill.DrillStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DrillMetricsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

    private static DrillReport report(DrillStatus status, Instant start, Duration took, Duration rto) {
        return new DrillReport("drill-1", "monthly", "cluster-abcdefghijk", "us-east-1", "us-west-2", true, start,
                start.plus(took), null, Duration.ofHours(3), "cluster-restoredabcd", null, null, rto,
                Duration.ofMinutes(45), true, List.of(), null, List.of(), status,
                status == DrillStatus.PASS ? List.of() : List.of("the cluster did not reach INITIALIZED"));
    }

    @Test
    void aPassingAndThenAFailingDrillShowTheirTimesAndTheLastPass() {
        DrillMetrics metrics = DrillMetrics.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);

        metrics.onDrillFinished(report(DrillStatus.PASS, T0, Duration.ofMinutes(31), Duration.ofMinutes(21)));
        metrics.onDrillFinished(report(DrillStatus.FAIL, T0.plus(Duration.ofDays(30)), Duration.ofMinutes(20), null));

        assertEquals(1.0, registry.get(DrillMetrics.DRILLS).tag("status", "PASS").counter().count());
        assertEquals(1.0, registry.get(DrillMetrics.DRILLS).tag("status", "FAIL").counter().count());
        assertEquals(2, registry.get(DrillMetrics.DURATION).tag("drill", "monthly").timer().count());
        assertEquals(51.0, registry.get(DrillMetrics.DURATION).timer().totalTime(TimeUnit.MINUTES), 1e-9);
        assertEquals(1.0, registry.get(DrillMetrics.LAST_STATUS).tag("region", "us-west-2").gauge().value());
        assertEquals(Double.NaN, registry.get(DrillMetrics.RTO).tag("cluster", "cluster-abcdefghijk").gauge().value(),
                "the failed drill measured no RTO");
        assertEquals(T0.plus(Duration.ofMinutes(31)).getEpochSecond(),
                registry.get(DrillMetrics.LAST_PASS).timeGauge().value(TimeUnit.SECONDS), 1e-6,
                "the last pass is still the first drill's end");
    }
}
