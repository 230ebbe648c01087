package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.testkit.CloudHsmModel;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, realistic data set for demos: in the source region two clusters with a backup every day for the
 * past two weeks (fractional-second timestamps, tags), the oldest backup of the first cluster
 * PENDING_DELETION; the other regions start empty. Deterministic for a
 * given model seed and clock.
 */
public final class DemoData {
    /** Days of daily backups seeded per cluster. */
    public static final int DAYS = 14;

    private DemoData() {
    }

    /**
     * Seeds {@code model}.
     *
     * @param model        the model to fill
     * @param sourceRegion the region of the clusters
     * @return the clusters created, in creation order
     */
    public static List<Cluster> seed(CloudHsmModel model, String sourceRegion) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Instant today = model.clock().instant().truncatedTo(ChronoUnit.DAYS);
        List<Cluster> clusters = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Cluster cluster = model.addCluster(sourceRegion);
            clusters.add(cluster);
            for (int day = DAYS; day >= 1; day--) {
                Instant created = today.minus(Duration.ofDays(day)).plus(Duration.ofHours(3 + c))
                        .plusMillis(123L * day + 7L * c);
                Backup b = model.addBackup(sourceRegion, cluster.clusterId(), created);
                BackupState state = c == 0 && day == DAYS ? BackupState.PENDING_DELETION : BackupState.READY;
                Backup.Builder changed = b.toBuilder().tags(Map.of("env", c == 0 ? "prod" : "staging",
                        "team", "payments"));
                if (state == BackupState.PENDING_DELETION) {
                    changed.state(state).deleteTimestamp(model.clock().instant().plus(CloudHsmModel.PENDING_DELETION_PERIOD));
                }
                model.addBackup(changed.build());
            }
        }
        return clusters;
    }
}
