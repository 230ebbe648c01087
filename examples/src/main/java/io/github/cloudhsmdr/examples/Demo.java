package io.github.cloudhsmdr.examples;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.CopyOutcome;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.DemoData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo: replicates CloudHSM backups across regions through the real AWS SDK client, talking to the
 * testkit's CloudHSM emulator on loopback, so no AWS account is needed.
 *
 * <p>The emulator runs on a virtual clock and holds two clusters in us-east-1 with a backup every day for two
 * weeks ({@link DemoData}). A replicator with a one-week look-back copies them to us-west-2 and eu-west-1
 * through an {@link AwsBackupStore} whose endpoint is the emulator. The demo prints the dry-run plan, the
 * report of the first run (which waits until every copy is READY), the summary of a second run (which copies
 * nothing), and the recovery points every region now holds.
 *
 * <p>Nothing sleeps for real: the replicator's sleeper moves the virtual clock, and the emulator turns copies
 * READY ten minutes after they were made on that clock. Exit code 0 when every step behaved as described,
 * 1 otherwise.
 */
public final class Demo {
    static final String SOURCE = "us-east-1";
    static final List<String> DESTINATIONS = List.of("us-west-2", "eu-west-1");
    static final Duration LOOK_BACK = Duration.ofDays(7);
    static final Instant START = Instant.parse("2026-11-28T02:00:00Z");
    static final long SEED = 2026L;

    private Demo() {
    }

    /**
     * Runs the demo and exits with its exit code when it is not 0.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int code = run(System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the demo, printing to {@code out}; returns the process exit code. */
    static int run(PrintStream out) {
        MutableClock clock = MutableClock.at(START);
        try (CloudHsmEmulator emulator = CloudHsmEmulator.builder().clock(clock).seed(SEED).build()) {
            List<Cluster> clusters = DemoData.seed(emulator.model(), SOURCE);
            emulator.start();
            out.println("CloudHSM emulator at " + emulator.endpoint() + " (virtual clock at " + clock.instant() + ")");
            for (Cluster c : clusters) {
                long ready = emulator.model().backupsIn(SOURCE).stream()
                        .filter(b -> c.clusterId().equals(b.clusterId()) && b.state() == BackupState.READY).count();
                out.println("  " + c.clusterId() + " in " + SOURCE + ": " + ready + " READY backups, one a day for "
                        + DemoData.DAYS + " days");
            }

            try (AwsBackupStore store = AwsBackupStore.builder()
                    .endpointOverride(emulator.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIDEXAMPLE", "demo-secret")))
                    .build();
                 BackupReplicator replicator = BackupReplicator.builder()
                         .name("demo")
                         .sourceRegion(SOURCE)
                         .destinationRegions(DESTINATIONS)
                         .selection(Selection.allWithin(LOOK_BACK))
                         .waitForReady(Duration.ofHours(1))
                         .backupStore(store)
                         .clock(clock)
                         .sleeper(clock::advance)
                         .randomSeed(SEED)
                         .build()) {
                out.println("Replicator 'demo': " + SOURCE + " -> " + String.join(", ", DESTINATIONS)
                        + ", backups of the last " + LOOK_BACK.toDays() + " days, waiting up to 1 h for READY");

                ReplicationPlan plan = replicator.plan();
                section(out, "Dry run: what a run would do now (nothing is changed)");
                out.print(plan.describe());

                ReplicationReport first = replicator.apply(plan);
                section(out, "First run");
                out.print(first.describe());

                ReplicationReport second = replicator.replicate();
                section(out, "Second run: every backup is already in its destinations");
                out.println(second.summary());

                RecoveryPointReport points = replicator.measureRecoveryPoints();
                section(out, "Recovery points");
                out.print(points.describe());

                List<String> problems = check(plan, first, second, points);
                out.println();
                out.println(emulator.requestLog().size() + " requests reached the emulator; virtual time passed: "
                        + Duration.between(START, clock.instant()));
                if (problems.isEmpty()) {
                    out.println("Demo OK: " + first.copied() + " copies made and READY, none made twice.");
                    return 0;
                }
                out.println("Demo did not behave:");
                problems.forEach(p -> out.println("  - " + p));
                return 1;
            }
        }
    }

    /** @return what did not go as the demo describes; empty when all did. */
    static List<String> check(ReplicationPlan plan, ReplicationReport first, ReplicationReport second,
            RecoveryPointReport points) {
        List<String> problems = new ArrayList<>();
        if (plan.copyCount() == 0 || !plan.failures().isEmpty()) {
            problems.add("the plan should copy something and fail nothing: " + plan.copyCount() + " copies, "
                    + plan.failures().size() + " failures");
        }
        if (first.status() != RunStatus.SUCCESS || first.copied() != plan.copyCount()) {
            problems.add("the first run should copy all " + plan.copyCount() + " planned backups: "
                    + first.summary());
        }
        long notReady = first.copies().filter(c -> c.action() == CopyAction.COPIED)
                .map(CopyOutcome::destinationState).filter(s -> s != BackupState.READY).count();
        if (notReady > 0) {
            problems.add(notReady + " copies of the first run are not READY");
        }
        if (second.status() != RunStatus.SUCCESS || second.copied() != 0
                || second.count(CopyAction.ALREADY_PRESENT) != first.copied()) {
            problems.add("the second run should copy nothing and find every copy present: " + second.summary());
        }
        if (points.worst() != RecoveryPointStatus.OK) {
            problems.add("every region should hold a recent recovery point, worst is " + points.worst());
        }
        return problems;
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println("== " + title + " ==");
    }
}
