package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;
import io.github.cloudhsmdr.spi.BackupStore;
import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The command line of the long-running hosts: the replicator options every example program shares
 * ({@code --source-region}, {@code --destination-regions}, …) plus the host's own schedule options.
 *
 * <p>The options are data ({@link Option}s), so they are read with picocli's programmatic API: each becomes an
 * {@link OptionSpec} of a {@link CommandSpec}, picocli parses the command line ({@code --option value} and
 * {@code --option=value}; a flag takes no value; each option at most once; {@code -h}/{@code --help}) and writes
 * the usage text. The values stay text: {@link Settings} and {@link ReplicatorSettings} read and check them with
 * the rules and messages the CLI and the Lambda handler use, so {@code --latest} with {@code --look-back} is
 * refused there, naming both. Every error is a {@link ConfigurationException} naming the option.
 *
 * <p>Immutable and thread-safe: every {@link #parse} reads with a command spec of its own.
 */
public final class HostOptions {

    /**
     * One option.
     *
     * @param key       the name without {@code --}
     * @param valueName the value's name in the usage, or {@code null} for a flag
     * @param help      one line of help
     */
    public record Option(String key, String valueName, String help) {
        /**
         * @param key       the name without {@code --}
         * @param valueName the value's name in the usage, or {@code null} for a flag
         * @param help      one line of help
         */
        public Option {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(help, "help");
        }

        /** @return true when the option takes no value. */
        public boolean flag() {
            return valueName == null;
        }

        /** @return the option as the user writes it, {@code --key} */
        public String name() {
            return "--" + key;
        }

        /** @return the option as picocli reads it: a flag, or an option with one value kept as text */
        OptionSpec spec() {
            OptionSpec.Builder b = OptionSpec.builder(name()).description(help);
            return (flag() ? b.type(boolean.class).arity("0") : b.type(String.class).arity("1").paramLabel(valueName))
                    .build();
        }
    }

    /** How long a running run may finish on SIGTERM: an option of every long-running host. */
    public static final Option SHUTDOWN_TIMEOUT = new Option("shutdown-timeout", "DURATION",
            "on SIGTERM, how long a running run may finish before it is interrupted (default: 5m)");

    /** The default of {@link #SHUTDOWN_TIMEOUT}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofMinutes(5);

    /** @return the {@link #SHUTDOWN_TIMEOUT} of {@code settings}, or its default. */
    public static Duration shutdownTimeout(Settings settings) {
        return settings.duration(SHUTDOWN_TIMEOUT.key()).orElse(DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /** The replicator options of every host. */
    public static final List<Option> REPLICATOR = List.of(
            option(ReplicatorSettings.SOURCE_REGION, "REGION"),
            option(ReplicatorSettings.DESTINATION_REGIONS, "R1,R2"),
            option(ReplicatorSettings.CLUSTERS, "ID,ID"),
            option(ReplicatorSettings.NAME, "NAME"),
            option(ReplicatorSettings.LOOK_BACK, "DURATION"),
            option(ReplicatorSettings.LATEST, null),
            option(ReplicatorSettings.WAIT_FOR_READY, "DURATION"),
            option(ReplicatorSettings.COPY_TAGS, "K=V,K=V"),
            option(ReplicatorSettings.RPO_WARN, "DURATION"),
            option(ReplicatorSettings.RPO_CRITICAL, "DURATION"),
            option(ReplicatorSettings.KEEP_LAST, "N"),
            option(ReplicatorSettings.KEEP_DAILY, "N"),
            option(ReplicatorSettings.KEEP_WEEKLY, "N"),
            option(ReplicatorSettings.KEEP_MONTHLY, "N"),
            option(ReplicatorSettings.KEEP_YEARLY, "N"),
            option(ReplicatorSettings.KEEP_WITHIN, "DURATION"),
            option(ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS, "N"),
            option(ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION, "N"),
            new Option(Stores.ENDPOINT, "URL", "send every call to this endpoint, e.g. an emulator"),
            new Option(Stores.PROFILE, "NAME", "credentials from this AWS profile (default: the SDK's default chain)"));

    /** The key {@link #parse} gives {@code -h} and {@code --help}. */
    public static final String HELP = "help";

    /** An option of a shared replicator setting, with the setting's description and default. */
    private static Option option(Setting setting, String valueName) {
        String help = setting.description();
        if (valueName != null && setting.defaultText() != null) {
            help += " (default: " + setting.defaultText() + ")";
        }
        return new Option(setting.key(), valueName, help);
    }

    /**
     * Builds the replicator of {@code config} on {@code store}.
     *
     * @param config    the replicator settings (already checked by {@link Settings#replicatorSettings()})
     * @param store     the store (not closed by the replicator)
     * @param clock     the clock
     * @param sleeper   the sleeper
     * @param listeners listeners to add
     * @return the replicator
     * @throws ConfigurationException when the builder rejects the configuration
     */
    public static BackupReplicator buildReplicator(ReplicatorSettings config, BackupStore store, Clock clock,
            Sleeper sleeper, List<ReplicationListener> listeners) {
        ReplicatorBuilder b = config.applyTo(BackupReplicator.builder()).backupStore(store).clock(clock)
                .sleeper(sleeper);
        listeners.forEach(b::listener);
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException("configuration", e.getMessage(), e);
        }
    }

    private final String program;
    private final List<Option> options;

    /**
     * @param program     the program's name, for the usage text and errors
     * @param hostOptions the host's own options, besides {@link #REPLICATOR}
     * @throws IllegalArgumentException when two options have the same key
     */
    public HostOptions(String program, List<Option> hostOptions) {
        this.program = Objects.requireNonNull(program, "program");
        List<Option> all = new ArrayList<>(REPLICATOR);
        all.addAll(hostOptions);
        this.options = List.copyOf(all);
        commandSpec(); // picocli refuses an option name given twice: fail here, not at the first parse
    }

    /** @return a new command spec of the options, in their order, with {@code -h}/{@code --help} last */
    private CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name(program).interpolateVariables(false);
        spec.usageMessage().sortOptions(false).abbreviateSynopsis(true).autoWidth(true).longOptionsMaxWidth(30)
                .footerHeading("%n")
                .footer("Give each option once, as --option VALUE or --option=VALUE.",
                        "Exit status " + HostLauncher.USAGE_ERROR + " on a bad option.");
        for (Option o : options) {
            try {
                spec.addOption(o.spec());
            } catch (CommandLine.DuplicateOptionAnnotationsException e) {
                throw new IllegalArgumentException("option " + o.name() + " of " + program
                        + " is given twice: give every option a key of its own", e);
            }
        }
        spec.addOption(OptionSpec.builder("-h", "--" + HELP).usageHelp(true).description("show this help").build());
        return spec;
    }

    /**
     * Reads the command line with picocli. The values are not checked here: {@link Settings} and
     * {@link Settings#replicatorSettings()} check them and name the option of a bad one.
     *
     * @param args the command line
     * @return the options given, by key; flags have the value {@code true}; {@code -h} and {@code --help} give
     *         the key {@link #HELP}
     * @throws ConfigurationException naming the option, for an unknown option, a missing value, a value given to
     *                                a flag, or an option given twice
     */
    public Settings parse(String... args) {
        CommandLine line = new CommandLine(commandSpec());
        ParseResult result;
        try {
            result = line.parseArgs(args);
        } catch (ParameterException e) {
            throw configurationError(e, args);
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (result.isUsageHelpRequested()) {
            values.put(HELP, "true");
        }
        for (Option o : options) {
            OptionSpec matched = result.matchedOption(o.name());
            if (matched != null) {
                values.put(o.key(), o.flag() ? "true" : matched.getValue());
            }
        }
        return Settings.ofOptions(values);
    }

    /** @return the exception naming the option picocli could not read, the value and what is allowed */
    private ConfigurationException configurationError(ParameterException e, String[] args) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (!arg.startsWith("-")) {
                return new ConfigurationException(arg, "unexpected argument: " + program
                        + " takes only options, --option VALUE or --option=VALUE", e);
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> suggestions = u.getSuggestions();
            return new ConfigurationException(name, "is not an option of " + program + (suggestions.isEmpty()
                    ? ": " + program + " --help lists them"
                    : "; did you mean " + String.join(" or ", suggestions) + "?"), e);
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return new ConfigurationException(o.longestName(), "needs a value: give " + o.longestName() + " "
                    + o.paramLabel() + " or " + o.longestName() + "=" + o.paramLabel(), e);
        }
        if (e instanceof OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec overwritten) {
            return new ConfigurationException(overwritten.longestName(), "is given twice: give it once", e);
        }
        // what is left names the option in the message only: a flag given a value (--latest=VALUE) is
        // "option '--latest' should be specified without 'VALUE' parameter"
        for (Option o : options) {
            if (e.getMessage().contains("'" + o.name() + "'")) {
                if (o.flag() && e instanceof MaxValuesExceededException) {
                    String given = Stream.of(args).filter(a -> a.startsWith(o.name() + "=")).findFirst()
                            .map(a -> a.substring(o.name().length() + 1)).orElse("");
                    return new ConfigurationException(o.name(), "is a flag and takes no value, got '" + given
                            + "': give " + o.name() + " alone", e);
                }
                return new ConfigurationException(o.name(), e.getMessage(), e);
            }
        }
        return new ConfigurationException("command line", e.getMessage(), e);
    }

    /** @return the usage text picocli writes from the options. */
    public String usage() {
        return new CommandLine(commandSpec()).getUsageMessage();
    }
}
