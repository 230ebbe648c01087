package io.github.cloudhsmdr.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cloudhsm-dr.*} properties: one or more named replicators. A setting left out takes the library's
 * default (see {@link io.github.cloudhsmdr.ReplicatorBuilder}); a value the library does not allow fails start-up
 * with a message naming the property, the value and what is allowed.
 *
 * <pre>
 * cloudhsm-dr.replicators.prod-dr.source-region=us-east-1
 * cloudhsm-dr.replicators.prod-dr.destination-regions=us-west-2,eu-west-1
 * cloudhsm-dr.replicators.prod-dr.retention.keep-daily=14
 * cloudhsm-dr.replicators.prod-dr.schedule.cron=0 15 * * * *
 * </pre>
 */
@ConfigurationProperties("cloudhsm-dr")
public class CloudHsmDrProperties {
    /** Whether the cloudhsm-dr auto-configuration creates and schedules replicators. */
    private boolean enabled = true;

    /** The AWS store made when the application defines no BackupStore bean. */
    private final Aws aws = new Aws();

    /** The replicators, by name; the name is also the value of the ownership tag on their copies. */
    private Map<String, Replicator> replicators = new LinkedHashMap<>();

    /** @return whether the auto-configuration is on. */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the auto-configuration is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the settings of the default AWS store. */
    public Aws getAws() {
        return aws;
    }

    /** @return the replicators by name. */
    public Map<String, Replicator> getReplicators() {
        return replicators;
    }

    /** @param replicators the replicators by name */
    public void setReplicators(Map<String, Replicator> replicators) {
        this.replicators = replicators;
    }

    /** Settings of the AWS store (the SDK's default credentials and region chain otherwise). */
    public static class Aws {
        /** Send every CloudHSM call to this endpoint (a VPC endpoint, an emulator) instead of the SDK's default. */
        private URI endpointOverride;

        /** @return the endpoint override, or null. */
        public URI getEndpointOverride() {
            return endpointOverride;
        }

        /** @param endpointOverride the endpoint override */
        public void setEndpointOverride(URI endpointOverride) {
            this.endpointOverride = endpointOverride;
        }
    }

    /** One replicator. */
    public static class Replicator {
        /** Region whose backups are copied, e.g. us-east-1. Required. */
        private String sourceRegion;

        /** Regions to copy to, at least one, none equal to the source region. Required. */
        private List<String> destinationRegions = new ArrayList<>();

        /** Clusters to replicate; default every cluster in the source region. */
        private List<String> clusterIds = new ArrayList<>();

        /** Which backups are copied. */
        private final Selection selection = new Selection();

        /** Extra tags for every copy (at most 46, no aws: or cloudhsm-dr: keys). */
        private Map<String, String> copyTags = new LinkedHashMap<>();

        /** Whether copies also get the source backup's own tags (default true). */
        private Boolean copySourceTags;

        /** Whether backups that are themselves copies into the source region are exported again (default false). */
        private Boolean includeCopies;

        /** How long a run waits for its new copies to turn READY (default 0: do not wait). */
        private Duration waitForReady;

        /** How many destinations a run works on at once, 1 to 64 (default 4). */
        private Integer maxConcurrentDestinations;

        /**
         * The most calls that go to one region at once, 1 to 16 (default 8): the ceiling of a limit that starts at 2,
         * grows while calls succeed and halves when the region throttles.
         */
        private Integer maxConcurrentCallsPerRegion;

        /** Retention of the copies this replicator made; without any keep rule, copies are kept. */
        private final Retention retention = new Retention();

        /** Retries of failed calls; unset fields take the library's defaults. */
        private final Retry retry = new Retry();

        /** The recovery point objective the health indicator and the status meters judge by. */
        private final RecoveryPointObjective recoveryPointObjective = new RecoveryPointObjective();

        /** When the replicator runs on Spring's TaskScheduler; neither cron nor interval: it is not scheduled. */
        private final Schedule schedule = new Schedule();

        /** Name of a RunLock bean every run takes first (e.g. a JdbcRunLock shared by every instance); default none. */
        private String runLock;

        /** How long a run lock stays held if it is never released; longer than the longest run (default 2h). */
        private Duration lockAtMostFor;

        /** Whether every scheduled run is followed by a measurement of the recovery points (default true). */
        private boolean measureRecoveryPoints = true;

