package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spring.CloudHsmDrProperties.Replicator;
import io.github.cloudhsmdr.spring.CloudHsmDrProperties.Retention;
import io.github.cloudhsmdr.spring.CloudHsmDrProperties.Retry;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.scheduling.support.CronExpression;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds the replicator, the task and the schedule of one {@code cloudhsm-dr.replicators.<name>} entry. The
 * properties are applied group by group and the builder checks each group as it comes, so a value the library
 * refuses is reported with the property it came from, never guessed from the library's message.
 */
final class ReplicatorFactory {
    static final String PREFIX = "cloudhsm-dr.replicators.";
    private static final String CRON_FORMAT = "a Spring cron expression with six fields (second minute hour "
            + "day-of-month month day-of-week), e.g. '0 15 * * * *' for minute 15 of every hour";

    private final CloudHsmDrProperties properties;
    private final ListableBeanFactory beans;

    ReplicatorFactory(CloudHsmDrProperties properties, ListableBeanFactory beans) {
        this.properties = properties;
        this.beans = beans;
    }

    private Replicator settings(String name) {
        return Objects.requireNonNull(properties.getReplicators().get(name), () -> PREFIX + name);
    }

    BackupReplicator replicator(String name, ReplicationMetrics metrics) {
        Replicator p = settings(name);
        String at = PREFIX + name + ".";
        ReplicatorBuilder b = BackupReplicator.builder();
        if (p.getSourceRegion() == null || p.getSourceRegion().isBlank()) {
            throw new InvalidReplicatorPropertyException(at + "source-region", null,
                    "give the region whose backups are copied, e.g. us-east-1", null);
        }
        if (p.getDestinationRegions().isEmpty()) {
            throw new InvalidReplicatorPropertyException(at + "destination-regions", null,
                    "give at least one region to copy to, other than the source region " + p.getSourceRegion(), null);
        }
        step(b, at + "source-region, " + at + "destination-regions",
                p.getSourceRegion() + " -> " + p.getDestinationRegions(),
                x -> x.sourceRegion(p.getSourceRegion()).destinationRegions(p.getDestinationRegions()));
        step(b, "cloudhsm-dr.replicators (the key " + name + ")", name, x -> x.name(name));
        step(b, at + "cluster-ids", p.getClusterIds(), x -> x.clusterIds(p.getClusterIds()));
        step(b, at + "selection", selectionText(p), x -> x.selection(selection(p)));
        step(b, at + "include-copies", p.getIncludeCopies(), x -> ifSet(p.getIncludeCopies(), x::includeCopies));
        step(b, at + "copy-tags", p.getCopyTags(), x -> x.copyTags(p.getCopyTags()));
        step(b, at + "copy-source-tags", p.getCopySourceTags(), x -> ifSet(p.getCopySourceTags(), x::copySourceTags));
        step(b, at + "wait-for-ready", p.getWaitForReady(), x -> ifSet(p.getWaitForReady(), x::waitForReady));
        step(b, at + "max-concurrent-destinations", p.getMaxConcurrentDestinations(),
                x -> ifSet(p.getMaxConcurrentDestinations(), x::maxConcurrentDestinations));
        step(b, at + "max-concurrent-calls-per-region", p.getMaxConcurrentCallsPerRegion(),
                x -> ifSet(p.getMaxConcurrentCallsPerRegion(), x::maxConcurrentCallsPerRegion));
        RetentionPolicy retention = retention(at + "retention.", p.getRetention());
        if (retention != null) {
            b.retentionPolicy(retention);
        }
        if (!p.getRetry().isEmpty()) {
            b.retryPolicy(build(at + "retry", "see the retry settings", () -> retry(p.getRetry())));
        }
        var rpo = p.getRecoveryPointObjective();
        if (rpo.getWarnAfter() != null || rpo.getCriticalAfter() != null) {
            Duration warn = rpo.getWarnAfter() != null ? rpo.getWarnAfter() : Duration.ofHours(28);
            Duration critical = rpo.getCriticalAfter() != null ? rpo.getCriticalAfter() : Duration.ofHours(32);
            step(b, at + "recovery-point-objective", "warn-after " + warn + ", critical-after " + critical,
                    x -> x.recoveryPointObjective(warn, critical));
        }
        b.listener(metrics);
        beans.getBeanProvider(ReplicationListener.class).orderedStream()
                .filter(l -> !(l instanceof ReplicationMetrics))
                .forEach(b::listener);
        beans.getBeanProvider(CloudHsmDrReplicatorCustomizer.class).orderedStream()
                .forEach(c -> c.customize(name, b));
        return b.backupStore(store(at + "backup-store", p.getBackupStore())).build();
    }

