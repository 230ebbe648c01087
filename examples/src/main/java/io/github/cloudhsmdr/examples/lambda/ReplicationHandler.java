package io.github.cloudhsmdr.examples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.examples.support.ReplicatorSettings;
import io.github.cloudhsmdr.examples.support.ReportMaps;
import io.github.cloudhsmdr.examples.support.Settings;
import io.github.cloudhsmdr.examples.support.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * AWS Lambda handler that replicates CloudHSM backups on a schedule (an EventBridge rule), configured by
 * environment variables.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code DESTINATION_REGIONS}</td><td>regions to copy to, comma-separated</td><td>required</td></tr>
 *   <tr><td>{@code SOURCE_REGION}</td><td>region whose backups are copied</td><td>the function's own region
 *       ({@code AWS_REGION})</td></tr>
 *   <tr><td>{@code CLUSTER_IDS}</td><td>clusters, comma-separated</td><td>every cluster in the source region</td></tr>
 *   <tr><td>{@code REPLICATOR_NAME}</td><td>the ownership tag value on copies</td><td>{@code default}</td></tr>
 *   <tr><td>{@code LOOK_BACK}</td><td>copy backups created within this window ({@code 14d}), or {@code latest}</td>
 *       <td>{@code 14d}</td></tr>
 *   <tr><td>{@code WAIT_FOR_READY}</td><td>wait this long for new copies to turn READY; keep it well under the
 *       function's timeout</td><td>{@code 0} (do not wait)</td></tr>
 *   <tr><td>{@code COPY_TAGS}</td><td>extra tags for every copy, {@code k=v,k2=v2}</td><td>none</td></tr>
 *   <tr><td>{@code RPO_WARN_AFTER} / {@code RPO_CRITICAL_AFTER}</td><td>recovery point objective</td>
 *       <td>{@code 28h} / {@code 32h}</td></tr>
 *   <tr><td>{@code KEEP_LAST}, {@code KEEP_DAILY}, {@code KEEP_WEEKLY}, {@code KEEP_MONTHLY},
 *       {@code KEEP_YEARLY}, {@code KEEP_WITHIN}</td><td>retention of the copies this replicator made (counts, or
 *       {@code unlimited}; a window such as {@code 30d})</td><td>none: every copy is kept</td></tr>
 *   <tr><td>{@code FAIL_ON_PARTIAL}</td><td>{@code true} to fail the invocation on a PARTIAL run too</td>
 *       <td>{@code false}</td></tr>
 *   <tr><td>{@code CLOUDHSM_ENDPOINT}</td><td>endpoint override (a VPC endpoint, or an emulator)</td>
 *       <td>the SDK's</td></tr>
 * </table>
 * A missing or bad value fails the invocation with an {@link IllegalArgumentException} whose message starts
 * with the variable's name, e.g. {@code LOOK_BACK: '2 weeks' is not a duration: ...}. Credentials come from the
 * function's execution role (the SDK's default chain).
 *
 * <h2>Input</h2>
 * The event's {@code mode} chooses what to do: {@code replicate} (the default, so an EventBridge scheduled
 * event replicates), {@code plan} (dry run: returns the plan, changes nothing) or {@code rpo} (returns the
 * recovery points). Other keys of the event are ignored.
 *
 * <h2>Outcome: failures fail the invocation</h2>
 * <ul>
 *   <li>SUCCESS: returns the report as a map ({@link ReportMaps#report}: status, counts, per-pair status,
 *       failures).</li>
 *   <li>PARTIAL (some pairs or items failed, others were done): returns normally, with {@code status}
 *       {@code PARTIAL} and the failures in the map, because retrying the invocation would redo the work that
 *       succeeded for little gain; the next scheduled run retries what failed. Alarm on the returned status,
 *       or set {@code FAIL_ON_PARTIAL=true} to fail the invocation instead.</li>
 *   <li>FAILED (nothing could be done): throws {@link ReplicationFailedException}, so Lambda's {@code Errors}
 *       metric, retries and dead-letter queue or on-failure destination see it. An error is never swallowed
 *       into a "successful" invocation.</li>
 *   <li>{@code rpo} mode throws when the worst recovery point is CRITICAL, MISSING or UNKNOWN.</li>
 * </ul>
 *
 * <h2>One replicator per execution environment</h2>
 * Lambda creates one instance of the handler class per execution environment and calls it for every
 * invocation there. The replicator and its AWS SDK clients are built on the first invocation and reused by all
 * later ones (no per-invocation client set-up, connection reuse). A configuration error is not remembered: the
 * next invocation reads the environment again.
 *
 * <p>Thread-safe; Lambda sends one invocation at a time to an execution environment.
 */
public final class ReplicationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Destination regions, comma-separated (required). */
    public static final String DESTINATION_REGIONS = "DESTINATION_REGIONS";
    /** Source region (default: {@code AWS_REGION}). */
    public static final String SOURCE_REGION = "SOURCE_REGION";
    /** Clusters, comma-separated (default: every cluster in the source region). */
    public static final String CLUSTER_IDS = "CLUSTER_IDS";
    /** Replicator name (default {@code default}). */
    public static final String REPLICATOR_NAME = "REPLICATOR_NAME";
    /** Look-back window or {@code latest} (default {@code 14d}). */
    public static final String LOOK_BACK = "LOOK_BACK";
    /** Wait for READY (default {@code 0}). */
    public static final String WAIT_FOR_READY = "WAIT_FOR_READY";
    /** Extra copy tags, {@code k=v,k2=v2}. */
    public static final String COPY_TAGS = "COPY_TAGS";
    /** Recovery point age that is WARN (default {@code 28h}). */
    public static final String RPO_WARN_AFTER = "RPO_WARN_AFTER";
    /** Recovery point age that is CRITICAL (default {@code 32h}). */
    public static final String RPO_CRITICAL_AFTER = "RPO_CRITICAL_AFTER";
    /** Retention: keep the N newest copies per cluster and region. */
    public static final String KEEP_LAST = "KEEP_LAST";
    /** Retention: keep the newest copy of each of the last N days. */
    public static final String KEEP_DAILY = "KEEP_DAILY";
    /** Retention: keep the newest copy of each of the last N weeks. */
    public static final String KEEP_WEEKLY = "KEEP_WEEKLY";
    /** Retention: keep the newest copy of each of the last N months. */
    public static final String KEEP_MONTHLY = "KEEP_MONTHLY";
    /** Retention: keep the newest copy of each of the last N years. */
    public static final String KEEP_YEARLY = "KEEP_YEARLY";
    /** Retention: keep every copy made within this window of the newest. */
    public static final String KEEP_WITHIN = "KEEP_WITHIN";
    /** {@code true} to fail the invocation on PARTIAL runs too (default {@code false}). */
    public static final String FAIL_ON_PARTIAL = "FAIL_ON_PARTIAL";
    /** Endpoint override for every region (default: the SDK's endpoints). */
    public static final String CLOUDHSM_ENDPOINT = "CLOUDHSM_ENDPOINT";
    /** Set by Lambda: the function's region, the default source region. */
    public static final String AWS_REGION = "AWS_REGION";

    /** The key of the input event that chooses what to do. */
    public static final String MODE = "mode";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationHandler.class);
    private static final String FAIL_ON_PARTIAL_KEY = "fail-on-partial";
    /** Each variable by the logical key of {@link Settings}. */
    private static final Map<String, String> VARIABLE_OF_KEY = Map.ofEntries(
            Map.entry(ReplicatorSettings.DESTINATION_REGIONS, DESTINATION_REGIONS),
            Map.entry(ReplicatorSettings.SOURCE_REGION, SOURCE_REGION),
            Map.entry(ReplicatorSettings.CLUSTERS, CLUSTER_IDS),
            Map.entry(ReplicatorSettings.NAME, REPLICATOR_NAME),
            Map.entry(ReplicatorSettings.LOOK_BACK, LOOK_BACK),
            Map.entry(ReplicatorSettings.WAIT_FOR_READY, WAIT_FOR_READY),
            Map.entry(ReplicatorSettings.COPY_TAGS, COPY_TAGS),
            Map.entry(ReplicatorSettings.RPO_WARN, RPO_WARN_AFTER),
            Map.entry(ReplicatorSettings.RPO_CRITICAL, RPO_CRITICAL_AFTER),
            Map.entry(ReplicatorSettings.KEEP_LAST, KEEP_LAST),
            Map.entry(ReplicatorSettings.KEEP_DAILY, KEEP_DAILY),
            Map.entry(ReplicatorSettings.KEEP_WEEKLY, KEEP_WEEKLY),
            Map.entry(ReplicatorSettings.KEEP_MONTHLY, KEEP_MONTHLY),
            Map.entry(ReplicatorSettings.KEEP_YEARLY, KEEP_YEARLY),
            Map.entry(ReplicatorSettings.KEEP_WITHIN, KEEP_WITHIN),
            Map.entry(FAIL_ON_PARTIAL_KEY, FAIL_ON_PARTIAL),
            Map.entry(Stores.ENDPOINT, CLOUDHSM_ENDPOINT));

    private final Map<String, String> environment;
    private final Clock clock;
    private final Sleeper sleeper;

    private volatile Replication replication;
    private final AtomicInteger builds = new AtomicInteger();

    /** What is built once per execution environment. */
    private record Replication(BackupReplicator replicator, ReplicatorSettings settings, boolean failOnPartial) {
    }

    /** The handler Lambda instantiates: the process environment, the system clock, real sleeping. */
    public ReplicationHandler() {
        this(System.getenv(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * A handler with a given environment, clock and sleeper, e.g. in tests: {@code CLOUDHSM_ENDPOINT} pointing at
     * an emulator on loopback (which gets dummy credentials) and a virtual clock.
     *
     * @param environment the environment variables to read
     * @param clock       the replicator's clock
     * @param sleeper     how the replicator waits
     */
    public ReplicationHandler(Map<String, String> environment, Clock clock, Sleeper sleeper) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs what the event's {@code mode} asks for.
     *
     * @param input   the event; {@code null} or without {@code mode} replicates
     * @param context the Lambda context, or {@code null}
     * @return the report, plan or recovery points as a map of plain values
     * @throws ReplicationFailedException when the run FAILED (or was PARTIAL with {@code FAIL_ON_PARTIAL=true}),
     *                                    or in {@code rpo} mode when a recovery point is CRITICAL, MISSING or
     *                                    UNKNOWN
     * @throws IllegalArgumentException   when an environment variable or the {@code mode} is missing or bad; the
     *                                    message starts with its name
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        String mode = mode(input);
        Replication r = replication();
        warnIfWaitOutlastsTheInvocation(r.settings(), context);
        return switch (mode) {
            case "plan" -> withMode(mode, ReportMaps.plan(r.replicator().plan()));
            case "rpo" -> recoveryPoints(r.replicator().measureRecoveryPoints());
            default -> replicate(r, r.replicator().replicate());
        };
    }

    private static Map<String, Object> replicate(Replication r, ReplicationReport report) {
        Map<String, Object> result = withMode("replicate", ReportMaps.report(report, false));
        result.put("summary", report.summary());
        if (report.status() == RunStatus.FAILED || report.status() == RunStatus.PARTIAL && r.failOnPartial()) {
            throw new ReplicationFailedException(report.status().name(), "Replication " + report.status() + ": "
                    + report.summary() + firstFailures(report), result);
        }
        return result;
    }

    private static String firstFailures(ReplicationReport report) {
        if (report.status() == RunStatus.FAILED) {
            return ""; // the summary of a FAILED run names its first failure already
        }
        return "; failures: " + report.allFailures().stream().limit(3).map(Failure::message)
                .collect(Collectors.joining("; "));
    }

    private static Map<String, Object> recoveryPoints(RecoveryPointReport points) {
        Map<String, Object> result = withMode("rpo", ReportMaps.recoveryPoints(points));
        RecoveryPointStatus worst = points.worst();
        if (worst == RecoveryPointStatus.CRITICAL || worst == RecoveryPointStatus.MISSING
                || worst == RecoveryPointStatus.UNKNOWN) {
            String bad = points.points().stream()
                    .filter(p -> p.status() != RecoveryPointStatus.OK && p.status() != RecoveryPointStatus.WARN)
                    .limit(5).map(ReplicationHandler::describe).collect(Collectors.joining("; "));
            throw new ReplicationFailedException(worst.name(), "Recovery points of replicator '"
                    + points.replicatorName() + "' are " + worst + ": " + (bad.isEmpty()
                    ? points.failures().get(0).message() : bad), result);
        }
        return result;
    }

    private static String describe(RecoveryPoint p) {
        return p.clusterId() + " in " + p.region() + " " + p.status()
                + (p.age() != null ? " (age " + p.age() + ")" : "")
                + (p.failure() != null ? " (" + p.failure().message() + ")" : "");
    }

    private static Map<String, Object> withMode(String mode, Map<String, Object> map) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MODE, mode);
        m.putAll(map);
        return m;
    }

    private static String mode(Map<String, Object> input) {
        Object value = input == null ? null : input.get(MODE);
        if (value == null) {
            return "replicate";
        }
        String mode = value.toString().trim().toLowerCase(Locale.ROOT);
        if (!List.of("replicate", "plan", "rpo").contains(mode)) {
            throw new IllegalArgumentException("input field '" + MODE + "' is '" + value
                    + "': use replicate (the default), plan or rpo");
        }
        return mode;
    }

    /** The replicator of this execution environment, built on first use. */
    private Replication replication() {
        Replication r = replication;
        if (r == null) {
            synchronized (this) {
                r = replication;
                if (r == null) {
                    r = build();
                    replication = r;
                    builds.incrementAndGet();
                }
            }
        }
        return r;
    }

    private Replication build() {
        Map<String, String> values = new LinkedHashMap<>();
        VARIABLE_OF_KEY.forEach((key, variable) -> {
            String v = environment.get(variable);
            if (v != null) {
                values.put(key, v);
            }
        });
        Settings settings = Settings.of(values, key -> VARIABLE_OF_KEY.getOrDefault(key, key));
        ReplicatorSettings config = ReplicatorSettings.from(settings, environment.get(AWS_REGION));
        boolean failOnPartial = settings.bool(FAIL_ON_PARTIAL_KEY, false);
        // the store lives as long as the execution environment; Lambda gives no hook to close it
        AwsBackupStore store = Stores.open(settings);
        BackupReplicator replicator;
        try {
            replicator = config.build(settings, store, clock, sleeper, List.of());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("Replicator built name={} source={} destinations={} clusters={} lookBack={} waitForReady={}",
                config.name(), config.sourceRegion(), config.destinationRegions(),
                config.clusterIds().isEmpty() ? "all" : config.clusterIds(), config.lookBackText(),
                config.waitForReady());
        return new Replication(replicator, config, failOnPartial);
    }

    /** @return how many times this handler built its replicator (1 after a successful first invocation). */
    int replicatorBuilds() {
        return builds.get();
    }

    private static void warnIfWaitOutlastsTheInvocation(ReplicatorSettings settings, Context context) {
        if (context == null || settings.waitForReady().isZero()) {
            return;
        }
        Duration left = Duration.ofMillis(context.getRemainingTimeInMillis());
        if (settings.waitForReady().compareTo(left) >= 0) {
            LOG.warn("WAIT_FOR_READY={} is not shorter than the {} this invocation has left: the function may time "
                    + "out while waiting; copies already started are found by the next run", settings.waitForReady(),
                    left);
        }
    }
}
