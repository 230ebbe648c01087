package io.github.cloudhsmdr.lambda.cdk;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.ContextAttribute;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.ScheduleTargetBaseProps;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * cloudhsm-dr on AWS Lambda, as one construct a team drops into its CDK app:
 * <ul>
 *   <li>the function: the {@code cloudhsm-dr-lambda} handler on Java 21 (or 17), arm64, 512 MB, 15 minutes,
 *       reserved concurrency 1, JSON logs into its own log group, configured by {@code CLOUDHSM_DR_*}
 *       variables; with SnapStart on request, invoked through its alias {@code live};</li>
 *   <li>an EventBridge Scheduler schedule with its own role that may only invoke this function;</li>
 *   <li>an SQS dead-letter queue: the function's on-failure destination (an invocation that failed after its
 *       retry, or that waited in Lambda's queue longer than one schedule) and the schedule's dead-letter queue
 *       (an invocation Scheduler could not deliver);</li>
 *   <li>the execution role: the repository's {@code iam/replicator-policy.json} ({@link ReplicatorPolicy}) plus
 *       writing to its log group;</li>
 *   <li>three alarms: {@link #errorsAlarm()}, {@link #recoveryPointAgeAlarm()} and
 *       {@link #noSuccessfulRunAlarm()}, notifying the optional SNS topic.</li>
 * </ul>
 *
 * <p>Sizing, from the benchmarks (4 clusters, 3 regions, over HTTP through the real SDK): the peak heap was 60 MB
 * at 100 backups and 191 MB at 2,000 backups (6,000 copies). 512 MB leaves room for the JVM's own use above the
 * heap, and gives Lambda's proportional CPU share (about a third of a vCPU), plenty for a job that mostly waits on
 * CloudHSM calls. The time is spent in those calls: a run with nothing to copy costs a few listings per region
 * (under a second of wall time measured, a few seconds against AWS); a first run costs about 1.1 calls per copy.
 * The timeout is Lambda's maximum, 15 minutes, because a run cut off is harmless (its copies were started and the
 * next run finds them, copying nothing twice) but a longer allowance lets a large first run or a wait for READY
 * finish in one invocation.
 *
 * <p>Reserved concurrency 1: Lambda never runs two invocations of the function at once; a schedule that fires
 * while a run is still going waits in Lambda's asynchronous queue until that run ends (or expires after one
 * schedule into the dead-letter queue). So two runs of the replicator never overlap, and no run lock is needed.
 */
public final class CloudHsmDrReplicator extends Construct {
    /** The handler string of the function. */
    public static final String HANDLER = "io.github.cloudhsmdr.lambda.ReplicationHandler::handleRequest";
    /** The metric namespace the handler writes to. */
    public static final String NAMESPACE = "CloudHsmDr";

    private final CloudHsmDrReplicatorProps props;
    private final Function function;
    private final Alias alias;
    private final Role role;
    private final LogGroup logGroup;
    private final Queue deadLetterQueue;
    private final Role scheduleRole;
    private final Schedule schedule;
    private final Alarm errorsAlarm;
    private final Alarm recoveryPointAgeAlarm;
    private final Alarm noSuccessfulRunAlarm;