    ReplicationTask task(String name, BackupReplicator replicator) {
        Replicator p = settings(name);
        String at = PREFIX + name + ".";
        ReplicationTask.Builder b = ReplicationTask.builder(replicator)
                .measureRecoveryPoints(p.isMeasureRecoveryPoints());
        if (p.getRunLock() != null) {
            b.runLock(bean(at + "run-lock", p.getRunLock(), RunLock.class));
        }
        if (p.getLockAtMostFor() != null) {
            b.lockAtMostFor(p.getLockAtMostFor());
        }
        return build(at + "lock-at-most-for", p.getLockAtMostFor(), b::build);
    }

    /** @return the replicator's schedule, or null when it has none; checked. */
    ReplicationSchedules.Schedule schedule(String name) {
        CloudHsmDrProperties.Schedule s = settings(name).getSchedule();
        String at = PREFIX + name + ".schedule.";
        if (s.getCron() != null && s.getInterval() != null) {
            throw new InvalidReplicatorPropertyException(at + "cron", s.getCron(), "give either " + at + "cron or "
                    + at + "interval (" + s.getInterval() + "), not both", null);
        }
        if (s.getCron() != null) {
            CronExpression cron = build(at + "cron", s.getCron(), () -> CronExpression.parse(s.getCron()), CRON_FORMAT);
            ZoneId zone = zone(at + "zone", s.getZone());
            return new ReplicationSchedules.Schedule(name, cron.toString(), zone, null, null);
        }
        if (s.getInterval() != null) {
            if (s.getInterval().isNegative() || s.getInterval().isZero()) {
                throw new InvalidReplicatorPropertyException(at + "interval", s.getInterval(),
                        "a positive duration, e.g. 1h or 30m", null);
            }
            Duration initialDelay = s.getInitialDelay() == null ? Duration.ZERO : s.getInitialDelay();
            if (initialDelay.isNegative()) {
                throw new InvalidReplicatorPropertyException(at + "initial-delay", initialDelay,
                        "zero or a positive duration", null);
            }
            return new ReplicationSchedules.Schedule(name, null, null, s.getInterval(), initialDelay);
        }
        return null;
    }

    private static Selection selection(Replicator p) {
        if (p.getSelection().isLatest()) {
            if (p.getSelection().getLookBack() != null) {
                throw new IllegalArgumentException("give either selection.latest=true or selection.look-back, not both");
            }
            return Selection.latest();
        }
        return p.getSelection().getLookBack() == null ? Selection.defaults()
                : Selection.allWithin(p.getSelection().getLookBack());
    }

    private static String selectionText(Replicator p) {
        return "latest=" + p.getSelection().isLatest() + ", look-back=" + p.getSelection().getLookBack();
    }

