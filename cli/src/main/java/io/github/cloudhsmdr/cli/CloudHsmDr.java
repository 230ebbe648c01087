package io.github.cloudhsmdr.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code cloudhsm-dr} command line: {@code plan}, {@code replicate}, {@code rpo}, {@code status},
 * {@code restore}, {@code undo}, {@code drill} and {@code iam-policy} against AWS, or against an emulator with
 * {@code --endpoint-url}. Exit codes are in {@link ExitCodes}. Not thread-safe: one run at a time per instance.
 */
@Command(name = CloudHsmDr.NAME, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Cross-region disaster recovery for AWS CloudHSM backups: copy, verify, retain, measure, "
                + "restore.",
        subcommands = {PlanCommand.class, ReplicateCommand.class, RpoCommand.class, StatusCommand.class,
                RestoreCommand.class, UndoCommand.class, AdoptCommand.class, IamPolicyCommand.class,
                DrillCommand.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class},
        footerHeading = "%n",
        footer = {"Durations: 14d, 36h, 30m, 90s, 1h30m or ISO-8601 (PT30M).",
                "Every option can be set with an environment variable CLOUDHSM_DR_<OPTION> (--look-back: "
                        + "CLOUDHSM_DR_LOOK_BACK) or as <option>=<value> in a --config properties file "
                        + "(CLOUDHSM_DR_CONFIG names one too); the command line wins, then the environment, then "
                        + "the file.",
                "Exit codes:",
                "  0   success, recovery points OK",
                "  1   partial success, a recovery point is WARN",
                "  2   failed or past --deadline; a recovery point CRITICAL, MISSING or UNKNOWN",
                "  64  usage error: a bad command, option or value; nothing was called"})
public final class CloudHsmDr implements Runnable {
    /** The command's name. */
    public static final String NAME = "cloudhsm-dr";

    private final Context context;

    @Spec
    CommandSpec spec;

    /** A command line on the system clock, reading the process's environment. */
    public CloudHsmDr() {
        this(Context.system());
    }

    CloudHsmDr(Context context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    Context context() {
        return context;
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(args));
        System.exit(execute(new CloudHsmDr(), args, new PrintWriter(System.out), new PrintWriter(System.err)));
    }

    /**
     * The log level of {@code -q}, {@code -v} and {@code -vv}. Read before picocli parses the arguments, because
     * the option converters already load SDK classes that log, and SLF4J's simple logger reads its level once.
     *
     * @return {@code error}, {@code warn}, {@code info} or {@code debug}
     */
    static String logLevel(String[] args) {
        int verbose = 0;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-q") || a.equals("--quiet")) {
                return "error";
            }
            if (a.equals("--verbose")) {
                verbose++;
            } else if (a.matches("-v+")) {
                verbose += a.length() - 1;
            }
        }
        return verbose == 0 ? "warn" : verbose == 1 ? "info" : "debug";
    }

    /** Without a command: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "no command given: use plan, replicate, rpo, status, restore, undo, iam-policy or drill");
    }

    /**
     * Runs one command line.
     *
     * @return the exit code ({@link ExitCodes})
     */
    static int execute(CloudHsmDr root, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        try {
            try {
                cl.setDefaultValueProvider(ConfigDefaults.of(root.context.environment(), configFile(root, args), cl));
            } catch (ParameterException e) {
                return usageError(e, args);
            }
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** @return the command line of {@code root} with this program's error handling */
    static CommandLine commandLine(CloudHsmDr root) {
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(CloudHsmDr::usageError);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(NAME + " " + line.getCommandName() + " failed: " + e);
            return ExitCodes.FAILED;
        });
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        return cl;
    }

    /** The config file: {@code --config FILE} or {@code --config=FILE} anywhere before {@code --}, else the variable. */
    private static Path configFile(CloudHsmDr root, String[] args) {
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String v = root.context.environment().get(ConfigDefaults.CONFIG_VARIABLE);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        err.println(NAME + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        String command = line.getCommandSpec().qualifiedName();
        err.println("Run '" + command + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
