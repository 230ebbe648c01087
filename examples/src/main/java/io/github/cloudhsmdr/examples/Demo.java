package io.github.cloudhsmdr.examples;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The demo: replicates the backups of two clusters in us-east-1 to us-west-2 and eu-west-1 on an embedded
 * CloudHSM model (no AWS account needed), shows the dry-run plan, the report, and that a second run copies
 * nothing. Exit code 0 when every run succeeded.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        int code = run(System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the demo, printing to {@code out}; returns the process exit code. */
    static int run(PrintStream out) {
        MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T06:00:00Z"));
        CloudHsmModel model = new CloudHsmModel(clock, 2026L);
        String source = "us-east-1";
        String payments = model.addCluster(source).clusterId();
        String identity = model.addCluster(source).clusterId();
        for (int day = 0; day < 5; day++) {
            model.addBackup(source, payments, clock.instant().minus(Duration.ofDays(day)).minus(Duration.ofHours(2)));
            model.addBackup(source, identity, clock.instant().minus(Duration.ofDays(day)).minus(Duration.ofHours(5)));
        }
        out.println("Embedded CloudHSM: clusters " + payments + " and " + identity + " in " + source
                + ", 10 READY backups");

        try (BackupReplicator replicator = BackupReplicator.builder()
                .name("demo")
                .sourceRegion(source)
                .destinationRegions("us-west-2", "eu-west-1")
                .backupStore(new InMemoryBackupStore(model))
                .waitForReady(Duration.ofHours(1))
                .clock(clock)
                .sleeper(clock::advance)
                .build()) {
            ReplicationPlan plan = replicator.plan();
            out.println();
            out.println("== Dry run ==");
            out.print(plan.describe());

            ReplicationReport first = replicator.apply(plan);
            out.println();
            out.println("== First run ==");
            out.print(first.describe());

            ReplicationReport second = replicator.replicate();
            out.println();
            out.println("== Second run (nothing left to copy) ==");
            out.println(second.summary());

            return first.status() == RunStatus.SUCCESS && second.status() == RunStatus.SUCCESS
                    && second.copied() == 0 ? 0 : 1;
        }
    }
}