    private static RetentionPolicy retention(String at, Retention r) {
        RetentionPolicy.Builder b = RetentionPolicy.builder();
        boolean any = false;
        any |= setIf(at + "keep-last", r.getKeepLast(), b::keepLast);
        any |= setIf(at + "keep-hourly", r.getKeepHourly(), b::keepHourly);
        any |= setIf(at + "keep-daily", r.getKeepDaily(), b::keepDaily);
        any |= setIf(at + "keep-weekly", r.getKeepWeekly(), b::keepWeekly);
        any |= setIf(at + "keep-monthly", r.getKeepMonthly(), b::keepMonthly);
        any |= setIf(at + "keep-yearly", r.getKeepYearly(), b::keepYearly);
        any |= setIf(at + "keep-within", r.getKeepWithin(), b::keepWithin);
        if (!any) {
            if (r.getMinReadyCopies() != null || r.getZone() != null || r.getKeepWithinAnchor() != null) {
                throw new InvalidReplicatorPropertyException(at + "keep-*", null, "retention settings without a keep "
                        + "rule: give at least one of keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, "
                        + "keep-yearly or keep-within (a policy with no rule would never be read as delete-everything)",
                        null);
            }
            return null;
        }
        setIf(at + "min-ready-copies", r.getMinReadyCopies(), b::minReadyCopies);
        if (r.getZone() != null) {
            b.zone(zone(at + "zone", r.getZone()));
        }
        if (r.getKeepWithinAnchor() != null) {
            String allowed = Arrays.toString(RetentionPolicy.KeepWithinAnchor.values());
            RetentionPolicy.KeepWithinAnchor anchor = build(at + "keep-within-anchor", r.getKeepWithinAnchor(),
                    () -> RetentionPolicy.KeepWithinAnchor.valueOf(r.getKeepWithinAnchor().trim()
                            .toUpperCase(java.util.Locale.ROOT).replace('-', '_')), "one of " + allowed);
            b.keepWithinAnchor(anchor);
        }
        return build(at.substring(0, at.length() - 1), "these keep rules", b::build);
    }

    private static RetryPolicy retry(Retry r) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        ifSet(r.getMaxAttempts(), b::maxAttempts);
        ifSet(r.getInitialBackoff(), b::initialBackoff);
        ifSet(r.getMultiplier(), b::multiplier);
        ifSet(r.getMaxBackoff(), b::maxBackoff);
        ifSet(r.getJitter(), b::jitter);
        ifSet(r.getThrottlingBackoff(), b::throttlingBackoff);
        ifSet(r.getMaxTotalTime(), b::maxTotalTime);
        return b.build();
    }

    private BackupStore store(String property, String beanName) {
        if (beanName != null) {
            return bean(property, beanName, BackupStore.class);
        }
        String[] names = beans.getBeanNamesForType(BackupStore.class);
        if (names.length == 1) {
            return beans.getBean(names[0], BackupStore.class);
        }
        throw new InvalidReplicatorPropertyException(property, null, names.length == 0
                ? "the application has no BackupStore bean: add the dependency io.github.cloudhsmdr:cloudhsm-dr-aws "
                        + "(the AWS store is then configured) or define a BackupStore bean"
                : "the application has " + names.length + " BackupStore beans " + Arrays.toString(names)
                        + ": name the one to use", null);
    }

    private <T> T bean(String property, String beanName, Class<T> type) {
        try {
            return beans.getBean(beanName, type);
        } catch (NoSuchBeanDefinitionException | BeanNotOfRequiredTypeException e) {
            throw new InvalidReplicatorPropertyException(property, beanName, "the name of a " + type.getSimpleName()
                    + " bean; the application has " + Arrays.toString(beans.getBeanNamesForType(type)), e);
        }
    }

    private static ZoneId zone(String property, String zone) {
        if (zone == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidReplicatorPropertyException(property, zone,
                    "a time zone id such as UTC or Europe/Berlin", e);
        }
    }

    /** Applies one group of properties and checks the builder, naming the group's properties on failure. */
    private static void step(ReplicatorBuilder b, String property, Object value, Consumer<ReplicatorBuilder> apply) {
        build(property, value, () -> {
            apply.accept(b);
            return b.buildConfig();
        });
    }

    private static <T> T build(String property, Object value, Supplier<T> make) {
        return build(property, value, make, null);
    }

    private static <T> T build(String property, Object value, Supplier<T> make, String allowed) {
        try {
            return make.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            String why = e.getMessage();
            throw new InvalidReplicatorPropertyException(property, value, allowed == null ? why : why + "; allowed: "
                    + allowed, e);
        }
    }

    private static <T> boolean setIf(String property, T value, Consumer<T> setter) {
        if (value == null) {
            return false;
        }
        build(property, value, () -> {
            setter.accept(value);
            return value;
        });
        return true;
    }

    private static <T> void ifSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** @return the names under {@code cloudhsm-dr.replicators}. */
    List<String> names() {
        return List.copyOf(properties.getReplicators().keySet());
    }
}
