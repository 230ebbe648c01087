package io.github.cloudhsmdr.examples.cli;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.DestinationPlan;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RestoreRequest;
import io.github.cloudhsmdr.RestoreResult;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.aws.AwsRegions;
import io.github.cloudhsmdr.examples.cli.CommandLine.Command;
import io.github.cloudhsmdr.examples.cli.CommandLine.Option;
import io.github.cloudhsmdr.examples.support.ConfigurationException;
import io.github.cloudhsmdr.examples.support.Json;
import io.github.cloudhsmdr.examples.support.ReplicatorSettings;
import io.github.cloudhsmdr.examples.support.ReportMaps;
import io.github.cloudhsmdr.examples.support.Settings;
import io.github.cloudhsmdr.examples.support.Stores;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's command line: {@code plan}, {@code replicate}, {@code rpo} and {@code restore} against AWS, or
 * against an emulator with {@code --endpoint}. Run {@code cloudhsm-dr --help} for the options.
 *
 * <p>Exit codes, so a cron job or a CI step can act on the outcome:
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>plan</th><th>replicate</th><th>rpo</th><th>restore</th></tr>
 *   <tr><td>{@value #EXIT_OK}</td><td>planned without failures</td><td>SUCCESS</td><td>OK</td><td>cluster creation started</td></tr>
 *   <tr><td>{@value #EXIT_WARN}</td><td>some pairs could not be planned</td><td>PARTIAL</td><td>WARN</td><td>—</td></tr>
 *   <tr><td>{@value #EXIT_FAILED}</td><td>nothing could be planned</td><td>FAILED</td><td>CRITICAL, MISSING or
 *       UNKNOWN</td><td>nothing to restore, or a call failed</td></tr>
 *   <tr><td>{@value #EXIT_USAGE}</td><td colspan="4">usage error: the message names the bad option and value</td></tr>
 * </table>
 *
 * <p>Not thread-safe: one run at a time per instance.
 */
public final class CloudHsmDrCli {
    /** Success: the run did all it should, or the recovery points are OK. */
    public static final int EXIT_OK = 0;
    /** Partial: some of the run failed, or a recovery point is WARN. */
    public static final int EXIT_WARN = 1;
    /** Failed: nothing could be done, or a recovery point is CRITICAL, MISSING or UNKNOWN. */
    public static final int EXIT_FAILED = 2;
    /** Usage error (as in BSD's sysexits.h EX_USAGE): a bad command, option or value. */
    public static final int EXIT_USAGE = 64;

    static final String PROGRAM = "cloudhsm-dr";

    private final Clock clock;
    private final Sleeper sleeper;

    /** A command line on the system clock that really sleeps while it waits. */
    public CloudHsmDrCli() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * A command line on the given clock and sleeper, e.g. a virtual clock in tests.
     *
     * @param clock   the clock of the replicator and the restorer
     * @param sleeper how the replicator waits
     */
    public CloudHsmDrCli(Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CloudHsmDrCli().run(args, System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @param args the command line
     * @param out  where results go
     * @param err  where errors and usage errors go
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_WARN}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Objects.requireNonNull(args, "args");
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (UsageException e) {
            return usageError(err, null, e.getMessage());
        }
        if (line.help()) {
            out.print(line.command() == null ? usage() : usage(line.command()));
            return EXIT_OK;
        }
        try {
            return switch (line.command()) {
                case PLAN -> plan(line, out);
                case REPLICATE -> replicate(line, out);
                case RPO -> rpo(line, out);
                case RESTORE -> restore(line, out, err);
            };
        } catch (UsageException | ConfigurationException e) {
            return usageError(err, line.command(), e.getMessage());
        } catch (RuntimeException e) {
            err.println(PROGRAM + " " + line.command().word + " failed: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private int plan(CommandLine line, PrintStream out) {
        Settings settings = replicatorSettings(line);
        ReplicatorSettings config = ReplicatorSettings.from(settings, null);
        try (AwsBackupStore store = Stores.open(settings);
             BackupReplicator replicator = config.build(settings, store, clock, sleeper, List.of())) {
            ReplicationPlan plan = replicator.plan();
            print(line, out, ReportMaps.plan(plan), plan.describe());
            long failedPairs = plan.destinations().stream().filter(DestinationPlan::failed).count();
            if (plan.failures().isEmpty() && failedPairs == 0) {
                return EXIT_OK;
            }
            return failedPairs < plan.destinations().size() ? EXIT_WARN : EXIT_FAILED;
        }
    }

    private int replicate(CommandLine line, PrintStream out) {
        Settings settings = replicatorSettings(line);
        ReplicatorSettings config = ReplicatorSettings.from(settings, null);
        try (AwsBackupStore store = Stores.open(settings);
             BackupReplicator replicator = config.build(settings, store, clock, sleeper, List.of())) {
            ReplicationReport report = replicator.replicate();
            print(line, out, ReportMaps.report(report, true), report.describe());
            return switch (report.status()) {
                case SUCCESS -> EXIT_OK;
                case PARTIAL -> EXIT_WARN;
                case FAILED -> EXIT_FAILED;
            };
        }
    }

    private int rpo(CommandLine line, PrintStream out) {
        Settings settings = replicatorSettings(line);
        ReplicatorSettings config = ReplicatorSettings.from(settings, null);
        try (AwsBackupStore store = Stores.open(settings);
             BackupReplicator replicator = config.build(settings, store, clock, sleeper, List.of())) {
            RecoveryPointReport points = replicator.measureRecoveryPoints();
            print(line, out, ReportMaps.recoveryPoints(points), points.describe());
            return switch (points.worst()) {
                case OK -> EXIT_OK;
                case WARN -> EXIT_WARN;
                case CRITICAL, MISSING, UNKNOWN -> EXIT_FAILED;
            };
        }
    }

    private int restore(CommandLine line, PrintStream out, PrintStream err) {
        Settings settings = Settings.ofOptions(line.options());
        String region = settings.required("region", "us-west-2");
        if (AwsRegions.partitionOf(region).isEmpty()) {
            throw settings.invalid("region", "'" + region + "' is not a region the AWS SDK knows (e.g. us-west-2)");
        }
        String cluster = settings.required("cluster", "cluster-2n3ulwdpxk6");
        List<String> subnets = settings.list("subnets");
        if (subnets.isEmpty()) {
            throw settings.invalid("subnets", "is required: give 1 to 10 subnet ids separated by commas, "
                    + "e.g. subnet-0a1b2c3d,subnet-4e5f6a7b");
        }
        RestoreRequest request;
        try {
            request = new RestoreRequest(region, cluster, settings.optional("backup").orElse(null),
                    settings.optional("hsm-type").orElse(null), subnets, Map.of());
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(" ", 2)[0];
            String key = switch (field) {
                case "sourceClusterId" -> "cluster";
                case "backupId" -> "backup";
                case "subnetIds" -> "subnets";
                default -> "restore";
            };
            throw new ConfigurationException(settings.nameOf(key), e.getMessage(), e);
        }
        try (AwsBackupStore store = Stores.open(settings)) {
            RestoreResult result = ClusterRestorer.of(store, clock).restore(request);
            StringBuilder text = new StringBuilder()
                    .append("Restore started in ").append(region).append(": cluster ")
                    .append(result.cluster().clusterId()).append(" (").append(result.cluster().state())
                    .append(") from backup ").append(result.backup().backupId()).append('\n')
                    .append("  data of ").append(cluster).append(" as of ").append(result.backup().createTimestamp())
                    .append(", age ").append(result.dataAge()).append('\n')
                    .append("Next steps:\n");
            for (int i = 0; i < result.nextSteps().size(); i++) {
                text.append("  ").append(i + 1).append(". ").append(result.nextSteps().get(i)).append('\n');
            }
            print(line, out, ReportMaps.restore(result), text.toString());
            return EXIT_OK;
        } catch (IllegalStateException e) {
            err.println(PROGRAM + " restore: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The replicator settings of a command line; {@code --latest} is the look-back {@code latest}. */
    private static Settings replicatorSettings(CommandLine line) {
        Map<String, String> options = new LinkedHashMap<>(line.options());
        if (line.flag("latest")) {
            if (options.containsKey(ReplicatorSettings.LOOK_BACK)) {
                throw new UsageException("--latest and --look-back " + options.get(ReplicatorSettings.LOOK_BACK)
                        + " contradict each other: give one of them");
            }
            options.remove("latest");
            options.put(ReplicatorSettings.LOOK_BACK, ReplicatorSettings.LATEST);
        }
        return Settings.ofOptions(options);
    }

    private static void print(CommandLine line, PrintStream out, Map<String, Object> json, String text) {
        if (line.flag("json")) {
            out.println(Json.write(json));
        } else {
            out.print(text);
        }
    }

    private static int usageError(PrintStream err, Command command, String message) {
        err.println(PROGRAM + ": " + message);
        err.println("Run '" + PROGRAM + (command == null ? "" : " " + command.word) + " --help' for usage.");
        return EXIT_USAGE;
    }

    /** @return the general usage text. */
    static String usage() {
        StringBuilder sb = new StringBuilder("usage: " + PROGRAM + " <command> [options]\n\ncommands:\n");
        for (Command c : Command.values()) {
            sb.append(String.format("  %-10s %s%n", c.word, c.summary));
        }
        sb.append("\nRun '").append(PROGRAM).append(" <command> --help' for the options of a command.\n")
                .append("Durations: 14d, 36h, 30m, 90s, 1h30m or ISO-8601 (PT30M).\n")
                .append("Exit codes: 0 success/OK, 1 partial/WARN, 2 failed/CRITICAL, 64 usage error.\n");
        return sb.toString();
    }

    /** @return the usage text of {@code command}. */
    static String usage(Command command) {
        StringBuilder sb = new StringBuilder("usage: " + PROGRAM + " " + command.word + " [options]\n\n")
                .append(command.summary).append("\n\noptions:\n");
        for (Option o : CommandLine.OPTIONS) {
            if (o.commands().contains(command)) {
                sb.append(String.format("  %-28s %s%n", o.usage(), o.help()));
            }
        }
        sb.append(String.format("  %-28s %s%n", "--help", "show this help"));
        if (CommandLine.OPTIONS.stream().anyMatch(o -> o.key().startsWith("keep-") && o.commands().contains(command))) {
            sb.append("\nWithout a --keep-* option every copy is kept. Retention only deletes READY copies that carry\n"
                    + "this replicator's ownership tag, never the newest one.\n");
        }
        return sb.toString();
    }
}
