package io.github.cloudhsmdr.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RecoveryPoint;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.RecoveryPointStatus;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * AWS Lambda handler that replicates CloudHSM backups on a schedule: an EventBridge Scheduler schedule or a
 * classic EventBridge scheduled rule. Handler string:
 * {@code io.github.cloudhsmdr.lambda.ReplicationHandler::handleRequest}; configuration by environment variables
 * ({@link HandlerSettings}, the CLI's option names with the prefix {@code CLOUDHSM_DR_}).
 *
 * <h2>Input</h2>
 * The event's {@code mode} chooses what to do: {@code replicate} (the default, so any scheduled event
 * replicates), {@code plan} (dry run: returns the plan, changes nothing) or {@code rpo} (measures the recovery
 * points only). Other members are only logged (which schedule or rule fired, and when).
 *
 * <h2>Outcome</h2>
 * A replicate invocation runs the replicator, then measures the recovery points, writes the
 * {@link EmbeddedMetrics} documents to stdout and returns the run and the points as a map. It throws
 * {@link ReplicationFailedException}, so that Lambda's {@code Errors} metric, its retries and the on-failure
 * destination see it, when
 * <ul>
 *   <li>the run is FAILED (or PARTIAL with {@code CLOUDHSM_DR_FAIL_ON_PARTIAL=true}), or</li>
 *   <li>a recovery point is CRITICAL, MISSING or UNKNOWN.</li>
 * </ul>
 * A PARTIAL run otherwise returns normally: retrying the whole invocation would redo what succeeded, and the next
 * scheduled run retries what failed. An {@code rpo} invocation throws on the same recovery point statuses.
 *
 * <h2>One replicator per execution environment; SnapStart</h2>
 * The constructor reads nothing but its arguments: no environment parsing, no AWS SDK client, no network call
 * during the function's init phase, so a SnapStart snapshot holds no connection or credentials. The replicator
 * and its SDK clients are built on the first invocation and reused by later ones; a configuration error is not
 * remembered, the next invocation reads the environment again.
 *
 * <p>Thread-safe; Lambda sends one invocation at a time to an execution environment.
 */