    /**
     * @param scope the parent
     * @param id    the construct's id
     * @param props what to deploy
     */
    public CloudHsmDrReplicator(Construct scope, String id, CloudHsmDrReplicatorProps props) {
        super(scope, id);
        this.props = Objects.requireNonNull(props, "props");
        String name = props.replicatorName();
        String sourceRegion = props.sourceRegion().orElse(Stack.of(this).getRegion());

        this.logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("cloudhsm-dr replicator " + name + ": iam/replicator-policy.json")
                .inlinePolicies(Map.of("cloudhsm-dr-replicator", PolicyDocument.fromJson(policy(name,
                        sourceRegion, props))))
                .build();
        logGroup.grantWrite(role);

        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();

        Duration every = Duration.minutes(props.schedule().toMinutes());
        this.function = Function.Builder.create(this, "Function")
                .description("cloudhsm-dr: replicates CloudHSM backups of " + sourceRegion + " (replicator " + name
                        + ")")
                .runtime(props.runtime() == CloudHsmDrReplicatorProps.JavaRuntime.JAVA_17
                        ? Runtime.JAVA_17 : Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(HANDLER)
                .code(props.code())
                .memorySize(props.memoryMb())
                .timeout(Duration.seconds(props.timeout().toSeconds()))
                .role(role)
                .reservedConcurrentExecutions(1)
                .environment(environment(props))
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.INFO)
                .logGroup(logGroup)
                .snapStart(props.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .build();
        // one retry: a run is idempotent, and a transient failure should not wait a whole schedule; an event
        // that waited longer than one schedule is stale: the next schedule brings a fresh one
        EventInvokeConfigOptions asyncInvocations = EventInvokeConfigOptions.builder()
                .retryAttempts(1)
                .maxEventAge(Duration.seconds(Math.min(props.schedule().toSeconds(), 6 * 3600)))
                .onFailure(new SqsDestination(deadLetterQueue))
                .build();
        IFunction invoked;
        if (props.snapStart()) {
            this.alias = Alias.Builder.create(this, "Live").aliasName("live")
                    .version(function.getCurrentVersion()).build();
            alias.configureAsyncInvoke(asyncInvocations);
            invoked = alias;
        } else {
            this.alias = null;
            function.configureAsyncInvoke(asyncInvocations);
            invoked = function;
        }

        this.scheduleRole = Role.Builder.create(this, "ScheduleRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
                .description("EventBridge Scheduler: invokes the cloudhsm-dr function " + name)
                .build();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("mode", "replicate");
        input.put("scheduleArn", ContextAttribute.getScheduleArn());
        input.put("scheduledTime", ContextAttribute.getScheduledTime());
        input.put("executionId", ContextAttribute.getExecutionId());
        input.put("attempt", ContextAttribute.getAttemptNumber());
        this.schedule = Schedule.Builder.create(this, "Schedule")
                .description("cloudhsm-dr replicator " + name + ", every " + props.schedule().toMinutes() + " min")
                .schedule(ScheduleExpression.rate(every))
                .target(new LambdaInvoke(invoked, ScheduleTargetBaseProps.builder()
                        .role(scheduleRole)
                        .input(ScheduleTargetInput.fromObject(input))
                        .deadLetterQueue(deadLetterQueue)
                        .retryAttempts(3)
                        .maxEventAge(Duration.seconds(Math.min(props.schedule().toSeconds(), 24 * 3600)))
                        .build()))
                .build();

        Map<String, String> replicator = Map.of("Replicator", name);
        this.errorsAlarm = alarm("ErrorsAlarm", function.metricErrors(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Sum").build()),
                "an invocation failed (run FAILED, or a recovery point CRITICAL, MISSING or UNKNOWN, or bad "
                        + "configuration)",
                1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);
        this.recoveryPointAgeAlarm = alarm("RecoveryPointAgeAlarm", Metric.Builder.create()
                        .namespace(NAMESPACE).metricName("OldestRecoveryPointAge").dimensionsMap(replicator)
                        .statistic("Maximum").period(every).build(),
                "the oldest recovery point is older than " + props.rpoCriticalAfter().toHours() + " h (CRITICAL)",
                props.rpoCriticalAfter().toSeconds(), ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData.NOT_BREACHING);
        this.noSuccessfulRunAlarm = alarm("NoSuccessfulRunAlarm", Metric.Builder.create()
                        .namespace(NAMESPACE).metricName("SuccessfulRuns").dimensionsMap(replicator)
                        .statistic("Sum").period(Duration.minutes(2 * props.schedule().toMinutes())).build(),
                "no successful run within twice the schedule (" + 2 * props.schedule().toMinutes()
                        + " min); no data counts as breaching",
                1, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.BREACHING);
        props.alarmTopic().ifPresent(topic -> {
            IAlarmAction action = new SnsAction(topic);
            for (Alarm alarm : alarms()) {
                alarm.addAlarmAction(action);
                alarm.addOkAction(action);
            }
        });
    }

    /** An alarm on one evaluation period of {@code metric}. */
    private Alarm alarm(String id, Metric metric, String meaning, double threshold, ComparisonOperator comparison,
            TreatMissingData missing) {
        return metric.createAlarm(this, id, CreateAlarmOptions.builder()
                .alarmDescription("cloudhsm-dr " + props.replicatorName() + ": " + meaning
                        + ". See the README, 'Alarms'.")
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(comparison)
                .treatMissingData(missing)
                .build());
    }

    /**
     * The policy file with its placeholders filled in. Destination regions given as a deploy-time value (a
     * template parameter holding {@code us-west-2,eu-west-1}) become a CloudFormation list, so region-scoped
     * statements still get one ARN per region (with {@code *} for the account in those ARNs, see
     * {@link ReplicatorPolicy#document(Map, Map, Map)}).
     */
    private Map<String, Object> policy(String name, String sourceRegion, CloudHsmDrReplicatorProps props) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("ACCOUNT_ID", List.of(Stack.of(this).getAccount()));
        values.put("PARTITION", List.of(Aws.PARTITION));
        values.put("REPLICATOR_NAME", List.of(name));
        values.put("SOURCE_REGION", List.of(sourceRegion));
        Map<String, List<String>> deployTime = new LinkedHashMap<>();
        if (props.destinationRegions().stream().anyMatch(Token::isUnresolved)) {
            deployTime.put("DESTINATION_REGION", Fn.split(",", String.join(",", props.destinationRegions())));
        } else {
            values.put("DESTINATION_REGION", props.destinationRegions());
        }
        // in an ARN built per deploy-time region the account must be literal: any account (an identity policy
        // reaches only this account's backups anyway; CloudHSM backups have no resource policies)
        Map<String, List<String>> beside = Map.of("ACCOUNT_ID", List.of("*"), "PARTITION", List.of("aws"));
        return ReplicatorPolicy.document(values, deployTime, beside);
    }

    /** The function's {@code CLOUDHSM_DR_*} variables. */
    static Map<String, String> environment(CloudHsmDrReplicatorProps props) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLOUDHSM_DR_NAME", props.replicatorName());
        props.sourceRegion().ifPresent(r -> env.put("CLOUDHSM_DR_SOURCE_REGION", r));
        env.put("CLOUDHSM_DR_DESTINATION_REGIONS", String.join(",", props.destinationRegions()));
        if (!props.clusterIds().isEmpty()) {
            env.put("CLOUDHSM_DR_CLUSTERS", String.join(",", props.clusterIds()));
        }
        props.lookBack().ifPresent(v -> env.put("CLOUDHSM_DR_LOOK_BACK", v));
        if (!props.waitForReady().isZero()) {
            env.put("CLOUDHSM_DR_WAIT_FOR_READY", props.waitForReady().toString());
        }
        props.maxConcurrentDestinations().ifPresent(n -> env.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS",
                Integer.toString(n)));
        props.maxConcurrentCallsPerRegion().ifPresent(n -> env.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION",
                Integer.toString(n)));
        env.put("CLOUDHSM_DR_RPO_WARN", props.rpoWarnAfter().toString());
        env.put("CLOUDHSM_DR_RPO_CRITICAL", props.rpoCriticalAfter().toString());
        props.keep().forEach((variable, n) -> env.put(variable, Integer.toString(n)));
        props.keepWithin().ifPresent(w -> env.put("CLOUDHSM_DR_KEEP_WITHIN", w.toString()));
        env.putAll(props.environment());
        return env;
    }

    /** @return the three alarms: errors, recovery point age, no successful run */
    public List<Alarm> alarms() {
        return List.of(errorsAlarm, recoveryPointAgeAlarm, noSuccessfulRunAlarm);
    }

    /** @return the properties it was built with */
    public CloudHsmDrReplicatorProps props() {
        return props;
    }

    /** @return the function */
    public Function function() {
        return function;
    }

    /** @return the alias {@code live} the schedule invokes, when SnapStart is on */
    public Optional<Alias> alias() {
        return Optional.ofNullable(alias);
    }

    /** @return the function's execution role */
    public Role role() {
        return role;
    }

    /** @return the function's log group */
    public LogGroup logGroup() {
        return logGroup;
    }

    /** @return the dead-letter queue */
    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    /** @return the schedule */
    public Schedule schedule() {
        return schedule;
    }

    /** @return the schedule's role */
    public Role scheduleRole() {
        return scheduleRole;
    }

    /** @return the alarm on the function's {@code Errors}: any failed invocation */
    public Alarm errorsAlarm() {
        return errorsAlarm;
    }

    /** @return the alarm on {@code OldestRecoveryPointAge} above the critical age */
    public Alarm recoveryPointAgeAlarm() {
        return recoveryPointAgeAlarm;
    }

    /** @return the alarm on no {@code SuccessfulRuns} within twice the schedule, missing data breaching */
    public Alarm noSuccessfulRunAlarm() {
        return noSuccessfulRunAlarm;
    }

    /** @return the topic the alarms notify, if any */
    public Optional<ITopic> alarmTopic() {
        return props.alarmTopic();
    }
}
