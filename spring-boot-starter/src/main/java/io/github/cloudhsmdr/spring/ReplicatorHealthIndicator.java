package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.micrometer.RecoveryPointHealth;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Objects;
import java.util.Optional;

/**
 * The health of one replicator, from the latest recovery points it measured (normally right after its last
 * scheduled run): DOWN when the worst point is CRITICAL, MISSING or UNKNOWN, UP when it is OK or WARN, and
 * UNKNOWN before anything was measured. Reads only what the replicator's {@link ReplicationMetrics} recorded: a
 * health check never calls CloudHSM. Details: the points, the objective, and the last run's status and end.
 */
public final class ReplicatorHealthIndicator implements HealthIndicator {
    private final ReplicationMetrics metrics;

    /** @param metrics the replicator's meters, which keep its latest report and recovery points */
    public ReplicatorHealthIndicator(ReplicationMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public Health health() {
        Optional<RecoveryPointReport> points = metrics.lastRecoveryPoints();
        Health.Builder health;
        if (points.isEmpty()) {
            health = Health.unknown().withDetail("recoveryPoints", "not measured yet");
        } else {
            health = RecoveryPointHealth.isDown(points.get()) ? Health.down() : Health.up();
            health.withDetails(RecoveryPointHealth.details(points.get()));
        }
        Optional<ReplicationReport> run = metrics.lastReport();
        run.ifPresent(r -> health.withDetail("lastRun", r.status() + " at " + r.finishedAt()));
        return health.build();
    }
}
