package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;
import io.github.cloudhsmdr.spi.BackupStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command line of the long-running hosts: the replicator options every example program shares
 * ({@code --source-region}, {@code --destination-regions}, …) plus the host's own schedule options. Accepts
 * {@code --option value} and {@code --option=value}, each option at most once; {@code --latest} is the
 * look-back {@code latest}. Errors are {@link ConfigurationException}s naming the option.
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
        public Option {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(help, "help");
        }

        /** @return true when the option takes no value. */
        public boolean flag() {
            return valueName == null;
        }

        String usage() {
            return "--" + key + (flag() ? "" : " " + valueName);
        }
    }

    /** How long a running run may finish on SIGTERM: an option of every long-running host. */
    public static final Option SHUTDOWN_TIMEOUT = new Option("shutdown-timeout", "DURATION",
            "on SIGTERM, how long a running run may finish before it is interrupted (default: 5m)");

    /** The default of {@link #SHUTDOWN_TIMEOUT}. */
    public static final java.time.Duration DEFAULT_SHUTDOWN_TIMEOUT = java.time.Duration.ofMinutes(5);

    /** @return the {@link #SHUTDOWN_TIMEOUT} of {@code settings}, or its default. */
    public static java.time.Duration shutdownTimeout(Settings settings) {
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
     */
    public HostOptions(String program, List<Option> hostOptions) {
        this.program = Objects.requireNonNull(program, "program");
        List<Option> all = new ArrayList<>(REPLICATOR);
        all.addAll(hostOptions);
        this.options = List.copyOf(all);
    }

    /**
     * @return the options given, by key; flags have the value {@code true}; {@code --help} gives the key
     *         {@code help}
     * @throws ConfigurationException for an unknown option, a missing value, an option given twice, or
     *                                {@code --latest} with {@code --look-back}
     */
    public Settings parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                values.put("help", "true");
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigurationException(arg, "unexpected argument: options start with --");
            }
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            Option option = options.stream().filter(o -> o.key().equals(key)).findFirst()
                    .orElseThrow(() -> new ConfigurationException("--" + key, "is not an option of " + program));
            String value;
            if (option.flag()) {
                if (eq >= 0) {
                    throw new ConfigurationException("--" + key, "takes no value, got '" + arg.substring(eq + 1) + "'");
                }
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigurationException("--" + key, "needs a value: " + option.usage());
                }
                value = args[++i];
            }
            if (values.put(key, value) != null) {
                throw new ConfigurationException("--" + key, "is given twice: give it once");
            }
        }
        String lookBack = ReplicatorSettings.LOOK_BACK.key();
        if (values.remove(ReplicatorSettings.LATEST.key()) != null) {
            if (values.containsKey(lookBack)) {
                throw new ConfigurationException(ReplicatorSettings.LATEST.option(), "contradicts "
                        + ReplicatorSettings.LOOK_BACK.option() + " " + values.get(lookBack) + ": give one of them");
            }
            values.put(lookBack, ReplicatorSettings.LATEST_VALUE);
        }
        return Settings.ofOptions(values);
    }

    /** @return the usage text. */
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: " + program + " [options]\n\noptions:\n");
        for (Option o : options) {
            sb.append(String.format("  %-28s %s%n", o.usage(), o.help()));
        }
        sb.append(String.format("  %-28s %s%n", "--help", "show this help"));
        return sb.toString();
    }
}
