package io.github.cloudhsmdr.lambda;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.aws.AwsRegions;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The handler's configuration, read from environment variables named like the CLI's options:
 * {@code CLOUDHSM_DR_} and the option in upper case ({@code --look-back} is {@code CLOUDHSM_DR_LOOK_BACK}).
 * Blank values count as absent. Every error is an {@link IllegalArgumentException} whose message starts with the
 * variable, then names the value and what is allowed, e.g.
 * {@code CLOUDHSM_DR_LOOK_BACK: '2 weeks' is not a duration: use a whole number followed by d, h, m or s ...}.
 *
 * @param name               the replicator's name, the ownership tag value on its copies
 * @param sourceRegion       the region whose backups are copied
 * @param destinationRegions the regions copies go to
 * @param clusterIds         the clusters; empty for every cluster in the source region
 * @param selection          which backups are copied
 * @param waitForReady       how long a run waits for its copies to turn READY
 * @param copyTags           extra tags for every copy
 * @param rpoWarnAfter       recovery point age that is WARN
 * @param rpoCriticalAfter   recovery point age that is CRITICAL
 * @param retention          the retention policy, or {@code null} to keep every copy
 * @param failOnPartial      true to fail the invocation on a PARTIAL run too
 * @param endpoint           every call goes there (a VPC endpoint, an emulator), or {@code null} for the SDK's
 */
