package io.github.cloudhsmdr.examples.support;

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
            new Option(ReplicatorSettings.SOURCE_REGION, "REGION", "region whose backups are copied (required)"),
            new Option(ReplicatorSettings.DESTINATION_REGIONS, "R1,R2", "regions to copy to (required)"),
            new Option(ReplicatorSettings.CLUSTERS, "ID,ID", "clusters (default: every cluster in the source region)"),
            new Option(ReplicatorSettings.NAME, "NAME", "replicator name, the ownership tag value (default: default)"),
            new Option(ReplicatorSettings.LOOK_BACK, "DURATION", "copy READY backups made within this window (default: 14d)"),
            new Option("latest", null, "copy only the newest READY backup per cluster"),
            new Option(ReplicatorSettings.WAIT_FOR_READY, "DURATION", "wait for new copies to turn READY (default: 0)"),
            new Option(ReplicatorSettings.COPY_TAGS, "K=V,K=V", "extra tags for every copy"),
            new Option(ReplicatorSettings.KEEP_LAST, "N", "retention: keep the N newest copies"),
            new Option(ReplicatorSettings.KEEP_DAILY, "N", "retention: keep the newest copy of each of the last N days"),
            new Option(ReplicatorSettings.KEEP_WEEKLY, "N", "retention: keep the newest copy of each of the last N weeks"),
            new Option(ReplicatorSettings.KEEP_MONTHLY, "N", "retention: keep the newest copy of each of the last N months"),
            new Option(ReplicatorSettings.KEEP_YEARLY, "N", "retention: keep the newest copy of each of the last N years"),
            new Option(ReplicatorSettings.KEEP_WITHIN, "DURATION", "retention: keep every copy made within this window"),
            new Option(Stores.ENDPOINT, "URL", "send every call to this endpoint, e.g. an emulator"),
            new Option(Stores.PROFILE, "NAME", "credentials from this AWS profile (default: the SDK's default chain)"));

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
        if (values.remove("latest") != null) {
            if (values.containsKey(ReplicatorSettings.LOOK_BACK)) {
                throw new ConfigurationException("--latest", "contradicts --look-back "
                        + values.get(ReplicatorSettings.LOOK_BACK) + ": give one of them");
            }
            values.put(ReplicatorSettings.LOOK_BACK, ReplicatorSettings.LATEST);
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
