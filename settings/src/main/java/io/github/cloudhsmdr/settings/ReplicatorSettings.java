package io.github.cloudhsmdr.settings;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsRegions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The replicator settings shared by the cloudhsm-dr programs (the CLI's options, the Lambda handler's environment
 * variables): their names ({@link Setting}), defaults, parsing and validation messages, and how they are applied
 * to a {@link ReplicatorBuilder}. A host that reads environment variables calls {@link #fromEnvironment(Map)}; the
 * CLI parses its options with the same parsers ({@link #parseDuration}, {@link #parseRegion}, …) and calls
 * {@link #builder()}. Immutable and thread-safe; the builder is not thread-safe.
 */
public final class ReplicatorSettings {
    /**
     * The replicator builder's defaults, read from a config built with nothing but the required regions, so the
     * defaults of the settings below are the library's own and cannot drift from it.
     */
    private static final ReplicatorConfig LIBRARY_DEFAULTS = BackupReplicator.builder().sourceRegion("us-east-1")
            .destinationRegions(List.of("us-west-2")).buildConfig();

    /** The replicator's name, the value of the ownership tag on its copies. */
    public static final Setting NAME = new Setting("name",
            "replicator name: the value of the ownership tag on its copies; retention only deletes copies with this "
                    + "name", "default");
    /** The region whose backups are copied. */
    public static final Setting SOURCE_REGION = new Setting("source-region",
            "region whose backups are copied (required)", null);
    /** The regions copies go to. */
    public static final Setting DESTINATION_REGIONS = new Setting("destination-regions",
            "regions to copy to, separated by commas (required)", null);
    /** The clusters to replicate. */
    public static final Setting CLUSTERS = new Setting("clusters",
            "clusters to replicate, separated by commas (default: every cluster in the source region)", null);
    /** How far back backups are selected. */
    public static final Setting LOOK_BACK = new Setting("look-back",
            "copy READY backups created within this window, or 'latest' for the newest one per cluster", "14d");
    /** Only the newest backup per cluster. */
    public static final Setting LATEST = new Setting("latest",
            "copy only the newest READY backup per cluster (same as look-back latest)", "false");
    /** How long a run waits for its copies to turn READY. */
    public static final Setting WAIT_FOR_READY = new Setting("wait-for-ready",
            "wait up to this long for new copies to turn READY; 0 does not wait", "0");
    /** Extra tags for every copy. */
    public static final Setting COPY_TAGS = new Setting("copy-tags",
            "extra tags for every copy, key=value separated by commas", null);
    /** Recovery point age that is WARN. */
    public static final Setting RPO_WARN = new Setting("rpo-warn",
            "age after which a recovery point is WARN", "28h");
    /** Recovery point age that is CRITICAL. */
    public static final Setting RPO_CRITICAL = new Setting("rpo-critical",
            "age after which a recovery point is CRITICAL (at least the warning age)", "32h");
    /** How many destination regions a run works on at once ({@link ReplicatorBuilder#maxConcurrentDestinations}). */
    public static final Setting MAX_CONCURRENT_DESTINATIONS = new Setting("max-concurrent-destinations",
            "how many destination regions a run works on at once, 1 to "
                    + ReplicatorBuilder.MAX_CONCURRENT_DESTINATIONS,
            Integer.toString(LIBRARY_DEFAULTS.maxConcurrentDestinations()));
    /** The most calls sent to one region at once ({@link ReplicatorBuilder#maxConcurrentCallsPerRegion}). */
    public static final Setting MAX_CONCURRENT_CALLS_PER_REGION = new Setting("max-concurrent-calls-per-region",
            "the most calls sent to one region at once, 1 to " + ReplicatorBuilder.MAX_CONCURRENT_CALLS_PER_REGION
                    + ": the ceiling of a limit that starts at 2, grows "
                    + "while calls succeed and halves when the region throttles; lower it to leave room for other "
                    + "tools calling the same account",
            Integer.toString(LIBRARY_DEFAULTS.maxConcurrentCallsPerRegion()));
    /** Retention: the newest N copies. */
    public static final Setting KEEP_LAST = new Setting("keep-last",
            "retention: keep the N newest copies per cluster and region (a count or 'unlimited')", null);
    /** Retention: one copy a day. */
    public static final Setting KEEP_DAILY = new Setting("keep-daily",
            "retention: keep the newest copy of each of the last N days", null);
    /** Retention: one copy a week. */
    public static final Setting KEEP_WEEKLY = new Setting("keep-weekly",
            "retention: keep the newest copy of each of the last N weeks", null);
    /** Retention: one copy a month. */
    public static final Setting KEEP_MONTHLY = new Setting("keep-monthly",
            "retention: keep the newest copy of each of the last N months", null);
    /** Retention: one copy a year. */
    public static final Setting KEEP_YEARLY = new Setting("keep-yearly",
            "retention: keep the newest copy of each of the last N years", null);
    /** Retention: every copy within a window. */
    public static final Setting KEEP_WITHIN = new Setting("keep-within",
            "retention: keep every copy made within this window before the newest copy", null);

    /** The most each limit setting allows, as the replicator builder checks it. */
    private static final Map<Setting, Integer> LIMITS = Map.of(
            MAX_CONCURRENT_DESTINATIONS, ReplicatorBuilder.MAX_CONCURRENT_DESTINATIONS,
            MAX_CONCURRENT_CALLS_PER_REGION, ReplicatorBuilder.MAX_CONCURRENT_CALLS_PER_REGION);

    /** The retention settings; retention is on when any of them is given, and every copy is kept otherwise. */
    public static final List<Setting> RETENTION = List.of(KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY,
            KEEP_YEARLY, KEEP_WITHIN);
    /** Every setting, in the order of the documentation. */
    public static final List<Setting> ALL = List.of(NAME, SOURCE_REGION, DESTINATION_REGIONS, CLUSTERS, LOOK_BACK,
            LATEST, WAIT_FOR_READY, COPY_TAGS, RPO_WARN, RPO_CRITICAL, MAX_CONCURRENT_DESTINATIONS,
            MAX_CONCURRENT_CALLS_PER_REGION, KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY,
            KEEP_WITHIN);

    /** The value of {@link #LOOK_BACK} that means {@link Selection#latest()}. */
    public static final String LATEST_VALUE = "latest";
    /** A count of {@code unlimited}, as {@link RetentionPolicy#UNLIMITED}. */
    public static final String UNLIMITED = "unlimited";

    private static final Duration DEFAULT_RPO_WARN = Duration.ofHours(28);
    private static final Duration DEFAULT_RPO_CRITICAL = Duration.ofHours(32);

    private final String name;
    private final String sourceRegion;
    private final List<String> destinationRegions;
    private final List<String> clusterIds;
    private final Selection selection;
    private final Duration waitForReady;
    private final Map<String, String> copyTags;
    private final Duration rpoWarnAfter;
    private final Duration rpoCriticalAfter;
    private final int maxConcurrentDestinations;
    private final int maxConcurrentCallsPerRegion;
    private final RetentionPolicy retention;

    private ReplicatorSettings(Builder b, Selection selection, Duration warn, Duration critical,
            RetentionPolicy retention) {
        this.name = b.name == null ? NAME.defaultText() : b.name;
        this.sourceRegion = b.sourceRegion;
        this.destinationRegions = List.copyOf(b.destinationRegions);
        this.clusterIds = List.copyOf(b.clusterIds);
        this.selection = selection;
        this.waitForReady = b.waitForReady == null ? Duration.ZERO : b.waitForReady;
        this.copyTags = Map.copyOf(b.copyTags);
        this.rpoWarnAfter = warn;
        this.rpoCriticalAfter = critical;
        this.maxConcurrentDestinations = b.maxConcurrentDestinations == null
                ? LIBRARY_DEFAULTS.maxConcurrentDestinations() : b.maxConcurrentDestinations;
        this.maxConcurrentCallsPerRegion = b.maxConcurrentCallsPerRegion == null
                ? LIBRARY_DEFAULTS.maxConcurrentCallsPerRegion() : b.maxConcurrentCallsPerRegion;
        this.retention = retention;
    }

    /** @return a builder for settings given as command-line options */
    public static Builder builder() {
        return new Builder(Setting.Naming.OPTION);
    }

    /**
     * @param naming how errors name the settings
     * @return a builder
     */
    public static Builder builder(Setting.Naming naming) {
        return new Builder(Objects.requireNonNull(naming, "naming"));
    }

    /**
     * Reads the settings from environment variables ({@link Setting#environmentVariable()}); blank values count as
     * absent.
     *
     * @param environment the environment, e.g. {@code System.getenv()}
     * @return the settings
     * @throws InvalidSettingException naming the variable, its value and what is allowed
     */
    public static ReplicatorSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return read(s -> environment.get(s.environmentVariable()), Setting.Naming.ENVIRONMENT);
    }

    /**
     * Reads the settings from values by {@link Setting#key()} ({@code look-back}, …), e.g. command-line options a
     * host parsed itself; errors name the options ({@code --look-back}). Blank values count as absent.
     *
     * @param values the values by key
     * @return the settings
     * @throws InvalidSettingException naming the option, its value and what is allowed
     */
    public static ReplicatorSettings fromOptions(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        return read(s -> values.get(s.key()), Setting.Naming.OPTION);
    }

    private static ReplicatorSettings read(Function<Setting, String> values, Setting.Naming naming) {
        Builder b = builder(naming);
        read(values, NAME, v -> b.name(v));
        read(values, SOURCE_REGION, v -> b.sourceRegion(parseRegion(SOURCE_REGION, naming, v)));
        read(values, DESTINATION_REGIONS, v -> b.destinationRegions(parseRegions(DESTINATION_REGIONS, naming, v)));
        read(values, CLUSTERS, v -> b.clusterIds(parseList(CLUSTERS, naming, v)));
        read(values, LOOK_BACK, v -> b.lookBack(parseSelection(LOOK_BACK, naming, v)));
        read(values, LATEST, v -> b.latest(parseBoolean(LATEST, naming, v)));
        read(values, WAIT_FOR_READY, v -> b.waitForReady(parseDuration(WAIT_FOR_READY, naming, v)));
        read(values, COPY_TAGS, v -> b.copyTags(parsePairs(COPY_TAGS, naming, v)));
        read(values, RPO_WARN, v -> b.rpoWarnAfter(parsePositiveDuration(RPO_WARN, naming, v)));
        read(values, RPO_CRITICAL, v -> b.rpoCriticalAfter(parsePositiveDuration(RPO_CRITICAL, naming, v)));
        read(values, MAX_CONCURRENT_DESTINATIONS, v -> b.maxConcurrentDestinations(
                parseLimit(MAX_CONCURRENT_DESTINATIONS, naming, v)));
        read(values, MAX_CONCURRENT_CALLS_PER_REGION, v -> b.maxConcurrentCallsPerRegion(
                parseLimit(MAX_CONCURRENT_CALLS_PER_REGION, naming, v)));
        for (Setting keep : RETENTION) {
            read(values, keep, v -> b.keep(keep, keep == KEEP_WITHIN ? parseDuration(keep, naming, v)
                    : parseCount(keep, naming, v)));
        }
        return b.build();
    }

    private static void read(Function<Setting, String> values, Setting setting, Consumer<String> apply) {
        String v = values.apply(setting);
        if (v != null && !v.isBlank()) {
            apply.accept(v.trim());
        }
    }

    // ------------------------------------------------------------------------------------------ parsers

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the duration
     * @throws InvalidSettingException when {@code text} is not a duration ({@link Durations#parse})
     */
    public static Duration parseDuration(Setting setting, Setting.Naming naming, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, naming, e.getMessage(), e);
        }
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the duration
     * @throws InvalidSettingException when {@code text} is not a duration or is zero
     */
    public static Duration parsePositiveDuration(Setting setting, Setting.Naming naming, String text) {
        Duration d = parseDuration(setting, naming, text);
        if (d.isZero()) {
            throw new InvalidSettingException(setting, naming, "'" + text
                    + "' is zero: give a positive duration such as 30m");
        }
        return d;
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return {@link Selection#latest()} for {@code latest}, else {@link Selection#allWithin} the duration
     * @throws InvalidSettingException when {@code text} is neither, or is zero
     */
    public static Selection parseSelection(Setting setting, Setting.Naming naming, String text) {
        if (text.trim().equalsIgnoreCase(LATEST_VALUE)) {
            return Selection.latest();
        }
        return Selection.allWithin(parsePositiveDuration(setting, naming, text));
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the region id
     * @throws InvalidSettingException when the AWS SDK does not know the region
     */
    public static String parseRegion(Setting setting, Setting.Naming naming, String text) {
        String region = text.trim();
        if (AwsRegions.partitionOf(region).isEmpty()) {
            throw new InvalidSettingException(setting, naming, "'" + region
                    + "' is not a region the AWS SDK knows (e.g. us-west-2)");
        }
        return region;
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the regions of a comma-separated list
     * @throws InvalidSettingException naming the first bad element
     */
    public static List<String> parseRegions(Setting setting, Setting.Naming naming, String text) {
        return parseList(setting, naming, text).stream().map(r -> parseRegion(setting, naming, r)).toList();
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the trimmed elements of a comma-separated list
     * @throws InvalidSettingException when an element is empty or listed twice
     */
    public static List<String> parseList(Setting setting, Setting.Naming naming, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new InvalidSettingException(setting, naming, "'" + text
                        + "' has an empty element: separate values with single commas");
            }
            if (out.contains(p)) {
                throw new InvalidSettingException(setting, naming, "'" + text + "' lists '" + p
                        + "' twice: give each value once");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return a count: a whole number of at least 0, or {@link RetentionPolicy#UNLIMITED} for {@code unlimited}
     * @throws InvalidSettingException when {@code text} is neither
     */
    public static int parseCount(Setting setting, Setting.Naming naming, String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase(UNLIMITED)) {
            return RetentionPolicy.UNLIMITED;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSettingException(setting, naming, "'" + text
                + "' is not a count: use a whole number of at least 0, or unlimited");
    }

    /**
     * Reads a limit such as {@link #MAX_CONCURRENT_DESTINATIONS}: a whole number (the error for one that is not
     * names the range). Its range is checked with the replicator builder's own rules when the settings are built
     * ({@link Builder#build()}), so an out-of-range value, small or large, gets the builder's message.
     *
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return the number, not yet checked against the setting's range
     * @throws InvalidSettingException when {@code text} is not a whole number, or lies beyond {@code int}
     */
    public static int parseLimit(Setting setting, Setting.Naming naming, String text) {
        String t = text.trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            String problem = !t.matches("[+-]?\\d+") ? "is not a whole number"
                    : t.startsWith("-") ? "is too small" : "is too large";
            Integer most = LIMITS.get(setting);
            String allowed = (most == null ? "use a whole number of at least 1" : "use a whole number from 1 to " + most)
                    + (setting.defaultText() == null ? "" : ", e.g. " + setting.defaultText() + " (the default)");
            throw new InvalidSettingException(setting, naming, "'" + text + "' " + problem + ": " + allowed, e);
        }
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return {@code true} or {@code false}
     * @throws InvalidSettingException when {@code text} is neither
     */
    public static boolean parseBoolean(Setting setting, Setting.Naming naming, String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new InvalidSettingException(setting, naming, "'" + text + "' is not a boolean: use true or false");
    }

    /**
     * @param setting the setting the text is the value of
     * @param naming  how errors name the setting
     * @param text    the value
     * @return {@code key=value} pairs of a comma-separated list, in order
     * @throws InvalidSettingException when a pair has no {@code =} or no key, or a key comes twice
     */
    public static Map<String, String> parsePairs(Setting setting, Setting.Naming naming, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : parseList(setting, naming, text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidSettingException(setting, naming, "'" + pair
                        + "' is not key=value: write e.g. team=payments,env=prod");
            }
            String k = pair.substring(0, eq).trim();
            if (out.put(k, pair.substring(eq + 1).trim()) != null) {
                throw new InvalidSettingException(setting, naming, "key '" + k + "' is given twice");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ values

    /** @return the replicator's name */
    public String name() {
        return name;
    }

    /** @return the source region */
    public String sourceRegion() {
        return sourceRegion;
    }

    /** @return the destination regions */
    public List<String> destinationRegions() {
        return destinationRegions;
    }

    /** @return the clusters; empty for every cluster in the source region */
    public List<String> clusterIds() {
        return clusterIds;
    }

    /** @return which backups are copied */
    public Selection selection() {
        return selection;
    }

    /** @return how long a run waits for its copies to turn READY */
    public Duration waitForReady() {
        return waitForReady;
    }

    /** @return the extra copy tags */
    public Map<String, String> copyTags() {
        return copyTags;
    }

    /** @return the recovery point age that is WARN */
    public Duration rpoWarnAfter() {
        return rpoWarnAfter;
    }

    /** @return the recovery point age that is CRITICAL */
    public Duration rpoCriticalAfter() {
        return rpoCriticalAfter;
    }

    /** @return how many destination regions a run works on at once */
    public int maxConcurrentDestinations() {
        return maxConcurrentDestinations;
    }

    /** @return the most calls sent to one region at once: the ceiling of the adaptive per-region limit */
    public int maxConcurrentCallsPerRegion() {
        return maxConcurrentCallsPerRegion;
    }

    /** @return the retention policy, or empty to keep every copy */
    public Optional<RetentionPolicy> retention() {
        return Optional.ofNullable(retention);
    }

    /**
     * Applies these settings to {@code builder}; the caller adds the store, clock, sleeper and listeners.
     *
     * @param builder the builder
     * @return {@code builder}
     */
    public ReplicatorBuilder applyTo(ReplicatorBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        builder.name(name)
                .sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions)
                .clusterIds(clusterIds)
                .selection(selection)
                .waitForReady(waitForReady)
                .copyTags(copyTags)
                .recoveryPointObjective(rpoWarnAfter, rpoCriticalAfter)
                .maxConcurrentDestinations(maxConcurrentDestinations)
                .maxConcurrentCallsPerRegion(maxConcurrentCallsPerRegion);
        if (retention != null) {
            builder.retentionPolicy(retention);
        }
        return builder;
    }

    /**
     * Collects settings and checks them together in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final Setting.Naming naming;
        private String name;
        private String sourceRegion;
        private List<String> destinationRegions = List.of();
        private List<String> clusterIds = List.of();
        private Selection lookBack;
        private boolean latest;
        private Duration waitForReady;
        private Map<String, String> copyTags = Map.of();
        private Duration rpoWarnAfter;
        private Duration rpoCriticalAfter;
        private Integer maxConcurrentDestinations;
        private Integer maxConcurrentCallsPerRegion;
        private final Map<Setting, Object> keep = new LinkedHashMap<>();

        private Builder(Setting.Naming naming) {
            this.naming = naming;
        }

        /**
         * @param v the name, or {@code null} for {@code default}
         * @return this
         */
        public Builder name(String v) {
            this.name = v;
            return this;
        }

        /**
         * @param v the source region, or {@code null}
         * @return this
         */
        public Builder sourceRegion(String v) {
            this.sourceRegion = v;
            return this;
        }

        /**
         * @param v the destination regions, or {@code null}
         * @return this
         */
        public Builder destinationRegions(List<String> v) {
            this.destinationRegions = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        /**
         * @param v the clusters, or {@code null} for every cluster
         * @return this
         */
        public Builder clusterIds(List<String> v) {
            this.clusterIds = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        /**
         * @param v the look-back selection, or {@code null} for the default 14 days
         * @return this
         */
        public Builder lookBack(Selection v) {
            this.lookBack = v;
            return this;
        }

        /**
         * @param v true to copy only the newest backup per cluster
         * @return this
         */
        public Builder latest(boolean v) {
            this.latest = v;
            return this;
        }

        /**
         * @param v the wait for READY, or {@code null} for none
         * @return this
         */
        public Builder waitForReady(Duration v) {
            this.waitForReady = v;
            return this;
        }

        /**
         * @param v extra copy tags, or {@code null}
         * @return this
         */
        public Builder copyTags(Map<String, String> v) {
            this.copyTags = v == null ? Map.of() : new LinkedHashMap<>(v);
            return this;
        }

        /**
         * @param v the RPO warning age, or {@code null} for the default
         * @return this
         */
        public Builder rpoWarnAfter(Duration v) {
            this.rpoWarnAfter = v;
            return this;
        }

        /**
         * @param v the RPO critical age, or {@code null} for the default
         * @return this
         */
        public Builder rpoCriticalAfter(Duration v) {
            this.rpoCriticalAfter = v;
            return this;
        }

        /**
         * @param v how many destination regions a run works on at once, or {@code null} for the library's default
         *          ({@link #MAX_CONCURRENT_DESTINATIONS}); the range is checked in {@link #build()}
         * @return this
         */
        public Builder maxConcurrentDestinations(Integer v) {
            this.maxConcurrentDestinations = v;
            return this;
        }

        /**
         * @param v the most calls sent to one region at once, or {@code null} for the library's default
         *          ({@link #MAX_CONCURRENT_CALLS_PER_REGION}); the range is checked in {@link #build()}
         * @return this
         */
        public Builder maxConcurrentCallsPerRegion(Integer v) {
            this.maxConcurrentCallsPerRegion = v;
            return this;
        }

        /**
         * @param setting one of {@link #RETENTION}
         * @param value   an {@link Integer} count for the counts, a {@link Duration} for {@link #KEEP_WITHIN}, or
         *                {@code null} when not given
         * @return this
         */
        public Builder keep(Setting setting, Object value) {
            if (!RETENTION.contains(setting)) {
                throw new IllegalArgumentException("setting " + setting.key() + " is not a retention setting");
            }
            if (value == null) {
                keep.remove(setting);
            } else {
                keep.put(setting, value);
            }
            return this;
        }

        /**
         * Checks the settings together, with the replicator builder's own rules.
         *
         * @return the settings
         * @throws InvalidSettingException naming the setting that is missing or wrong
         */
        public ReplicatorSettings build() {
            if (sourceRegion == null) {
                throw invalid(SOURCE_REGION, "is required, e.g. us-east-1");
            }
            if (destinationRegions.isEmpty()) {
                throw invalid(DESTINATION_REGIONS, "is required: give one or more regions separated by commas, "
                        + "e.g. us-west-2,eu-west-1");
            }
            if (latest && lookBack != null && !lookBack.latestOnly()) {
                throw invalid(LOOK_BACK, naming.nameOf(LATEST) + " and " + naming.nameOf(LOOK_BACK) + " "
                        + Durations.compact(lookBack.lookBack()) + " contradict each other: give one of them");
            }
            Selection selection = latest ? Selection.latest() : lookBack != null ? lookBack : Selection.defaults();
            Duration warn = rpoWarnAfter;
            Duration critical = rpoCriticalAfter;
            if (warn == null) {
                warn = critical != null && critical.compareTo(DEFAULT_RPO_WARN) < 0 ? critical : DEFAULT_RPO_WARN;
            }
            if (critical == null) {
                critical = warn.compareTo(DEFAULT_RPO_CRITICAL) > 0 ? warn : DEFAULT_RPO_CRITICAL;
            }
            if (critical.compareTo(warn) < 0) {
                throw invalid(RPO_CRITICAL, "'" + Durations.compact(critical) + "' is shorter than the warning age "
                        + Durations.compact(warn) + " (" + naming.nameOf(RPO_WARN) + "): give at least as long");
            }
            ReplicatorSettings settings = new ReplicatorSettings(this, selection, warn, critical, retention());
            check(DESTINATION_REGIONS, b -> { });
            check(NAME, b -> b.name(settings.name));
            check(CLUSTERS, b -> b.clusterIds(settings.clusterIds));
            check(COPY_TAGS, b -> b.copyTags(settings.copyTags));
            check(WAIT_FOR_READY, b -> b.waitForReady(settings.waitForReady));
            check(MAX_CONCURRENT_DESTINATIONS, b -> b.maxConcurrentDestinations(settings.maxConcurrentDestinations));
            check(MAX_CONCURRENT_CALLS_PER_REGION,
                    b -> b.maxConcurrentCallsPerRegion(settings.maxConcurrentCallsPerRegion));
            return settings;
        }

        /**
         * Checks one setting with {@link ReplicatorBuilder#buildConfig()}, the others left at valid values, so that
         * a rejection is known to be about that setting.
         */
        private void check(Setting setting, Consumer<ReplicatorBuilder> apply) {
            ReplicatorBuilder b = BackupReplicator.builder().sourceRegion(sourceRegion)
                    .destinationRegions(destinationRegions);
            apply.accept(b);
            try {
                b.buildConfig();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new InvalidSettingException(setting, naming, e.getMessage(), e);
            }
        }

        private RetentionPolicy retention() {
            if (keep.isEmpty()) {
                return null;
            }
            RetentionPolicy.Builder b = RetentionPolicy.builder();
            keep.forEach((setting, value) -> {
                if (setting == KEEP_WITHIN) {
                    b.keepWithin((Duration) value);
                } else {
                    int n = (Integer) value;
                    if (setting == KEEP_LAST) {
                        b.keepLast(n);
                    } else if (setting == KEEP_DAILY) {
                        b.keepDaily(n);
                    } else if (setting == KEEP_WEEKLY) {
                        b.keepWeekly(n);
                    } else if (setting == KEEP_MONTHLY) {
                        b.keepMonthly(n);
                    } else {
                        b.keepYearly(n);
                    }
                }
            });
            Setting first = keep.keySet().iterator().next();
            try {
                return b.build();
            } catch (IllegalStateException e) {
                throw new InvalidSettingException(first, naming, "every keep setting given is 0, so nothing would "
                        + "be kept: give at least one positive count or window", e);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(first, naming, e.getMessage(), e);
            }
        }

        private InvalidSettingException invalid(Setting setting, String problem) {
            return new InvalidSettingException(setting, naming, problem);
        }
    }
}
