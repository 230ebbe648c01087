package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.DefaultStackSynthesizerProps;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The CDK app of the repository, two ways:
 * <ul>
 *   <li>{@code --template FILE}: writes the stand-alone CloudFormation template ({@code deploy/template.json}) for
 *       teams without the CDK. Its deployment package is not a CDK asset but two parameters, {@code CodeS3Bucket}
 *       and {@code CodeS3Key}, naming where the team uploaded the jar: such a template needs no CDK bootstrap
 *       stack, no asset publishing and no {@code cdk} command, only {@code aws cloudformation deploy}. The
 *       replicator's settings are parameters too; the schedule (hourly) and the recovery point objective
 *       (28 h / 32 h, also the age alarm's threshold) are fixed in it.</li>
 *   <li>no arguments: a CDK app for {@code cdk deploy} (see {@code deploy/cdk.json}), configured by context
 *       values ({@code -c destinationRegions=us-west-2,eu-west-1 -c replicatorName=prod-dr ...}), with the jar as
 *       an asset.</li>
 * </ul>
 */
public final class DeployApp {
    /** The stack's name. */
    public static final String STACK_NAME = "CloudHsmDr";
    /** The default deployment package of {@code cdk deploy}, relative to {@code deploy/}. */
    public static final String DEFAULT_JAR = "../lambda/target/cloudhsm-dr-lambda-0.1.0-SNAPSHOT-aws-lambda.jar";

    private static final String REGIONS = "[a-z]{2}(-[a-z]+)+-[0-9]{1,2}";
    private static final String CLUSTER = "cluster-[2-7a-zA-Z]{11,16}";
    /** 1 to {@link CloudHsmDrReplicatorProps#MAX_CONCURRENT_DESTINATIONS}, or empty. */
    static final String DESTINATIONS_LIMIT = "([1-9]|[1-5][0-9]|6[0-4])?";
    /** 1 to {@link CloudHsmDrReplicatorProps#MAX_CONCURRENT_CALLS_PER_REGION}, or empty. */
    static final String CALLS_PER_REGION_LIMIT = "([1-9]|1[0-6])?";

    private DeployApp() {
    }

    /**
     * @param args {@code --template FILE}, or nothing for {@code cdk deploy}
     * @throws IOException when the template cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--template")) {
            Path file = Path.of(args[1]);
            Files.writeString(file, templateJson());
            System.out.println("wrote " + file.toAbsolutePath().normalize());
        } else if (args.length == 0) {
            cdkApp();
        } else {
            System.err.println("usage: DeployApp [--template FILE]; got " + Arrays.toString(args));
            System.exit(64);
        }
    }

    /** @return the stand-alone template, as written to {@code deploy/template.json} */
    public static String templateJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(standaloneStack().template()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the template as JSON", e);
        }
    }

    /** The synthesized stand-alone stack. */
    record Synthesized(Stack stack, CloudHsmDrReplicator replicator, Object template) {
    }

    /** @return the stand-alone stack, synthesized */
    static Synthesized standaloneStack() {
        App app = new App(AppProps.builder()
                .analyticsReporting(false)
                .context(Map.of("aws:cdk:enable-path-metadata", false))
                .build());
        Stack stack = new Stack(app, STACK_NAME, StackProps.builder()
                .description("cloudhsm-dr: replicates AWS CloudHSM backups to other regions on a schedule, "
                        + "with retention, recovery point metrics and alarms")
                .synthesizer(new DefaultStackSynthesizer(DefaultStackSynthesizerProps.builder()
                        .generateBootstrapVersionRule(false).build()))
                .build());

        CfnParameter bucket = parameter(stack, "CodeS3Bucket", null, "S3 bucket (in this region) holding the "
                + "deployment package cloudhsm-dr-lambda-<version>-aws-lambda.jar", ".+");
        CfnParameter key = parameter(stack, "CodeS3Key", null, "S3 key of the deployment package", ".+");
        CfnParameter name = parameter(stack, "ReplicatorName", "default", "the replicator's name: the "
                + "ownership tag value on its copies; retention deletes only copies with this name",
                "[A-Za-z0-9_.:/=+\\-@]{1,64}");
        CfnParameter destinations = parameter(stack, "DestinationRegions", null, "regions to copy to, "
                + "separated by commas, e.g. us-west-2,eu-west-1", REGIONS + "(," + REGIONS + ")*");
        CfnParameter clusters = parameter(stack, "ClusterIds", "", "clusters to replicate, separated by commas "
                + "(empty: every cluster in this region)", "(" + CLUSTER + "(," + CLUSTER + ")*)?");
        CfnParameter lookBack = parameter(stack, "LookBack", "14d", "copy READY backups created within this "
                + "window (14d, 36h), or latest", "latest|([0-9]+[dhms])+");
        CfnParameter wait = parameter(stack, "WaitForReady", "0", "wait up to this long for new copies to turn "
                + "READY (0, 10m); keep it well under the 15-minute timeout", "0|([0-9]+[dhms])+");
        CfnParameter maxDestinations = parameter(stack, "MaxConcurrentDestinations", "", "destination regions "
                + "worked on at once, 1 to " + CloudHsmDrReplicatorProps.MAX_CONCURRENT_DESTINATIONS
                + " (empty: the default, 4)", DESTINATIONS_LIMIT);
        CfnParameter maxCallsPerRegion = parameter(stack, "MaxConcurrentCallsPerRegion", "", "the most calls sent "
                + "to one region at once, 1 to " + CloudHsmDrReplicatorProps.MAX_CONCURRENT_CALLS_PER_REGION
                + ": the ceiling of a limit that adapts to throttling; lower it to leave room for other tools calling "
                + "the account (empty: the default, 8)", CALLS_PER_REGION_LIMIT);
        CfnParameter keepLast = keepCount(stack, "KeepLast", "keep the N newest copies per cluster and region");
        CfnParameter keepDaily = keepCount(stack, "KeepDaily", "keep the newest copy of each of the last N days");
        CfnParameter keepWeekly = keepCount(stack, "KeepWeekly", "keep the newest copy of each of the last N weeks");
        CfnParameter keepMonthly = keepCount(stack, "KeepMonthly",
                "keep the newest copy of each of the last N months");
        CfnParameter keepYearly = keepCount(stack, "KeepYearly", "keep the newest copy of each of the last N years");
        CfnParameter keepWithin = parameter(stack, "KeepWithin", "", "retention: keep every copy made within this "
                + "window before the newest (30d); empty: no such rule", "(([0-9]+[dhms])+)?");
        CfnParameter email = parameter(stack, "AlarmEmail", "", "an e-mail address the alarms notify (empty: "
                + "none; subscribe to the AlarmTopicArn output later)", "([^@\\s]+@[^@\\s]+)?");

        Topic topic = Topic.Builder.create(stack, "AlarmTopic").displayName("cloudhsm-dr alarms").build();
        CfnCondition hasEmail = CfnCondition.Builder.create(stack, "HasAlarmEmail")
                .expression(Fn.conditionNot(Fn.conditionEquals(email.getValueAsString(), ""))).build();
        CfnSubscription subscription = CfnSubscription.Builder.create(stack, "AlarmEmailSubscription")
                .topicArn(topic.getTopicArn()).protocol("email").endpoint(email.getValueAsString()).build();
        subscription.getCfnOptions().setCondition(hasEmail);

        CloudHsmDrReplicator replicator = new CloudHsmDrReplicator(stack, "Replicator",
                CloudHsmDrReplicatorProps.builder()
                        .code(Code.fromBucket(Bucket.fromBucketName(stack, "CodeBucket", bucket.getValueAsString()),
                                key.getValueAsString()))
                        .replicatorName(name.getValueAsString())
                        .destinationRegions(List.of(destinations.getValueAsString()))
                        .lookBack(lookBack.getValueAsString())
                        .environment("CLOUDHSM_DR_CLUSTERS", clusters.getValueAsString())
                        .environment("CLOUDHSM_DR_WAIT_FOR_READY", wait.getValueAsString())
                        .environment("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", maxDestinations.getValueAsString())
                        .environment("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION",
                                maxCallsPerRegion.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_LAST", keepLast.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_DAILY", keepDaily.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_WEEKLY", keepWeekly.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_MONTHLY", keepMonthly.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_YEARLY", keepYearly.getValueAsString())
                        .environment("CLOUDHSM_DR_KEEP_WITHIN", keepWithin.getValueAsString())
                        .alarmTopic(topic)
                        .build());
        outputs(stack, replicator, topic);
        Object template = app.synth().getStackByName(STACK_NAME).getTemplate();
        return new Synthesized(stack, replicator, template);
    }

    /** {@code cdk deploy}: the construct configured by context values, the jar as an asset. */
    private static void cdkApp() {
        App app = new App();
        Stack stack = new Stack(app, context(app, "stackName", STACK_NAME), StackProps.builder()
                .description("cloudhsm-dr: replicates AWS CloudHSM backups to other regions on a schedule").build());
        CloudHsmDrReplicatorProps.Builder props = CloudHsmDrReplicatorProps.builder()
                .code(Code.fromAsset(context(app, "codeJar", DEFAULT_JAR)))
                .replicatorName(context(app, "replicatorName", "default"))
                .destinationRegions(list(context(app, "destinationRegions", "")))
                .clusterIds(list(context(app, "clusterIds", "")))
                .schedule(Duration.ofMinutes(Long.parseLong(context(app, "scheduleMinutes", "60"))))
                .recoveryPointObjective(Duration.ofHours(Long.parseLong(context(app, "rpoWarnHours", "28"))),
                        Duration.ofHours(Long.parseLong(context(app, "rpoCriticalHours", "32"))));
        String lookBack = context(app, "lookBack", "");
        if (!lookBack.isEmpty()) {
            props.lookBack(lookBack);
        }
        String maxDestinations = context(app, "maxConcurrentDestinations", "");
        if (!maxDestinations.isEmpty()) {
            props.maxConcurrentDestinations(Integer.parseInt(maxDestinations));
        }
        String maxCallsPerRegion = context(app, "maxConcurrentCallsPerRegion", "");
        if (!maxCallsPerRegion.isEmpty()) {
            props.maxConcurrentCallsPerRegion(Integer.parseInt(maxCallsPerRegion));
        }
        String keepDaily = context(app, "keepDaily", "");
        if (!keepDaily.isEmpty()) {
            props.keepDaily(Integer.parseInt(keepDaily));
        }
        props.snapStart(Boolean.parseBoolean(context(app, "snapStart", "false")));
        String email = context(app, "alarmEmail", "");
        Topic topic = Topic.Builder.create(stack, "AlarmTopic").displayName("cloudhsm-dr alarms").build();
        if (!email.isEmpty()) {
            CfnSubscription.Builder.create(stack, "AlarmEmailSubscription")
                    .topicArn(topic.getTopicArn()).protocol("email").endpoint(email).build();
        }
        CloudHsmDrReplicator replicator = new CloudHsmDrReplicator(stack, "Replicator",
                props.alarmTopic(topic).build());
        outputs(stack, replicator, topic);
        app.synth();
    }

    private static void outputs(Stack stack, CloudHsmDrReplicator replicator, Topic topic) {
        CfnOutput.Builder.create(stack, "FunctionName").value(replicator.function().getFunctionName())
                .description("the replicator's Lambda function").build();
        CfnOutput.Builder.create(stack, "LogGroupName").value(replicator.logGroup().getLogGroupName())
                .description("its JSON logs and Embedded Metric Format documents").build();
        CfnOutput.Builder.create(stack, "DeadLetterQueueUrl").value(replicator.deadLetterQueue().getQueueUrl())
                .description("failed and undeliverable invocations").build();
        CfnOutput.Builder.create(stack, "AlarmTopicArn").value(topic.getTopicArn())
                .description("subscribe to receive the alarms").build();
    }

    private static CfnParameter parameter(Stack stack, String id, String defaultValue, String description,
            String pattern) {
        CfnParameter.Builder b = CfnParameter.Builder.create(stack, id).type("String").description(description)
                .allowedPattern("^(" + pattern + ")$")
                .constraintDescription(id + " must match ^(" + pattern + ")$");
        if (defaultValue != null) {
            b.defaultValue(defaultValue);
        }
        return b.build();
    }

    private static CfnParameter keepCount(Stack stack, String id, String description) {
        return parameter(stack, id, "", "retention: " + description + " (empty: no such rule; no rule at all "
                + "keeps every copy)", "([0-9]+|unlimited)?");
    }

    private static String context(App app, String key, String defaultValue) {
        Object v = app.getNode().tryGetContext(key);
        return v == null ? defaultValue : v.toString();
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isBlank() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }
}