public final class ReplicationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** The key of the input event that chooses what to do. */
    public static final String MODE = "mode";
    /** The MDC key of the run id, set by the engine during a run and kept here for the rest of the invocation. */
    public static final String RUN_ID = "runId";
    /** The MDC key of the Lambda request id, set for the whole invocation. */
    public static final String REQUEST_ID = "requestId";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationHandler.class);
    private static final Set<RecoveryPointStatus> FAILING_POINTS =
            Set.of(RecoveryPointStatus.CRITICAL, RecoveryPointStatus.MISSING, RecoveryPointStatus.UNKNOWN);
    private static final StaticCredentialsProvider LOOPBACK_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "emulator-secret"));

    private final Map<String, String> environment;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintStream metricsOut;
    private final EmbeddedMetrics metrics = new EmbeddedMetrics();
    private final AtomicInteger builds = new AtomicInteger();

    private volatile Replication replication;

    /** What is built once per execution environment. */
    private record Replication(BackupReplicator replicator, HandlerSettings settings) {
    }

    /** The handler Lambda instantiates: the process environment, the system clock, real sleeping, stdout. */
    public ReplicationHandler() {
        this(System.getenv(), Clock.systemUTC(), Sleeper.SYSTEM, System.out);
    }

    /**
     * A handler with a given environment, clock, sleeper and metrics stream, e.g. in tests:
     * {@code CLOUDHSM_DR_ENDPOINT_URL} pointing at an emulator on loopback (which gets dummy credentials) and a
     * virtual clock.
     *
     * @param environment the environment variables to read
     * @param clock       the replicator's clock
     * @param sleeper     how the replicator waits
     * @param metricsOut  where the Embedded Metric Format documents go (Lambda: stdout)
     */
    public ReplicationHandler(Map<String, String> environment, Clock clock, Sleeper sleeper, PrintStream metricsOut) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.metricsOut = Objects.requireNonNull(metricsOut, "metricsOut");
    }

    /**
     * Runs what the event's {@code mode} asks for.
     *
     * @param input   the event; {@code null} or without {@code mode} replicates
     * @param context the Lambda context, or {@code null}
     * @return the run, plan or recovery points as a map of plain values
     * @throws ReplicationFailedException when the run FAILED (or was PARTIAL with
     *                                    {@code CLOUDHSM_DR_FAIL_ON_PARTIAL=true}), or a recovery point is
     *                                    CRITICAL, MISSING or UNKNOWN
     * @throws IllegalArgumentException   when an environment variable or the {@code mode} is missing or bad; the
     *                                    message starts with its name
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        try {
            String mode = mode(input);
            LOG.info("Invoked mode={} trigger={}", mode, Triggers.describe(input));
            Replication r = replication();
            warnIfWaitOutlastsTheInvocation(r.settings(), context);
            return switch (mode) {
                case "plan" -> plan(r.replicator().plan());
                case "rpo" -> measure(r, null, requestId);
                default -> replicate(r, requestId);
            };
        } finally {
            MDC.remove(REQUEST_ID);
            MDC.remove(RUN_ID);
        }
    }

    private Map<String, Object> replicate(Replication r, String requestId) {
        ReplicationReport report = r.replicator().replicate();
        MDC.put(RUN_ID, report.runId()); // the engine's run id, so the handler's lines and metrics after the run carry it
        return measure(r, report, requestId);
    }

    /** Measures the recovery points, writes the metrics, returns the result or throws. */
    private Map<String, Object> measure(Replication r, ReplicationReport report, String requestId) {
        RecoveryPointReport points = r.replicator().measureRecoveryPoints();
        metricsOut.print(metrics.documents(report, points, MDC.get(RUN_ID), requestId));
        metricsOut.flush();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put(MODE, report == null ? "rpo" : "replicate");
        result.put("replicator", points.replicatorName());
        if (report != null) {
            result.put("sourceRegion", report.sourceRegion());
            result.put("status", report.status().name());
            result.put("summary", report.summary());
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("pairs", report.outcomes().size());
            counts.put("copied", report.copied());
            counts.put("alreadyPresent", report.count(CopyAction.ALREADY_PRESENT));
            counts.put("inProgress", report.count(CopyAction.IN_PROGRESS));
            counts.put("deleted", report.deleted());
            counts.put("failed", report.failedCount());
            result.put("counts", counts);
            result.put("failures", failures(report.allFailures()));
        }
        result.put("recoveryPoints", recoveryPoints(points));

        RecoveryPointStatus worst = points.worst();
        if (report != null) {
            LOG.info("Run finished status={} recoveryPoints={} {}", report.status(), worst, report.summary());
        } else {
            LOG.info("Recovery points measured worst={} points={}", worst, points.points().size());
        }
        if (report != null && (report.status() == RunStatus.FAILED
                || report.status() == RunStatus.PARTIAL && r.settings().failOnPartial())) {
            throw new ReplicationFailedException(report.status().name(), "Replication " + report.status() + ": "
                    + report.summary() + firstFailures(report), result);
        }
        if (FAILING_POINTS.contains(worst)) {
            String bad = points.points().stream().filter(p -> FAILING_POINTS.contains(p.status())).limit(5)
                    .map(ReplicationHandler::describe).collect(Collectors.joining("; "));
            throw new ReplicationFailedException(worst.name(), "Recovery points of replicator '"
                    + points.replicatorName() + "' are " + worst + ": " + (bad.isEmpty() && !points.failures().isEmpty()
                    ? points.failures().get(0).message() : bad), result);
        }
        return result;
    }

    private static Map<String, Object> plan(ReplicationPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MODE, "plan");
        m.put("copies", plan.copyCount());
        m.put("deletions", plan.deletionCount());
        m.put("plan", plan.describe());
        return m;
    }

    private static Map<String, Object> recoveryPoints(RecoveryPointReport points) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worst", points.worst().name());
        m.put("warnAfter", points.warnAfter() == null ? null : points.warnAfter().toString());
        m.put("criticalAfter", points.criticalAfter() == null ? null : points.criticalAfter().toString());
        List<Object> list = new ArrayList<>();
        for (RecoveryPoint p : points.points()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("clusterId", p.clusterId());
            i.put("region", p.region());
            i.put("status", p.status().name());
            if (p.backupId() != null) {
                i.put("backupId", p.backupId());
            }
            if (p.age() != null) {
                i.put("age", p.age().toString());
            }
            list.add(i);
        }
        m.put("points", list);
        m.put("failures", failures(points.failures()));
        return m;
    }

    private static List<Object> failures(List<Failure> failures) {
        List<Object> out = new ArrayList<>();
        for (Failure f : failures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().name());
            if (f.operation() != null) {
                m.put("operation", f.operation());
            }
            m.put("message", f.message());
            m.put("attempts", f.attempts());
            out.add(m);
        }
        return out;
    }

    private static String firstFailures(ReplicationReport report) {
        if (report.status() == RunStatus.FAILED) {
            return ""; // the summary of a FAILED run names its first failure already
        }
        return "; failures: " + report.allFailures().stream().limit(3).map(Failure::message)
                .collect(Collectors.joining("; "));
    }

    private static String describe(RecoveryPoint p) {
        return p.clusterId() + " in " + p.region() + " " + p.status()
                + (p.age() != null ? " (age " + p.age() + ")" : "")
                + (p.failure() != null ? " (" + p.failure().message() + ")" : "");
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
        HandlerSettings settings = HandlerSettings.fromEnvironment(environment);
        ReplicatorSettings config = settings.replicator();
        // the store lives as long as the execution environment; Lambda gives no hook to close it
        AwsBackupStore store = openStore(settings);
        BackupReplicator replicator;
        try {
            replicator = config.applyTo(BackupReplicator.builder()).backupStore(store).clock(clock)
                    .sleeper(sleeper).build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("Replicator built name={} source={} destinations={} clusters={} selection={} waitForReady={} "
                        + "retention={} maxConcurrentDestinations={} maxConcurrentCallsPerRegion={}", config.name(),
                config.sourceRegion(), config.destinationRegions(),
                config.clusterIds().isEmpty() ? "all" : config.clusterIds(), config.selection(),
                config.waitForReady(), config.retention().map(Object::toString).orElse("none"),
                replicator.config().maxConcurrentDestinations(), replicator.config().maxConcurrentCallsPerRegion());
        return new Replication(replicator, settings);
    }

    /**
     * The store: the SDK's endpoints and default credentials chain (the function's execution role), or every call
     * to {@code CLOUDHSM_DR_ENDPOINT_URL}, with dummy credentials when that is on loopback (an emulator).
     */
    private static AwsBackupStore openStore(HandlerSettings settings) {
        AwsBackupStore.Builder b = AwsBackupStore.builder();
        URI endpoint = settings.endpoint();
        if (endpoint != null) {
            b.endpointOverride(endpoint);
            String host = endpoint.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) {
                b.credentialsProvider(LOOPBACK_CREDENTIALS);
            }
        }
        return b.build();
    }

    /** @return how many times this handler built its replicator (1 after a successful first invocation). */
    int replicatorBuilds() {
        return builds.get();
    }

    /** @return the configuration of the replicator built, or {@code null} before the first invocation built it. */
    ReplicatorConfig replicatorConfig() {
        Replication r = replication;
        return r == null ? null : r.replicator().config();
    }

    /** @return whether the replicator (and so any AWS SDK client) exists yet. */
    boolean initialized() {
        return replication != null;
    }

    private static void warnIfWaitOutlastsTheInvocation(HandlerSettings settings, Context context) {
        if (context == null || settings.replicator().waitForReady().isZero()) {
            return;
        }
        Duration left = Duration.ofMillis(context.getRemainingTimeInMillis());
        if (settings.replicator().waitForReady().compareTo(left) >= 0) {
            LOG.warn("{}={} is not shorter than the {} this invocation has left: the function may time out while "
                    + "waiting; copies already started are found by the next run", HandlerSettings.WAIT_FOR_READY,
                    settings.replicator().waitForReady(), left);
        }
    }
}