        /** Name of the BackupStore bean to use when the application defines several; default the only one. */
        private String backupStore;

        /** @return the source region. */
        public String getSourceRegion() {
            return sourceRegion;
        }

        /** @param sourceRegion the source region */
        public void setSourceRegion(String sourceRegion) {
            this.sourceRegion = sourceRegion;
        }

        /** @return the destination regions. */
        public List<String> getDestinationRegions() {
            return destinationRegions;
        }

        /** @param destinationRegions the destination regions */
        public void setDestinationRegions(List<String> destinationRegions) {
            this.destinationRegions = destinationRegions;
        }

        /** @return the cluster ids. */
        public List<String> getClusterIds() {
            return clusterIds;
        }

        /** @param clusterIds the cluster ids */
        public void setClusterIds(List<String> clusterIds) {
            this.clusterIds = clusterIds;
        }

        /** @return the selection. */
        public Selection getSelection() {
            return selection;
        }

        /** @return the extra copy tags. */
        public Map<String, String> getCopyTags() {
            return copyTags;
        }

        /** @param copyTags the extra copy tags */
        public void setCopyTags(Map<String, String> copyTags) {
            this.copyTags = copyTags;
        }

        /** @return whether source tags are copied, or null for the default. */
        public Boolean getCopySourceTags() {
            return copySourceTags;
        }

        /** @param copySourceTags whether source tags are copied */
        public void setCopySourceTags(Boolean copySourceTags) {
            this.copySourceTags = copySourceTags;
        }

        /** @return whether copies are exported again, or null for the default. */
        public Boolean getIncludeCopies() {
            return includeCopies;
        }

        /** @param includeCopies whether copies are exported again */
        public void setIncludeCopies(Boolean includeCopies) {
            this.includeCopies = includeCopies;
        }

        /** @return how long to wait for READY, or null for the default. */
        public Duration getWaitForReady() {
            return waitForReady;
        }

        /** @param waitForReady how long to wait for READY */
        public void setWaitForReady(Duration waitForReady) {
            this.waitForReady = waitForReady;
        }

        /** @return the destination concurrency, or null for the default. */
        public Integer getMaxConcurrentDestinations() {
            return maxConcurrentDestinations;
        }

        /** @param maxConcurrentDestinations the destination concurrency */
        public void setMaxConcurrentDestinations(Integer maxConcurrentDestinations) {
            this.maxConcurrentDestinations = maxConcurrentDestinations;
        }

        /** @return the ceiling of the per-region call concurrency, or null for the default. */
        public Integer getMaxConcurrentCallsPerRegion() {
            return maxConcurrentCallsPerRegion;
        }

        /** @param maxConcurrentCallsPerRegion the ceiling of the per-region call concurrency */
        public void setMaxConcurrentCallsPerRegion(Integer maxConcurrentCallsPerRegion) {
            this.maxConcurrentCallsPerRegion = maxConcurrentCallsPerRegion;
        }

        /** @return the retention settings. */
        public Retention getRetention() {
            return retention;
        }

        /** @return the retry settings. */
        public Retry getRetry() {
            return retry;
        }

        /** @return the recovery point objective. */
        public RecoveryPointObjective getRecoveryPointObjective() {
            return recoveryPointObjective;
        }

        /** @return the schedule. */
        public Schedule getSchedule() {
            return schedule;
        }

        /** @return the run lock bean name, or null. */
        public String getRunLock() {
            return runLock;
        }

        /** @param runLock the run lock bean name */
        public void setRunLock(String runLock) {
            this.runLock = runLock;
        }

        /** @return how long a lock is held at most, or null for the default. */
        public Duration getLockAtMostFor() {
            return lockAtMostFor;
        }

        /** @param lockAtMostFor how long a lock is held at most */
        public void setLockAtMostFor(Duration lockAtMostFor) {
            this.lockAtMostFor = lockAtMostFor;
        }

        /** @return whether recovery points are measured after every run. */
        public boolean isMeasureRecoveryPoints() {
            return measureRecoveryPoints;
        }

        /** @param measureRecoveryPoints whether recovery points are measured after every run */
        public void setMeasureRecoveryPoints(boolean measureRecoveryPoints) {
            this.measureRecoveryPoints = measureRecoveryPoints;
        }

        /** @return the BackupStore bean name, or null. */
        public String getBackupStore() {
            return backupStore;
        }

