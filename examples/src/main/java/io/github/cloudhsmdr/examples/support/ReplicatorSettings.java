package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.spi.BackupStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The replicator settings the example programs share, read from {@link Settings} (command-line options or
 * environment variables), with errors that name the option or variable.
 *
 * @param name               the replicator's name (its ownership tag value); {@code default} when not given
 * @param sourceRegion       the source region
 * @param destinationRegions the destination regions
 * @param clusterIds         the clusters; empty for every cluster in the source region
 * @param selection          which backups are copied
 * @param waitForReady       how long a run waits for its copies to turn READY
 * @param copyTags           extra tags for every copy
 * @param rpoWarnAfter       recovery point age that is WARN, or {@code null} for the library's default
 * @param rpoCriticalAfter   recovery point age that is CRITICAL, or {@code null} for the library's default
 * @param retention          retention of the copies, or {@code null} to keep every copy
 */
public record ReplicatorSettings(
        String name,
        String sourceRegion,
        List<String> destinationRegions,
        List<String> clusterIds,
        Selection selection,
        Duration waitForReady,
        Map<String, String> copyTags,
        Duration rpoWarnAfter,
        Duration rpoCriticalAfter,
        RetentionPolicy retention) {

    /** Key of the replicator's name. */
    public static final String NAME = "name";
    /** Key of the source region. */
    public static final String SOURCE_REGION = "source-region";
    /** Key of the comma-separated destination regions. */
    public static final String DESTINATION_REGIONS = "destination-regions";
    /** Key of the comma-separated cluster ids. */
    public static final String CLUSTERS = "clusters";
    /** Key of the look-back window: a duration, or {@code latest}. */
    public static final String LOOK_BACK = "look-back";
    /** Key of the wait for READY. */
    public static final String WAIT_FOR_READY = "wait-for-ready";
    /** Key of the extra copy tags, {@code k=v,k2=v2}. */
    public static final String COPY_TAGS = "copy-tags";
    /** Key of the RPO warning age. */
    public static final String RPO_WARN = "rpo-warn";
    /** Key of the RPO critical age. */
    public static final String RPO_CRITICAL = "rpo-critical";

    /** Key of retention's {@code keepLast} count. */
    public static final String KEEP_LAST = "keep-last";
    /** Key of retention's {@code keepDaily} count. */
    public static final String KEEP_DAILY = "keep-daily";
    /** Key of retention's {@code keepWeekly} count. */
    public static final String KEEP_WEEKLY = "keep-weekly";
    /** Key of retention's {@code keepMonthly} count. */
    public static final String KEEP_MONTHLY = "keep-monthly";
    /** Key of retention's {@code keepYearly} count. */
    public static final String KEEP_YEARLY = "keep-yearly";
    /** Key of retention's {@code keepWithin} window. */
    public static final String KEEP_WITHIN = "keep-within";
    /** Every retention key; retention is on when any of them is given. */
    public static final List<String> RETENTION_KEYS =
            List.of(KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY, KEEP_WITHIN);

    /** Value of {@link #LOOK_BACK} that selects only the newest backup per cluster. */
    public static final String LATEST = "latest";

    /** Builder field names (as they start the builder's error messages) and the keys they come from. */
    private static final Map<String, String> KEY_OF_FIELD = Map.of(
            "name", NAME,
            "sourceRegion", SOURCE_REGION,
            "destinationRegions", DESTINATION_REGIONS,
            "clusterIds", CLUSTERS,
            "selection", LOOK_BACK,
            "waitForReady", WAIT_FOR_READY,
            "copyTags", COPY_TAGS,
            "rpoWarnAfter", RPO_WARN,
            "rpoCriticalAfter", RPO_CRITICAL);

    public ReplicatorSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        destinationRegions = List.copyOf(destinationRegions);
        clusterIds = List.copyOf(clusterIds);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(waitForReady, "waitForReady");
        copyTags = Map.copyOf(copyTags);
    }

    /**
     * Reads the settings. Source and destination regions are required; the rest have defaults. Values the
     * replicator's builder checks (region ids, cluster ids, the name) are checked by {@link #build}.
     *
     * @param defaultSourceRegion the source region when the setting is absent (e.g. the Lambda's own region),
     *                            or {@code null} to require it
     * @throws ConfigurationException naming the setting that is missing or wrong
     */
    public static ReplicatorSettings from(Settings s, String defaultSourceRegion) {
        String source = defaultSourceRegion != null && !defaultSourceRegion.isBlank()
                ? s.optional(SOURCE_REGION).orElse(defaultSourceRegion.trim())
                : s.required(SOURCE_REGION, "us-east-1");
        List<String> destinations = s.list(DESTINATION_REGIONS);
        if (destinations.isEmpty()) {
            throw s.invalid(DESTINATION_REGIONS, "is required: give one or more regions separated by commas, "
                    + "e.g. us-west-2,eu-west-1");
        }
        Selection selection = s.optional(LOOK_BACK).filter(v -> v.equalsIgnoreCase(LATEST)).isPresent()
                ? Selection.latest()
                : s.positiveDuration(LOOK_BACK).map(Selection::allWithin).orElse(Selection.defaults());
        return new ReplicatorSettings(
                s.optional(NAME).orElse("default"),
                source,
                destinations,
                s.list(CLUSTERS),
                selection,
                s.duration(WAIT_FOR_READY).orElse(Duration.ZERO),
                s.pairs(COPY_TAGS),
                s.positiveDuration(RPO_WARN).orElse(null),
                s.positiveDuration(RPO_CRITICAL).orElse(null),
                retention(s));
    }

    /** @return the retention policy the keep settings describe, or {@code null} when none is given. */
    private static RetentionPolicy retention(Settings s) {
        List<String> given = RETENTION_KEYS.stream().filter(s::has).toList();
        if (given.isEmpty()) {
            return null;
        }
        RetentionPolicy.Builder b = RetentionPolicy.builder();
        s.count(KEEP_LAST).ifPresent(b::keepLast);
        s.count(KEEP_DAILY).ifPresent(b::keepDaily);
        s.count(KEEP_WEEKLY).ifPresent(b::keepWeekly);
        s.count(KEEP_MONTHLY).ifPresent(b::keepMonthly);
        s.count(KEEP_YEARLY).ifPresent(b::keepYearly);
        s.duration(KEEP_WITHIN).ifPresent(b::keepWithin);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new ConfigurationException(s.nameOf(given.get(0)), "every keep setting given is 0, so nothing "
                    + "would be kept: give at least one positive count or window", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(s.nameOf(given.get(0)), e.getMessage(), e);
        }
    }

    /** @return a builder holding these settings (no store, clock, sleeper or listener yet). */
    public ReplicatorBuilder toBuilder() {
        ReplicatorBuilder b = BackupReplicator.builder()
                .name(name)
                .sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions)
                .clusterIds(clusterIds)
                .selection(selection)
                .waitForReady(waitForReady)
                .copyTags(copyTags);
        if (retention != null) {
            b.retentionPolicy(retention);
        }
        if (rpoWarnAfter != null || rpoCriticalAfter != null) {
            Duration warn = rpoWarnAfter != null ? rpoWarnAfter : Duration.ofHours(28);
            Duration critical = rpoCriticalAfter != null ? rpoCriticalAfter
                    : warn.compareTo(Duration.ofHours(32)) > 0 ? warn : Duration.ofHours(32);
            b.recoveryPointObjective(warn, critical);
        }
        return b;
    }

    /**
     * Builds the replicator on {@code store}.
     *
     * @param settings  the settings these were read from, to name a bad one in errors
     * @param store     the store (not closed by the replicator)
     * @param clock     the clock
     * @param sleeper   the sleeper
     * @param listeners listeners to add
     * @throws ConfigurationException when the builder rejects a value; names the option or variable
     */
    public BackupReplicator build(Settings settings, BackupStore store, Clock clock, Sleeper sleeper,
            List<ReplicationListener> listeners) {
        ReplicatorBuilder b = toBuilder().backupStore(store).clock(clock).sleeper(sleeper);
        listeners.forEach(b::listener);
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException(settingNamed(settings, e.getMessage()), e.getMessage(), e);
        }
    }

    /** The setting a builder message is about: builder messages start with the field's name. */
    static String settingNamed(Settings settings, String message) {
        String first = message == null ? "" : message.split("[ .:']", 2)[0];
        String key = KEY_OF_FIELD.get(first);
        return key == null ? "configuration" : settings.nameOf(key);
    }

    /** @return the look-back as the user writes it: {@code latest} or a duration such as {@code 14d}. */
    public String lookBackText() {
        return selection.latestOnly() ? LATEST : Durations.format(selection.lookBack());
    }
}
