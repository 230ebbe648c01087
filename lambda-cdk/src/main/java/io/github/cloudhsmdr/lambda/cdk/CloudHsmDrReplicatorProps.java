package io.github.cloudhsmdr.lambda.cdk;

import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.ITopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@link CloudHsmDrReplicator} deploys: the replicator's settings (passed to the function as its
 * {@code CLOUDHSM_DR_*} environment variables), the schedule, the function's size and the alarm thresholds.
 * Build with {@link #builder()}; {@link Builder#build()} checks every value and names the property, the value and
 * what is allowed. Values that are CloudFormation tokens (e.g. a {@code CfnParameter}'s value) are not checked
 * here; the handler checks them when it runs. Immutable.
 */
public final class CloudHsmDrReplicatorProps {
    /** Java 17 and 21 are the Lambda runtimes the handler supports. */
    public enum JavaRuntime {
        /** Lambda's {@code java17}. */
        JAVA_17,
        /** Lambda's {@code java21} (the default). */
        JAVA_21
    }

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern CLUSTER_ID = Pattern.compile("cluster-[2-7a-zA-Z]{11,16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/=+\\-@]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("CLOUDHSM_DR_[A-Z0-9_]+");
    /** The longest schedule: the no-successful-run alarm looks at twice the schedule, at most 7 days. */
    static final Duration MAX_SCHEDULE = Duration.ofHours(84);
    /** The most destinations at once the replicator allows (its builder's {@code maxConcurrentDestinations}). */
    static final int MAX_CONCURRENT_DESTINATIONS = 64;
    /** The highest ceiling of calls to one region the replicator allows ({@code maxConcurrentCallsPerRegion}). */
    static final int MAX_CONCURRENT_CALLS_PER_REGION = 16;

    private final Code code;
    private final String replicatorName;
    private final String sourceRegion;
    private final List<String> destinationRegions;
    private final List<String> clusterIds;
    private final String lookBack;
    private final Duration waitForReady;
    private final Integer maxConcurrentDestinations;
    private final Integer maxConcurrentCallsPerRegion;
    private final Duration schedule;
    private final Duration rpoWarnAfter;
    private final Duration rpoCriticalAfter;
    private final Map<String, Integer> keep;
    private final Duration keepWithin;
    private final Map<String, String> environment;
    private final JavaRuntime runtime;
    private final int memoryMb;
    private final Duration timeout;
    private final ITopic alarmTopic;
    private final boolean snapStart;

    private CloudHsmDrReplicatorProps(Builder b) {
        this.code = b.code;
        this.replicatorName = b.replicatorName;
        this.sourceRegion = b.sourceRegion;
        this.destinationRegions = List.copyOf(b.destinationRegions);
        this.clusterIds = List.copyOf(b.clusterIds);
        this.lookBack = b.lookBack;
        this.waitForReady = b.waitForReady;
        this.maxConcurrentDestinations = b.maxConcurrentDestinations;
        this.maxConcurrentCallsPerRegion = b.maxConcurrentCallsPerRegion;
        this.schedule = b.schedule;
        this.rpoWarnAfter = b.rpoWarnAfter;
        this.rpoCriticalAfter = b.rpoCriticalAfter;
        this.keep = Map.copyOf(b.keep);
        this.keepWithin = b.keepWithin;
        this.environment = Map.copyOf(b.environment);
        this.runtime = b.runtime;
        this.memoryMb = b.memoryMb;
        this.timeout = b.timeout;
        this.alarmTopic = b.alarmTopic;
        this.snapStart = b.snapStart;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the deployment package (the {@code cloudhsm-dr-lambda} {@code aws-lambda} jar) */
    public Code code() {
        return code;
    }

    /** @return the replicator's name, the ownership tag value on its copies */
    public String replicatorName() {
        return replicatorName;
    }

    /** @return the source region, or empty for the stack's own region */
    public Optional<String> sourceRegion() {
        return Optional.ofNullable(sourceRegion);
    }

    /** @return the destination regions */
    public List<String> destinationRegions() {
        return destinationRegions;
    }

    /** @return the clusters; empty for every cluster in the source region */
    public List<String> clusterIds() {
        return clusterIds;
    }

    /** @return the look-back ({@code 14d}, {@code latest}), or empty for the handler's default */
    public Optional<String> lookBack() {
        return Optional.ofNullable(lookBack);
    }

    /** @return how long a run waits for its copies to turn READY */
    public Duration waitForReady() {
        return waitForReady;
    }

    /** @return how many destination regions a run works on at once, or empty for the handler's default (4) */
    public Optional<Integer> maxConcurrentDestinations() {
        return Optional.ofNullable(maxConcurrentDestinations);
    }

    /** @return the most calls sent to one region at once, or empty for the handler's default (8) */
    public Optional<Integer> maxConcurrentCallsPerRegion() {
        return Optional.ofNullable(maxConcurrentCallsPerRegion);
    }

    /** @return how often the schedule invokes the function */
    public Duration schedule() {
        return schedule;
    }

    /** @return the recovery point age that is WARN */
    public Duration rpoWarnAfter() {
        return rpoWarnAfter;
    }

    /** @return the recovery point age that is CRITICAL, the recovery point age alarm's threshold */
    public Duration rpoCriticalAfter() {
        return rpoCriticalAfter;
    }

    /** @return the retention counts by the handler's variable ({@code CLOUDHSM_DR_KEEP_DAILY} ...) */
    public Map<String, Integer> keep() {
        return keep;
    }

    /** @return retention's keep-within window, or empty */
    public Optional<Duration> keepWithin() {
        return Optional.ofNullable(keepWithin);
    }

    /** @return more {@code CLOUDHSM_DR_*} variables for the function, set as given */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the Lambda runtime */
    public JavaRuntime runtime() {
        return runtime;
    }

    /** @return the function's memory in MB */
    public int memoryMb() {
        return memoryMb;
    }

    /** @return the function's timeout */
    public Duration timeout() {
        return timeout;
    }

    /** @return the topic the alarms notify, or empty */
    public Optional<ITopic> alarmTopic() {
        return Optional.ofNullable(alarmTopic);
    }

    /** @return true when the function runs with SnapStart, invoked through its alias {@code live} */
    public boolean snapStart() {
        return snapStart;
    }

    /** Collects the properties; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private Code code;
        private String replicatorName = "default";
        private String sourceRegion;
        private List<String> destinationRegions = List.of();
        private List<String> clusterIds = List.of();
        private String lookBack;
        private Duration waitForReady = Duration.ZERO;
        private Integer maxConcurrentDestinations;
        private Integer maxConcurrentCallsPerRegion;
        private Duration schedule = Duration.ofHours(1);
        private Duration rpoWarnAfter = Duration.ofHours(28);
        private Duration rpoCriticalAfter = Duration.ofHours(32);
        private final Map<String, Integer> keep = new LinkedHashMap<>();
        private Duration keepWithin;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private JavaRuntime runtime = JavaRuntime.JAVA_21;
        private int memoryMb = 512;
        private Duration timeout = Duration.ofMinutes(15);
        private ITopic alarmTopic;
        private boolean snapStart;

        private Builder() {
        }

        /**
         * @param code the deployment package, e.g. {@code Code.fromAsset("lambda/target/...-aws-lambda.jar")}
         *             (required)
         * @return this
         */
        public Builder code(Code code) {
            this.code = code;
            return this;
        }

        /**
         * @param name the replicator's name (default {@code default})
         * @return this
         */
        public Builder replicatorName(String name) {
            this.replicatorName = name;
            return this;
        }

        /**
         * @param region the source region (default: the stack's region)
         * @return this
         */
        public Builder sourceRegion(String region) {
            this.sourceRegion = region;
            return this;
        }

        /**
         * @param regions the destination regions (required)
         * @return this
         */
        public Builder destinationRegions(List<String> regions) {
            this.destinationRegions = regions == null ? List.of() : new ArrayList<>(regions);
            return this;
        }

        /**
         * @param ids the clusters (default: every cluster in the source region)
         * @return this
         */
        public Builder clusterIds(List<String> ids) {
            this.clusterIds = ids == null ? List.of() : new ArrayList<>(ids);
            return this;
        }

        /**
         * @param lookBack copy backups created within this window ({@code 14d}) or {@code latest} (default
         *                 {@code 14d})
         * @return this
         */
        public Builder lookBack(String lookBack) {
            this.lookBack = lookBack;
            return this;
        }

        /**
         * @param wait how long a run waits for its copies to turn READY (default 0); shorter than the timeout
         * @return this
         */
        public Builder waitForReady(Duration wait) {
            this.waitForReady = wait;
            return this;
        }

        /**
         * @param max how many destination regions a run works on at once, 1 to 64 (default: the handler's, 4);
         *            passed as {@code CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS}
         * @return this
         */
        public Builder maxConcurrentDestinations(int max) {
            this.maxConcurrentDestinations = max;
            return this;
        }

        /**
         * @param max the most calls sent to one region at once, 1 to 16 (default: the handler's, 8): the ceiling of a
         *            limit that starts at 2, grows while calls succeed and halves when the region throttles; lower
         *            it to leave room for other tools calling the same account. Passed as
         *            {@code CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION}
         * @return this
         */
        public Builder maxConcurrentCallsPerRegion(int max) {
            this.maxConcurrentCallsPerRegion = max;
            return this;
        }

        /**
         * @param every how often the schedule invokes the function: whole minutes, at most 84 hours (default 1
         *              hour)
         * @return this
         */
        public Builder schedule(Duration every) {
            this.schedule = every;
            return this;
        }

        /**
         * @param warn     recovery point age that is WARN (default 28 hours)
         * @param critical recovery point age that is CRITICAL (default 32 hours), the age alarm's threshold
         * @return this
         */
        public Builder recoveryPointObjective(Duration warn, Duration critical) {
            this.rpoWarnAfter = warn;
            this.rpoCriticalAfter = critical;
            return this;
        }

        /**
         * @param n retention: keep the N newest copies per cluster and region
         * @return this
         */
        public Builder keepLast(int n) {
            keep.put("CLOUDHSM_DR_KEEP_LAST", n);
            return this;
        }

        /**
         * @param n retention: keep the newest copy of each of the last N days
         * @return this
         */
        public Builder keepDaily(int n) {
            keep.put("CLOUDHSM_DR_KEEP_DAILY", n);
            return this;
        }

        /**
         * @param n retention: keep the newest copy of each of the last N weeks
         * @return this
         */
        public Builder keepWeekly(int n) {
            keep.put("CLOUDHSM_DR_KEEP_WEEKLY", n);
            return this;
        }

        /**
         * @param n retention: keep the newest copy of each of the last N months
         * @return this
         */
        public Builder keepMonthly(int n) {
            keep.put("CLOUDHSM_DR_KEEP_MONTHLY", n);
            return this;
        }

        /**
         * @param n retention: keep the newest copy of each of the last N years
         * @return this
         */
        public Builder keepYearly(int n) {
            keep.put("CLOUDHSM_DR_KEEP_YEARLY", n);
            return this;
        }

        /**
         * @param window retention: keep every copy made within this window before the newest
         * @return this
         */
        public Builder keepWithin(Duration window) {
            this.keepWithin = window;
            return this;
        }

        /**
         * @param variable a {@code CLOUDHSM_DR_*} variable of the handler, e.g. {@code CLOUDHSM_DR_COPY_TAGS}
         * @param value    its value, set as given (may be a token)
         * @return this
         */
        public Builder environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /**
         * @param runtime the Lambda runtime (default {@link JavaRuntime#JAVA_21})
         * @return this
         */
        public Builder runtime(JavaRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /**
         * @param mb the function's memory, 256 to 10240 MB (default 512)
         * @return this
         */
        public Builder memoryMb(int mb) {
            this.memoryMb = mb;
            return this;
        }

        /**
         * @param timeout the function's timeout, 1 to 15 minutes (default 15)
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @param topic the topic the alarms notify when they go into ALARM and back to OK (default: none)
         * @return this
         */
        public Builder alarmTopic(ITopic topic) {
            this.alarmTopic = topic;
            return this;
        }

        /**
         * @param on true to turn on SnapStart: each deployment publishes a version, snapshotted after the handler's
         *           init (which makes no network call and no SDK client), and the schedule invokes it through
         *           the alias {@code live} (default false: a job that runs hourly for minutes gains little)
         * @return this
         */
        public Builder snapStart(boolean on) {
            this.snapStart = on;
            return this;
        }

        /**
         * @return the properties
         * @throws NullPointerException     when {@code code} is missing
         * @throws IllegalArgumentException naming the property, its value and what is allowed
         * @throws IllegalStateException    when properties contradict each other
         */
        public CloudHsmDrReplicatorProps build() {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(replicatorName, "replicatorName");
            check("replicatorName", replicatorName, NAME,
                    "use 1 to 64 letters, digits or _.:/=+-@ (it is a tag value and part of IAM conditions)");
            if (sourceRegion != null) {
                check("sourceRegion", sourceRegion, REGION, "use a region id such as us-east-1");
            }
            if (destinationRegions.isEmpty()) {
                throw new IllegalArgumentException("destinationRegions is empty: give one or more regions such as "
                        + "us-west-2");
            }
            List<String> seen = new ArrayList<>();
            for (String r : destinationRegions) {
                Objects.requireNonNull(r, "destinationRegions element");
                check("destinationRegions", r, REGION, "use region ids such as us-west-2");
                if (seen.contains(r) || r.equals(sourceRegion)) {
                    throw new IllegalArgumentException("destinationRegions contains '" + r + "' "
                            + (seen.contains(r) ? "twice: give each region once" : "which is the source region: "
                            + "copies go to other regions"));
                }
                seen.add(r);
            }
            for (String c : clusterIds) {
                check("clusterIds", Objects.requireNonNull(c, "clusterIds element"), CLUSTER_ID,
                        "use cluster ids such as cluster-igklspoyj5v");
            }
            if (lookBack != null && !Token.isUnresolved(lookBack)
                    && !lookBack.matches("latest|(\\d+[dhms])+|P.*")) {
                throw new IllegalArgumentException("lookBack is '" + lookBack + "': use latest or a duration such as "
                        + "14d, 36h or P14D");
            }
            limit("maxConcurrentDestinations", maxConcurrentDestinations, MAX_CONCURRENT_DESTINATIONS,
                    "destination regions worked on at once");
            limit("maxConcurrentCallsPerRegion", maxConcurrentCallsPerRegion, MAX_CONCURRENT_CALLS_PER_REGION,
                    "the most calls sent to one region at once");
            positive("schedule", schedule);
            if (schedule.toSeconds() % 60 != 0 || schedule.getNano() != 0 || schedule.compareTo(MAX_SCHEDULE) > 0) {
                throw new IllegalArgumentException("schedule is " + schedule + ": use whole minutes, at most "
                        + MAX_SCHEDULE.toHours() + " hours (the no-successful-run alarm looks at twice the schedule, "
                        + "and CloudWatch alarms look back at most 7 days)");
            }
            positive("rpoWarnAfter", rpoWarnAfter);
            positive("rpoCriticalAfter", rpoCriticalAfter);
            if (rpoCriticalAfter.compareTo(rpoWarnAfter) < 0) {
                throw new IllegalStateException("rpoCriticalAfter " + rpoCriticalAfter + " is shorter than "
                        + "rpoWarnAfter " + rpoWarnAfter + ": give at least as long");
            }
            keep.forEach((variable, n) -> {
                if (n < 0) {
                    throw new IllegalArgumentException(property(variable) + " is " + n
                            + ": use a whole number of at least 0");
                }
            });
            if (keepWithin != null && (keepWithin.isNegative() || keepWithin.isZero())) {
                throw new IllegalArgumentException("keepWithin is " + keepWithin + ": use a positive duration");
            }
            if (!keep.isEmpty() && keep.values().stream().allMatch(n -> n == 0) && keepWithin == null) {
                throw new IllegalStateException("every keep count is 0, so nothing would be kept: give at least one "
                        + "positive count or keepWithin");
            }
            environment.forEach((variable, value) -> {
                if (variable == null || !VARIABLE.matcher(variable).matches()) {
                    throw new IllegalArgumentException("environment variable '" + variable + "' is not allowed: "
                            + "use the handler's CLOUDHSM_DR_* variables");
                }
                Objects.requireNonNull(value, "environment value of " + variable);
            });
            Objects.requireNonNull(runtime, "runtime");
            if (memoryMb < 256 || memoryMb > 10_240) {
                throw new IllegalArgumentException("memoryMb is " + memoryMb + ": use 256 to 10240");
            }
            positive("timeout", timeout);
            if (timeout.compareTo(Duration.ofMinutes(1)) < 0 || timeout.compareTo(Duration.ofMinutes(15)) > 0
                    || timeout.getNano() != 0) {
                throw new IllegalArgumentException("timeout is " + timeout + ": use whole seconds from 1 to 15 "
                        + "minutes (Lambda's limit)");
            }
            Objects.requireNonNull(waitForReady, "waitForReady");
            if (waitForReady.isNegative() || waitForReady.compareTo(timeout.minusMinutes(1)) > 0) {
                throw new IllegalStateException("waitForReady " + waitForReady + " leaves less than a minute of the "
                        + "timeout " + timeout + " for the run: give at most " + timeout.minusMinutes(1));
            }
            return new CloudHsmDrReplicatorProps(this);
        }

        private static void check(String property, String value, Pattern pattern, String allowed) {
            if (!Token.isUnresolved(value) && !pattern.matcher(value).matches()) {
                throw new IllegalArgumentException(property + " contains '" + value + "': " + allowed);
            }
        }

        private static void limit(String property, Integer value, int max, String meaning) {
            if (value != null && (value < 1 || value > max)) {
                throw new IllegalArgumentException(property + " is " + value + ": use 1 to " + max + " (" + meaning
                        + ")");
            }
        }

        private static void positive(String property, Duration d) {
            Objects.requireNonNull(d, property);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(property + " is " + d + ": use a positive duration");
            }
        }

        private static String property(String variable) {
            String[] words = variable.substring("CLOUDHSM_DR_".length()).toLowerCase(java.util.Locale.ROOT).split("_");
            StringBuilder sb = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            return sb.toString();
        }
    }
}