        /** @param backupStore the BackupStore bean name */
        public void setBackupStore(String backupStore) {
            this.backupStore = backupStore;
        }
    }

    /** Which READY backups a run copies. */
    public static class Selection {
        /** Copy only the newest READY backup of each cluster (default false: every backup within look-back). */
        private boolean latest;

        /** Copy every READY backup created within this window (default 14d); not with latest. */
        private Duration lookBack;

        /** @return whether only the newest backup is copied. */
        public boolean isLatest() {
            return latest;
        }

        /** @param latest whether only the newest backup is copied */
        public void setLatest(boolean latest) {
            this.latest = latest;
        }

        /** @return the look-back window, or null for the default. */
        public Duration getLookBack() {
            return lookBack;
        }

        /** @param lookBack the look-back window */
        public void setLookBack(Duration lookBack) {
            this.lookBack = lookBack;
        }
    }

    /** A restic-style retention policy for the replicator's copies; a copy is kept when any rule keeps it. */
    public static class Retention {
        /** Keep the n newest copies. */
        private Integer keepLast;
        /** Keep the newest copy of each of the n most recent hours with a copy (-1 unlimited). */
        private Integer keepHourly;
        /** Keep the newest copy of each of the n most recent days with a copy (-1 unlimited). */
        private Integer keepDaily;
        /** Keep the newest copy of each of the n most recent weeks with a copy (-1 unlimited). */
        private Integer keepWeekly;
        /** Keep the newest copy of each of the n most recent months with a copy (-1 unlimited). */
        private Integer keepMonthly;
        /** Keep the newest copy of each of the n most recent years with a copy (-1 unlimited). */
        private Integer keepYearly;
        /** Keep every copy within this window of the anchor. */
        private Duration keepWithin;
        /** What keep-within counts from: NEWEST_COPY (default) or NOW. */
        private String keepWithinAnchor;
        /** Never fewer READY copies than this (default 1). */
        private Integer minReadyCopies;
        /** Time zone of the calendar buckets, e.g. Europe/Berlin (default UTC). */
        private String zone;

        /** @return keep-last, or null. */
        public Integer getKeepLast() {
            return keepLast;
        }

        /** @param keepLast keep-last */
        public void setKeepLast(Integer keepLast) {
            this.keepLast = keepLast;
        }

        /** @return keep-hourly, or null. */
        public Integer getKeepHourly() {
            return keepHourly;
        }

        /** @param keepHourly keep-hourly */
        public void setKeepHourly(Integer keepHourly) {
            this.keepHourly = keepHourly;
        }

        /** @return keep-daily, or null. */
        public Integer getKeepDaily() {
            return keepDaily;
        }

        /** @param keepDaily keep-daily */
        public void setKeepDaily(Integer keepDaily) {
            this.keepDaily = keepDaily;
        }

        /** @return keep-weekly, or null. */
        public Integer getKeepWeekly() {
            return keepWeekly;
        }

        /** @param keepWeekly keep-weekly */
        public void setKeepWeekly(Integer keepWeekly) {
            this.keepWeekly = keepWeekly;
        }

        /** @return keep-monthly, or null. */
        public Integer getKeepMonthly() {
            return keepMonthly;
        }

        /** @param keepMonthly keep-monthly */
        public void setKeepMonthly(Integer keepMonthly) {
            this.keepMonthly = keepMonthly;
        }

        /** @return keep-yearly, or null. */
        public Integer getKeepYearly() {
            return keepYearly;
        }

        /** @param keepYearly keep-yearly */
        public void setKeepYearly(Integer keepYearly) {
            this.keepYearly = keepYearly;
        }

        /** @return keep-within, or null. */
        public Duration getKeepWithin() {
            return keepWithin;
        }

        /** @param keepWithin keep-within */
        public void setKeepWithin(Duration keepWithin) {
            this.keepWithin = keepWithin;
        }

        /** @return the keep-within anchor, or null. */
        public String getKeepWithinAnchor() {
            return keepWithinAnchor;
        }

        /** @param keepWithinAnchor the keep-within anchor */
        public void setKeepWithinAnchor(String keepWithinAnchor) {
            this.keepWithinAnchor = keepWithinAnchor;
        }

        /** @return the floor of READY copies, or null. */
        public Integer getMinReadyCopies() {
            return minReadyCopies;
        }

