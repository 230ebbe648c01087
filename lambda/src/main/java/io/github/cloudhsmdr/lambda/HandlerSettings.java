package io.github.cloudhsmdr.lambda;

import io.github.cloudhsmdr.settings.Endpoints;
import io.github.cloudhsmdr.settings.InvalidSettingException;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The handler's configuration, read from environment variables named like the CLI's options:
 * {@code CLOUDHSM_DR_} and the option in upper case ({@code --look-back} is {@code CLOUDHSM_DR_LOOK_BACK}).
 * The replicator settings are read by {@link ReplicatorSettings#fromEnvironment(Map)}, so their names, defaults and
 * messages are the CLI's; this class adds what only the handler has: the source region defaults to the function's
 * own ({@code AWS_REGION}), {@link #FAIL_ON_PARTIAL} and {@link #ENDPOINT_URL}. Blank values count as absent. Every
 * error is an {@link IllegalArgumentException} ({@link InvalidSettingException}) whose message starts with the
 * variable, then names the value and what is allowed, e.g.
 * {@code CLOUDHSM_DR_LOOK_BACK: '2 weeks' is not a duration: use a whole number followed by d, h, m or s ...}.
 *
 * @param replicator    the replicator settings, shared with the CLI
 * @param failOnPartial true to fail the invocation on a PARTIAL run too
 * @param endpoint      every call goes there (a VPC endpoint, an emulator), or {@code null} for the SDK's
 */
public record HandlerSettings(ReplicatorSettings replicator, boolean failOnPartial, URI endpoint) {

    /** Prefix of every variable; the rest is the CLI's option in upper case with {@code _} for {@code -}. */
    public static final String PREFIX = Setting.ENV_PREFIX;
    /** The replicator's name (default {@code default}). */
    public static final String NAME = ReplicatorSettings.NAME.environmentVariable();
    /** The source region (default: the function's own region, {@code AWS_REGION}). */
    public static final String SOURCE_REGION = ReplicatorSettings.SOURCE_REGION.environmentVariable();
    /** The destination regions, comma-separated (required). */
    public static final String DESTINATION_REGIONS = ReplicatorSettings.DESTINATION_REGIONS.environmentVariable();
    /** The clusters, comma-separated (default: every cluster in the source region). */
    public static final String CLUSTERS = ReplicatorSettings.CLUSTERS.environmentVariable();
    /** Copy backups created within this window, or {@code latest} (default {@code 14d}). */
    public static final String LOOK_BACK = ReplicatorSettings.LOOK_BACK.environmentVariable();
    /** {@code true}: copy only the newest backup per cluster (default {@code false}). */
    public static final String LATEST = ReplicatorSettings.LATEST.environmentVariable();
    /** Wait up to this long for new copies to turn READY (default {@code 0}). */
    public static final String WAIT_FOR_READY = ReplicatorSettings.WAIT_FOR_READY.environmentVariable();
    /** Extra tags for every copy, {@code k=v,k2=v2}. */
    public static final String COPY_TAGS = ReplicatorSettings.COPY_TAGS.environmentVariable();
    /** Recovery point age that is WARN (default {@code 28h}). */
    public static final String RPO_WARN = ReplicatorSettings.RPO_WARN.environmentVariable();
    /** Recovery point age that is CRITICAL (default {@code 32h}). */
    public static final String RPO_CRITICAL = ReplicatorSettings.RPO_CRITICAL.environmentVariable();
    /** How many destination regions a run works on at once, 1 to 64 (default {@code 4}). */
    public static final String MAX_CONCURRENT_DESTINATIONS =
            ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS.environmentVariable();
    /**
     * The most calls sent to one region at once, 1 to 16 (default {@code 8}): the ceiling of a limit that adapts to
     * the region's throttling.
     */
    public static final String MAX_CONCURRENT_CALLS_PER_REGION =
            ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION.environmentVariable();
    /** Retention: the N newest copies per cluster and region. */
    public static final String KEEP_LAST = ReplicatorSettings.KEEP_LAST.environmentVariable();
    /** Retention: the newest copy of each of the last N days. */
    public static final String KEEP_DAILY = ReplicatorSettings.KEEP_DAILY.environmentVariable();
    /** Retention: the newest copy of each of the last N weeks. */
    public static final String KEEP_WEEKLY = ReplicatorSettings.KEEP_WEEKLY.environmentVariable();
    /** Retention: the newest copy of each of the last N months. */
    public static final String KEEP_MONTHLY = ReplicatorSettings.KEEP_MONTHLY.environmentVariable();
    /** Retention: the newest copy of each of the last N years. */
    public static final String KEEP_YEARLY = ReplicatorSettings.KEEP_YEARLY.environmentVariable();
    /** Retention: every copy made within this window before the newest. */
    public static final String KEEP_WITHIN = ReplicatorSettings.KEEP_WITHIN.environmentVariable();

    /** The handler's own setting: a PARTIAL run fails the invocation too. */
    private static final Setting FAIL_ON_PARTIAL_SETTING = new Setting("fail-on-partial",
            "true: a PARTIAL run fails the invocation too", "false");
    /** The handler's own setting: every call goes to this endpoint. */
    private static final Setting ENDPOINT_URL_SETTING = new Setting("endpoint-url",
            "send every call to this endpoint (a VPC endpoint, an emulator): " + Endpoints.ALLOWED, null);

    /** {@code true}: a PARTIAL run fails the invocation too (default {@code false}). */
    public static final String FAIL_ON_PARTIAL = FAIL_ON_PARTIAL_SETTING.environmentVariable();
    /** Send every call to this endpoint (default: the SDK's endpoint of each region). */
    public static final String ENDPOINT_URL = ENDPOINT_URL_SETTING.environmentVariable();
    /** Set by Lambda: the function's region, the default source region. */
    public static final String AWS_REGION = "AWS_REGION";

    /** Every variable the handler reads, in the order of the documentation. */
    public static final List<String> ALL = Stream.concat(
            ReplicatorSettings.ALL.stream().map(Setting::environmentVariable),
            Stream.of(FAIL_ON_PARTIAL, ENDPOINT_URL)).toList();

    private static final Setting.Naming ENV = Setting.Naming.ENVIRONMENT;

    /** Checks that the replicator settings are given; no other checks (see {@link #fromEnvironment}). */
    public HandlerSettings {
        Objects.requireNonNull(replicator, "replicator");
    }

    /**
     * Reads and checks the settings; reads nothing but {@code environment} (no network).
     *
     * @param environment the environment, e.g. {@code System.getenv()}
     * @return the settings
     * @throws IllegalArgumentException naming the variable, its value and what is allowed
     */
    public static HandlerSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        Map<String, String> env = new HashMap<>(environment);
        if (isBlank(env.get(SOURCE_REGION))) {
            String own = env.get(AWS_REGION);
            if (isBlank(own)) {
                throw new InvalidSettingException(ReplicatorSettings.SOURCE_REGION, ENV,
                        "is required (or AWS_REGION), e.g. us-east-1");
            }
            env.put(SOURCE_REGION, own);
        }
        ReplicatorSettings replicator = ReplicatorSettings.fromEnvironment(env);
        String failOnPartial = env.get(FAIL_ON_PARTIAL);
        String endpoint = env.get(ENDPOINT_URL);
        return new HandlerSettings(replicator,
                !isBlank(failOnPartial)
                        && ReplicatorSettings.parseBoolean(FAIL_ON_PARTIAL_SETTING, ENV, failOnPartial.trim()),
                isBlank(endpoint) ? null : url(endpoint.trim()));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static URI url(String text) {
        try {
            return Endpoints.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(ENDPOINT_URL_SETTING, ENV, e.getMessage(), e);
        }
    }
}
