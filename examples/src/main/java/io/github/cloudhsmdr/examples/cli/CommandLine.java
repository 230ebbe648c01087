package io.github.cloudhsmdr.examples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed command line of {@link CloudHsmDrCli}: a command and its options by key (the option's name
 * without {@code --}; flags have the value {@code true}). Accepts {@code --option value} and
 * {@code --option=value}; every option at most once.
 *
 * @param command the command, or {@code null} when only {@code --help} was given
 * @param options values by key
 * @param help    true when {@code --help} or {@code -h} was given
 */
record CommandLine(Command command, Map<String, String> options, boolean help) {

    /** The commands. */
    enum Command {
        PLAN("plan", "dry run: show what a replication run would copy now; changes nothing"),
        REPLICATE("replicate", "copy every selected backup that is missing in a destination, then report"),
        RPO("rpo", "measure the recovery point each region holds for each cluster"),
        RESTORE("restore", "create a cluster from the newest READY backup of a cluster held in a region");

        final String word;
        final String summary;

        Command(String word, String summary) {
            this.word = word;
            this.summary = summary;
        }

        static Optional<Command> of(String word) {
            return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
        }
    }

    private static final Set<Command> REPLICATOR = EnumSet.of(Command.PLAN, Command.REPLICATE, Command.RPO);
    private static final Set<Command> ALL = EnumSet.allOf(Command.class);
    private static final Set<Command> RETENTION = EnumSet.of(Command.PLAN, Command.REPLICATE);

    /** One option: its key, its value's name ({@code null} for a flag), the commands it belongs to, its help. */
    record Option(String key, String valueName, Set<Command> commands, String help) {
        boolean flag() {
            return valueName == null;
        }

        String usage() {
            return "--" + key + (flag() ? "" : " " + valueName);
        }
    }

    static final List<Option> OPTIONS = List.of(
            new Option("source-region", "REGION", REPLICATOR, "region whose backups are copied (required)"),
            new Option("destination-regions", "R1,R2", REPLICATOR, "regions to copy to (required)"),
            new Option("clusters", "ID,ID", REPLICATOR, "clusters to replicate (default: every cluster in the source region)"),
            new Option("name", "NAME", REPLICATOR, "replicator name, the value of the ownership tag on copies (default: default)"),
            new Option("look-back", "DURATION", REPLICATOR, "copy READY backups created within this window (default: 14d)"),
            new Option("latest", null, REPLICATOR, "copy only the newest READY backup per cluster"),
            new Option("keep-last", "N", RETENTION, "retention: keep the N newest copies per cluster and region"),
            new Option("keep-daily", "N", RETENTION, "retention: keep the newest copy of each of the last N days"),
            new Option("keep-weekly", "N", RETENTION, "retention: keep the newest copy of each of the last N weeks"),
            new Option("keep-monthly", "N", RETENTION, "retention: keep the newest copy of each of the last N months"),
            new Option("keep-yearly", "N", RETENTION, "retention: keep the newest copy of each of the last N years"),
            new Option("keep-within", "DURATION", RETENTION,
                    "retention: keep every copy made within this window before the newest copy"),
            new Option("copy-tags", "K=V,K=V", EnumSet.of(Command.REPLICATE), "extra tags for every copy"),
            new Option("wait-for-ready", "DURATION", EnumSet.of(Command.REPLICATE),
                    "wait up to this long for new copies to turn READY (default: 0, do not wait)"),
            new Option("rpo-warn", "DURATION", EnumSet.of(Command.RPO), "age after which a recovery point is WARN (default: 28h)"),
            new Option("rpo-critical", "DURATION", EnumSet.of(Command.RPO),
                    "age after which a recovery point is CRITICAL (default: 32h)"),
            new Option("region", "REGION", EnumSet.of(Command.RESTORE), "region to create the cluster in (required)"),
            new Option("cluster", "ID", EnumSet.of(Command.RESTORE), "the cluster whose backup is restored (required)"),
            new Option("subnets", "S1,S2", EnumSet.of(Command.RESTORE), "1 to 10 subnets for the new cluster (required)"),
            new Option("hsm-type", "TYPE", EnumSet.of(Command.RESTORE), "HSM type of the new cluster (default: the backup's)"),
            new Option("backup", "ID", EnumSet.of(Command.RESTORE), "restore this backup instead of the newest READY one"),
            new Option("endpoint", "URL", ALL, "send every call to this endpoint, e.g. the emulator's http://127.0.0.1:PORT"),
            new Option("profile", "NAME", ALL, "credentials from this AWS profile (default: the SDK's default chain)"),
            new Option("json", null, ALL, "print the result as JSON"));

    /**
     * @throws UsageException naming the unknown command or option, the option without a value, or the option
     *                        given twice
     */
    static CommandLine parse(String... args) {
        Command command = null;
        Map<String, String> options = new LinkedHashMap<>();
        boolean help = false;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
            String word = rest.remove(0);
            if (word.equals("help")) {
                help = true;
            } else {
                command = Command.of(word).orElseThrow(() -> new UsageException("unknown command '" + word
                        + "': use plan, replicate, rpo or restore"));
            }
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command == null
                        ? "expected a command (plan, replicate, rpo or restore) before '" + arg + "'"
                        : "unexpected argument '" + arg + "': options start with --");
            }
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            Option option = find(key, command);
            String value;
            if (option.flag()) {
                if (eq >= 0) {
                    throw new UsageException("--" + key + " takes no value, got '" + arg.substring(eq + 1) + "'");
                }
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= rest.size() || rest.get(i + 1).startsWith("--")) {
                    throw new UsageException("--" + key + " needs a value: " + option.usage());
                }
                value = rest.get(++i);
            }
            if (options.put(key, value) != null) {
                throw new UsageException("--" + key + " is given twice: give it once");
            }
        }
        if (command == null && !help) {
            throw new UsageException(args.length == 0 ? "no command given: use plan, replicate, rpo or restore"
                    : "no command given before the options: use plan, replicate, rpo or restore");
        }
        return new CommandLine(command, options, help);
    }

    private static Option find(String key, Command command) {
        Option option = OPTIONS.stream().filter(o -> o.key().equals(key)).findFirst()
                .orElseThrow(() -> new UsageException("unknown option '--" + key + "'"
                        + (command == null ? "" : " for " + command.word)));
        if (command != null && !option.commands().contains(command)) {
            throw new UsageException("option --" + key + " does not apply to " + command.word + "; it is an option of "
                    + String.join(", ", option.commands().stream().map(c -> c.word).toList()));
        }
        return option;
    }

    /** @return true when the flag {@code key} was given. */
    boolean flag(String key) {
        return "true".equals(options.get(key));
    }
}