public record HandlerSettings(
        String name,
        String sourceRegion,
        List<String> destinationRegions,
        List<String> clusterIds,
        Selection selection,
        Duration waitForReady,
        Map<String, String> copyTags,
        Duration rpoWarnAfter,
        Duration rpoCriticalAfter,
        RetentionPolicy retention,
        boolean failOnPartial,
        URI endpoint) {

    /** Prefix of every variable; the rest is the CLI's option in upper case with {@code _} for {@code -}. */
    public static final String PREFIX = "CLOUDHSM_DR_";
    /** The replicator's name (default {@code default}). */
    public static final String NAME = PREFIX + "NAME";
    /** The source region (default: the function's own region, {@code AWS_REGION}). */
    public static final String SOURCE_REGION = PREFIX + "SOURCE_REGION";
    /** The destination regions, comma-separated (required). */
    public static final String DESTINATION_REGIONS = PREFIX + "DESTINATION_REGIONS";
    /** The clusters, comma-separated (default: every cluster in the source region). */
    public static final String CLUSTERS = PREFIX + "CLUSTERS";
    /** Copy backups created within this window, or {@code latest} (default {@code 14d}). */
    public static final String LOOK_BACK = PREFIX + "LOOK_BACK";
    /** {@code true}: copy only the newest backup per cluster (default {@code false}). */
    public static final String LATEST = PREFIX + "LATEST";
    /** Wait up to this long for new copies to turn READY (default {@code 0}). */
    public static final String WAIT_FOR_READY = PREFIX + "WAIT_FOR_READY";
    /** Extra tags for every copy, {@code k=v,k2=v2}. */
    public static final String COPY_TAGS = PREFIX + "COPY_TAGS";
    /** Recovery point age that is WARN (default {@code 28h}). */
    public static final String RPO_WARN = PREFIX + "RPO_WARN";
    /** Recovery point age that is CRITICAL (default {@code 32h}). */
    public static final String RPO_CRITICAL = PREFIX + "RPO_CRITICAL";
    /** Retention: the N newest copies per cluster and region. */
    public static final String KEEP_LAST = PREFIX + "KEEP_LAST";
    /** Retention: the newest copy of each of the last N days. */
    public static final String KEEP_DAILY = PREFIX + "KEEP_DAILY";
    /** Retention: the newest copy of each of the last N weeks. */
    public static final String KEEP_WEEKLY = PREFIX + "KEEP_WEEKLY";
    /** Retention: the newest copy of each of the last N months. */
    public static final String KEEP_MONTHLY = PREFIX + "KEEP_MONTHLY";
    /** Retention: the newest copy of each of the last N years. */
    public static final String KEEP_YEARLY = PREFIX + "KEEP_YEARLY";
    /** Retention: every copy made within this window before the newest. */
    public static final String KEEP_WITHIN = PREFIX + "KEEP_WITHIN";
    /** {@code true}: a PARTIAL run fails the invocation too (default {@code false}). */
    public static final String FAIL_ON_PARTIAL = PREFIX + "FAIL_ON_PARTIAL";
    /** Send every call to this endpoint (default: the SDK's endpoint of each region). */
    public static final String ENDPOINT_URL = PREFIX + "ENDPOINT_URL";
    /** Set by Lambda: the function's region, the default source region. */
    public static final String AWS_REGION = "AWS_REGION";

    /** Every variable the handler reads, in the order of the documentation. */
    public static final List<String> ALL = List.of(NAME, SOURCE_REGION, DESTINATION_REGIONS, CLUSTERS, LOOK_BACK,
            LATEST, WAIT_FOR_READY, COPY_TAGS, RPO_WARN, RPO_CRITICAL, KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY,
            KEEP_MONTHLY, KEEP_YEARLY, KEEP_WITHIN, FAIL_ON_PARTIAL, ENDPOINT_URL);

    private static final List<String> RETENTION = List.of(KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY,
            KEEP_YEARLY, KEEP_WITHIN);
    private static final Duration DEFAULT_RPO_WARN = Duration.ofHours(28);
    private static final Duration DEFAULT_RPO_CRITICAL = Duration.ofHours(32);
    private static final String DURATIONS = "use a whole number followed by d, h, m or s (14d, 36h, 30m, 1h30m), "
            + "or ISO-8601 such as PT30M";
    private static final Pattern SHORT = Pattern.compile("(?:\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    /** Copies the lists and maps; no other checks (see {@link #fromEnvironment}). */
    public HandlerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        destinationRegions = List.copyOf(destinationRegions);
        clusterIds = List.copyOf(clusterIds);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(waitForReady, "waitForReady");
        copyTags = Map.copyOf(copyTags);
        Objects.requireNonNull(rpoWarnAfter, "rpoWarnAfter");
        Objects.requireNonNull(rpoCriticalAfter, "rpoCriticalAfter");
    }

    /**
     * Reads and checks the settings; reads nothing but {@code environment} (no network).
     *
     * @param environment the environment, e.g. {@code System.getenv()}
     * @return the settings
     * @throws IllegalArgumentException naming the variable, its value and what is allowed
     */
    public static HandlerSettings fromEnvironment(Map<String, String> environment) {
        Env env = new Env(Objects.requireNonNull(environment, "environment"));
        String source = env.get(SOURCE_REGION).or(() -> env.get(AWS_REGION))
                .map(r -> region(SOURCE_REGION, r))
                .orElseThrow(() -> invalid(SOURCE_REGION, "is required (or AWS_REGION), e.g. us-east-1"));
        List<String> destinations = env.get(DESTINATION_REGIONS).map(v -> list(DESTINATION_REGIONS, v)).orElse(List.of())
                .stream().map(r -> region(DESTINATION_REGIONS, r)).toList();
        if (destinations.isEmpty()) {
            throw invalid(DESTINATION_REGIONS, "is required: give one or more regions separated by commas, "
                    + "e.g. us-west-2,eu-west-1");
        }
        boolean latest = env.get(LATEST).map(v -> bool(LATEST, v)).orElse(false);
        Optional<Selection> lookBack = env.get(LOOK_BACK).map(HandlerSettings::selection);
        if (latest && lookBack.isPresent() && !lookBack.get().latestOnly()) {
            throw invalid(LOOK_BACK, LATEST + " and " + LOOK_BACK + " " + env.get(LOOK_BACK).orElseThrow()
                    + " contradict each other: give one of them");
        }
        Selection selection = latest ? Selection.latest() : lookBack.orElse(Selection.defaults());
        Duration warn = env.get(RPO_WARN).map(v -> positiveDuration(RPO_WARN, v)).orElse(null);
        Duration critical = env.get(RPO_CRITICAL).map(v -> positiveDuration(RPO_CRITICAL, v)).orElse(null);
        if (warn == null) {
            warn = critical != null && critical.compareTo(DEFAULT_RPO_WARN) < 0 ? critical : DEFAULT_RPO_WARN;
        }
        if (critical == null) {
            critical = warn.compareTo(DEFAULT_RPO_CRITICAL) > 0 ? warn : DEFAULT_RPO_CRITICAL;
        }
        if (critical.compareTo(warn) < 0) {
            throw invalid(RPO_CRITICAL, "'" + env.get(RPO_CRITICAL).orElseThrow() + "' is shorter than the warning age "
                    + env.get(RPO_WARN).orElseThrow() + " (" + RPO_WARN + "): give at least as long");
        }
        HandlerSettings s = new HandlerSettings(
                env.get(NAME).orElse("default"),
                source,
                destinations,
                env.get(CLUSTERS).map(v -> list(CLUSTERS, v)).orElse(List.of()),
                selection,
                env.get(WAIT_FOR_READY).map(v -> duration(WAIT_FOR_READY, v)).orElse(Duration.ZERO),
                env.get(COPY_TAGS).map(v -> pairs(COPY_TAGS, v)).orElse(Map.of()),
                warn,
                critical,
                retention(env),
                env.get(FAIL_ON_PARTIAL).map(v -> bool(FAIL_ON_PARTIAL, v)).orElse(false),
                env.get(ENDPOINT_URL).map(v -> url(ENDPOINT_URL, v)).orElse(null));
        // the replicator builder's own rules, one setting at a time so a rejection names its variable
        s.check(NAME, b -> b.name(s.name));
        s.check(CLUSTERS, b -> b.clusterIds(s.clusterIds));
        s.check(COPY_TAGS, b -> b.copyTags(s.copyTags));
        s.check(WAIT_FOR_READY, b -> b.waitForReady(s.waitForReady));
        return s;
    }

    /**
     * @param builder a replicator builder
     * @return {@code builder} with these settings; the caller adds the store, clock, sleeper and listeners
     */
    public ReplicatorBuilder applyTo(ReplicatorBuilder builder) {
        builder.name(name)
                .sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions)
                .clusterIds(clusterIds)
                .selection(selection)
                .waitForReady(waitForReady)
                .copyTags(copyTags)
                .recoveryPointObjective(rpoWarnAfter, rpoCriticalAfter);
        if (retention != null) {
            builder.retentionPolicy(retention);
        }
        return builder;
    }

    private void check(String variable, Consumer<ReplicatorBuilder> apply) {
        ReplicatorBuilder b = BackupReplicator.builder().sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions);
        apply.accept(b);
        try {
            b.buildConfig();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
        }
    }

    private static RetentionPolicy retention(Env env) {
        List<String> given = RETENTION.stream().filter(v -> env.get(v).isPresent()).toList();
        if (given.isEmpty()) {
            return null;
        }
        RetentionPolicy.Builder b = RetentionPolicy.builder();
        env.get(KEEP_LAST).map(v -> count(KEEP_LAST, v)).ifPresent(b::keepLast);
        env.get(KEEP_DAILY).map(v -> count(KEEP_DAILY, v)).ifPresent(b::keepDaily);
        env.get(KEEP_WEEKLY).map(v -> count(KEEP_WEEKLY, v)).ifPresent(b::keepWeekly);
        env.get(KEEP_MONTHLY).map(v -> count(KEEP_MONTHLY, v)).ifPresent(b::keepMonthly);
        env.get(KEEP_YEARLY).map(v -> count(KEEP_YEARLY, v)).ifPresent(b::keepYearly);
        env.get(KEEP_WITHIN).map(v -> duration(KEEP_WITHIN, v)).ifPresent(b::keepWithin);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(given.get(0) + ": every keep setting given is 0, so nothing would "
                    + "be kept: give at least one positive count or window", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(given.get(0) + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------ parsers

    private static IllegalArgumentException invalid(String variable, String problem) {
        return new IllegalArgumentException(variable + ": " + problem);
    }

    private static Selection selection(String text) {
        return text.equalsIgnoreCase("latest") ? Selection.latest()
                : Selection.allWithin(positiveDuration(LOOK_BACK, text));
    }

    static Duration duration(String variable, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        try {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            if (SHORT.matcher(t).matches()) {
                Duration d = Duration.ZERO;
                Matcher m = PART.matcher(t);
                while (m.find()) {
                    long n = Long.parseLong(m.group(1));
                    d = d.plus(switch (m.group(2)) {
                        case "d" -> Duration.ofDays(n);
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
                }
                return d;
            }
            if (t.startsWith("p")) {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(variable + ": '" + text + "' is not a duration: " + DURATIONS, e);
        }
        throw invalid(variable, "'" + text + "' is not a duration: " + DURATIONS);
    }

    private static Duration positiveDuration(String variable, String text) {
        Duration d = duration(variable, text);
        if (d.isZero()) {
            throw invalid(variable, "'" + text + "' is zero: give a positive duration such as 30m");
        }
        return d;
    }

    private static String region(String variable, String text) {
        if (AwsRegions.partitionOf(text).isEmpty()) {
            throw invalid(variable, "'" + text + "' is not a region the AWS SDK knows (e.g. us-west-2)");
        }
        return text;
    }

    private static List<String> list(String variable, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw invalid(variable, "'" + text + "' has an empty element: separate values with single commas");
            }
            if (out.contains(p)) {
                throw invalid(variable, "'" + text + "' lists '" + p + "' twice: give each value once");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static int count(String variable, String text) {
        if (text.equalsIgnoreCase("unlimited")) {
            return RetentionPolicy.UNLIMITED;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(variable, "'" + text + "' is not a count: use a whole number of at least 0, or unlimited");
    }

    private static boolean bool(String variable, String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(variable, "'" + text + "' is not a boolean: use true or false");
    }

    private static Map<String, String> pairs(String variable, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : list(variable, text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw invalid(variable, "'" + pair + "' is not key=value: write e.g. team=payments,env=prod");
            }
            String k = pair.substring(0, eq).trim();
            if (out.put(k, pair.substring(eq + 1).trim()) != null) {
                throw invalid(variable, "key '" + k + "' is given twice");
            }
        }
        return out;
    }

    private static URI url(String variable, String text) {
        String problem = "'" + text + "' is not an http(s) URL such as http://127.0.0.1:4566";
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(variable + ": " + problem, e);
        }
        throw invalid(variable, problem);
    }

    /** The environment, blank values as absent, values trimmed. */
    private record Env(Map<String, String> values) {
        Optional<String> get(String variable) {
            String v = values.get(variable);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }
    }
}