        /** @param minReadyCopies the floor of READY copies */
        public void setMinReadyCopies(Integer minReadyCopies) {
            this.minReadyCopies = minReadyCopies;
        }

        /** @return the zone, or null. */
        public String getZone() {
            return zone;
        }

        /** @param zone the zone */
        public void setZone(String zone) {
            this.zone = zone;
        }
    }

    /** Retries of failed calls. */
    public static class Retry {
        /** Attempts per call, counting the first (default 5). */
        private Integer maxAttempts;
        /** First wait before a retry (default 1s). */
        private Duration initialBackoff;
        /** Growth of the wait per attempt (default 2.0). */
        private Double multiplier;
        /** Longest wait between attempts (default 30s). */
        private Duration maxBackoff;
        /** Part of a wait that is randomly cut, 0 to 1 (default 0.5). */
        private Double jitter;
        /** First wait after a throttling error (default 2s). */
        private Duration throttlingBackoff;
        /** A run's retry budget: the total time its calls may wait to retry (default 10m). */
        private Duration maxTotalTime;

        /** @return max attempts, or null. */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts max attempts */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the initial backoff, or null. */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /** @param initialBackoff the initial backoff */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** @return the multiplier, or null. */
        public Double getMultiplier() {
            return multiplier;
        }

        /** @param multiplier the multiplier */
        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        /** @return the max backoff, or null. */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /** @param maxBackoff the max backoff */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** @return the jitter, or null. */
        public Double getJitter() {
            return jitter;
        }

        /** @param jitter the jitter */
        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }

        /** @return the throttling backoff, or null. */
        public Duration getThrottlingBackoff() {
            return throttlingBackoff;
        }

        /** @param throttlingBackoff the throttling backoff */
        public void setThrottlingBackoff(Duration throttlingBackoff) {
            this.throttlingBackoff = throttlingBackoff;
        }

        /** @return the retry budget, or null. */
        public Duration getMaxTotalTime() {
            return maxTotalTime;
        }

        /** @param maxTotalTime the retry budget */
        public void setMaxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = maxTotalTime;
        }

        boolean isEmpty() {
            return maxAttempts == null && initialBackoff == null && multiplier == null && maxBackoff == null
                    && jitter == null && throttlingBackoff == null && maxTotalTime == null;
        }
    }

    /** Ages after which a region's recovery point is WARN and CRITICAL. */
    public static class RecoveryPointObjective {
        /** Age after which a recovery point is WARN (default 28h). */
        private Duration warnAfter;
        /** Age after which a recovery point is CRITICAL (default 32h); at least warn-after. */
        private Duration criticalAfter;

        /** @return warn-after, or null. */
        public Duration getWarnAfter() {
            return warnAfter;
        }

        /** @param warnAfter warn-after */
        public void setWarnAfter(Duration warnAfter) {
            this.warnAfter = warnAfter;
        }

        /** @return critical-after, or null. */
        public Duration getCriticalAfter() {
            return criticalAfter;
        }

        /** @param criticalAfter critical-after */
        public void setCriticalAfter(Duration criticalAfter) {
            this.criticalAfter = criticalAfter;
        }
    }

    /** When a replicator runs: a cron expression in a zone, or a fixed interval. */
    public static class Schedule {
        /** Spring cron expression with six fields (second minute hour day-of-month month day-of-week), e.g. "0 15 * * * *". */
        private String cron;
        /** Time zone of the cron expression (default UTC). */
        private String zone;
        /** Run every interval, from the end of one run to the start of the next; not with cron. */
        private Duration interval;
        /** Delay before the first run of an interval schedule (default 0). */
        private Duration initialDelay;

        /** @return the cron expression, or null. */
        public String getCron() {
            return cron;
        }

        /** @param cron the cron expression */
        public void setCron(String cron) {
            this.cron = cron;
        }

        /** @return the zone, or null. */
        public String getZone() {
            return zone;
        }

        /** @param zone the zone */
        public void setZone(String zone) {
            this.zone = zone;
        }

        /** @return the interval, or null. */
        public Duration getInterval() {
            return interval;
        }

        /** @param interval the interval */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        /** @return the initial delay, or null. */
        public Duration getInitialDelay() {
            return initialDelay;
        }

        /** @param initialDelay the initial delay */
        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }
    }
}
