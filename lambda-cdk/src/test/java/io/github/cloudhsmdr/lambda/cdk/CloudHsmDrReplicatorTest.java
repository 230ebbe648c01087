package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The construct's resources and properties, asserted on its synthesized template ({@code Template.fromStack}).
 * One synthesis for the class: the CDK runs in a Node.js process, and a synthesis takes seconds.
 */
class CloudHsmDrReplicatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";

    private static Template template;
    private static Map<String, Object> resources;

    @BeforeAll
    static void synthesize() {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack stack = new Stack(app, "Test", StackProps.builder()
                .env(Environment.builder().account(ACCOUNT).region("us-east-1").build()).build());
        Topic topic = Topic.Builder.create(stack, "Alarms").build();
        new CloudHsmDrReplicator(stack, "Dr", CloudHsmDrReplicatorProps.builder()
                .code(Code.fromBucket(Bucket.fromBucketName(stack, "Code", "artifacts"), "cloudhsm-dr-lambda.jar"))
                .replicatorName("prod-dr")
                .destinationRegions(List.of("us-west-2", "eu-west-1"))
                .clusterIds(List.of("cluster-igklspoyj5v"))
                .lookBack("7d")
                .waitForReady(Duration.ofMinutes(10))
                .maxConcurrentDestinations(2)
                .maxConcurrentCallsPerRegion(4)
                .schedule(Duration.ofMinutes(30))
                .recoveryPointObjective(Duration.ofHours(20), Duration.ofHours(26))
                .keepDaily(14)
                .keepWithin(Duration.ofDays(2))
                .environment("CLOUDHSM_DR_COPY_TAGS", "team=payments")
                .runtime(CloudHsmDrReplicatorProps.JavaRuntime.JAVA_17)
                .alarmTopic(topic)
                .build());
        template = Template.fromStack(stack);
        resources = template.toJSON().get("Resources") instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** @return the logical id of the only resource of {@code type} */
    private static String only(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertEquals(1, found.size(), type + ": " + found.keySet());
        return found.keySet().iterator().next();
    }

    private static Map<String, Object> properties(String logicalId) {
        return cast((Map<?, ?>) cast((Map<?, ?>) resources.get(logicalId)).get("Properties"));
    }

    private static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    private static Map<String, Object> arn(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    @Test
    void functionRunsTheHandlerWithOneConcurrentRunJsonLogsAndTheSettingsAsVariables() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("CLOUDHSM_DR_NAME", "prod-dr");
        variables.put("CLOUDHSM_DR_DESTINATION_REGIONS", "us-west-2,eu-west-1");
        variables.put("CLOUDHSM_DR_CLUSTERS", "cluster-igklspoyj5v");
        variables.put("CLOUDHSM_DR_LOOK_BACK", "7d");
        variables.put("CLOUDHSM_DR_WAIT_FOR_READY", "PT10M");
        variables.put("CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "2");
        variables.put("CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "4");
        variables.put("CLOUDHSM_DR_RPO_WARN", "PT20H");
        variables.put("CLOUDHSM_DR_RPO_CRITICAL", "PT26H");
        variables.put("CLOUDHSM_DR_KEEP_DAILY", "14");
        variables.put("CLOUDHSM_DR_KEEP_WITHIN", "PT48H");
        variables.put("CLOUDHSM_DR_COPY_TAGS", "team=payments");
        String role = roleTrustedBy("lambda.amazonaws.com");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Handler", "io.github.cloudhsmdr.lambda.ReplicationHandler::handleRequest");
        expected.put("Description", "cloudhsm-dr: replicates CloudHSM backups of us-east-1 (replicator prod-dr)");
        expected.put("Runtime", "java17");
        expected.put("Architectures", List.of("arm64"));
        expected.put("MemorySize", 512);
        expected.put("Timeout", 900);
        expected.put("ReservedConcurrentExecutions", 1);
        expected.put("Code", Map.of("S3Bucket", "artifacts", "S3Key", "cloudhsm-dr-lambda.jar"));
        expected.put("Environment", Map.of("Variables", variables));
        expected.put("LoggingConfig", Map.of("LogFormat", "JSON", "ApplicationLogLevel", "INFO",
                "SystemLogLevel", "INFO", "LogGroup", ref(only("AWS::Logs::LogGroup"))));
        expected.put("Role", arn(role));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectEquals(expected));
    }

    @Test
    void logGroupKeepsThreeMonthsAndSurvivesTheStack() {
        template.hasResource("AWS::Logs::LogGroup", Map.of("Properties", Map.of("RetentionInDays", 90),
                "DeletionPolicy", "Retain"));
    }

    @Test
    void failedInvocationsGoToTheDeadLetterQueueAfterOneRetry() {
        String queue = only("AWS::SQS::Queue");
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("MessageRetentionPeriod", 1_209_600,
                "SqsManagedSseEnabled", true));
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectEquals(Map.of(
                "FunctionName", ref(only("AWS::Lambda::Function")),
                "Qualifier", "$LATEST",
                "MaximumRetryAttempts", 1,
                "MaximumEventAgeInSeconds", 1800,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", arn(queue))))));
    }

    @Test
    void scheduleInvokesTheFunctionEveryThirtyMinutesWithItsOwnRoleAndTheDeadLetterQueue() throws IOException {
        String schedule = only("AWS::Scheduler::Schedule");
        Map<String, Object> p = properties(schedule);
        assertEquals("rate(30 minutes)", p.get("ScheduleExpression"));
        assertEquals("ENABLED", p.get("State"));
        assertEquals(Map.of("Mode", "OFF"), p.get("FlexibleTimeWindow"));
        Map<String, Object> target = cast((Map<?, ?>) p.get("Target"));
        assertEquals(arn(only("AWS::Lambda::Function")), target.get("Arn"));
        String scheduleRole = roleTrustedBy("scheduler.amazonaws.com");
        assertEquals(arn(scheduleRole), target.get("RoleArn"));
        assertEquals(Map.of("Arn", arn(only("AWS::SQS::Queue"))), target.get("DeadLetterConfig"));
        assertEquals(Map.of("MaximumRetryAttempts", 3, "MaximumEventAgeInSeconds", 1800), target.get("RetryPolicy"));
        Map<String, Object> input = JSON.readValue((String) target.get("Input"),
                new TypeReference<Map<String, Object>>() { });
        assertEquals(Map.of("mode", "replicate",
                "scheduleArn", "<aws.scheduler.schedule-arn>",
                "scheduledTime", "<aws.scheduler.scheduled-time>",
                "executionId", "<aws.scheduler.execution-id>",
                "attempt", "<aws.scheduler.attempt-number>"), input);
    }

    @Test
    void scheduleRoleMayOnlyInvokeTheFunctionAndWriteToTheDeadLetterQueue() {
        String scheduleRole = roleTrustedBy("scheduler.amazonaws.com");
        List<Object> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().stream()
                .filter(r -> cast((Map<?, ?>) r.get("Properties")).get("Roles").equals(List.of(ref(scheduleRole))))
                .forEach(r -> statements.addAll((Collection<?>) cast((Map<?, ?>) cast((Map<?, ?>) r.get("Properties"))
                        .get("PolicyDocument")).get("Statement")));
        String function = only("AWS::Lambda::Function");
        assertEquals(List.of(
                Map.of("Action", "lambda:InvokeFunction", "Effect", "Allow", "Resource", List.of(arn(function),
                        Map.of("Fn::Join", List.of("", List.of(arn(function), ":*"))))),
                Map.of("Action", "sqs:SendMessage", "Effect", "Allow", "Resource", arn(only("AWS::SQS::Queue")))),
                statements);
    }

    @Test
    void executionRoleHoldsExactlyTheRepositorysReplicatorPolicy() throws IOException {
        String file = Files.readString(Path.of(System.getProperty("cloudhsmdr.iam.dir", "../iam"),
                ReplicatorPolicy.FILE));
        // filled in as iam/README.md does it by hand: one list entry and one ARN per destination region
        String filled = file
                .replaceAll("\"<DESTINATION_REGION>\"", "\"us-west-2\", \"eu-west-1\"")
                .replaceAll("\"([^\"]*)<DESTINATION_REGION>([^\"]*)\"", "[ \"$1us-west-2$2\", \"$1eu-west-1$2\" ]")
                .replace("<SOURCE_REGION>", "us-east-1")
                .replace("<ACCOUNT_ID>", ACCOUNT)
                .replace("<REPLICATOR_NAME>", "prod-dr");
        Map<String, Object> expected = JSON.readValue(filled, new TypeReference<Map<String, Object>>() { });
        Map<String, Object> role = properties(roleTrustedBy("lambda.amazonaws.com"));
        List<?> policies = (List<?>) role.get("Policies");
        assertEquals(1, policies.size());
        Map<String, Object> policy = cast((Map<?, ?>) policies.get(0));
        assertEquals("cloudhsm-dr-replicator", policy.get("PolicyName"));
        assertEquals(normalize(expected), normalize(cast((Map<?, ?>) policy.get("PolicyDocument"))),
                "the role's inline policy and iam/replicator-policy.json diverge");
        assertEquals(file, new String(ReplicatorPolicy.class.getResourceAsStream(ReplicatorPolicy.FILE)
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "the packaged copy is the file");
    }

    @Test
    void executionRoleMayWriteItsLogsAndTheDeadLetterQueueOnly() {
        String role = roleTrustedBy("lambda.amazonaws.com");
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectEquals(Map.of(
                "PolicyName", Match.anyValue(),
                "Roles", List.of(ref(role)),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"), "Effect", "Allow",
                                "Resource", arn(only("AWS::Logs::LogGroup"))),
                        Map.of("Action", List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                                "Effect", "Allow", "Resource", arn(only("AWS::SQS::Queue"))))))));
    }

    @Test
    void errorsAlarmFiresOnAnyFailedInvocation() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(map(
                "Namespace", "AWS/Lambda", "MetricName", "Errors",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(only("AWS::Lambda::Function")))),
                "Statistic", "Sum", "Period", 300, "EvaluationPeriods", 1, "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(ref(only("AWS::SNS::Topic"))),
                "OKActions", List.of(ref(only("AWS::SNS::Topic"))))));
    }

    @Test
    void recoveryPointAgeAlarmFiresAboveTheCriticalAge() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(map(
                "Namespace", "CloudHsmDr", "MetricName", "OldestRecoveryPointAge",
                "Dimensions", List.of(Map.of("Name", "Replicator", "Value", "prod-dr")),
                "Statistic", "Maximum", "Period", 1800, "EvaluationPeriods", 1, "Threshold", 26 * 3600,
                "ComparisonOperator", "GreaterThanThreshold", "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(ref(only("AWS::SNS::Topic"))))));
    }

    @Test
    void noSuccessfulRunAlarmLooksAtTwiceTheScheduleAndTreatsMissingDataAsBreaching() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(map(
                "Namespace", "CloudHsmDr", "MetricName", "SuccessfulRuns",
                "Dimensions", List.of(Map.of("Name", "Replicator", "Value", "prod-dr")),
                "Statistic", "Sum", "Period", 3600, "EvaluationPeriods", 1, "Threshold", 1,
                "ComparisonOperator", "LessThanThreshold", "TreatMissingData", "breaching",
                "AlarmActions", List.of(ref(only("AWS::SNS::Topic"))))));
    }

    @Test
    void createsExactlyTheseResources() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        resources.values().forEach(r -> counts.merge((String) cast((Map<?, ?>) r).get("Type"), 1, Integer::sum));
        assertEquals(Map.of(
                "AWS::CloudWatch::Alarm", 3,
                "AWS::IAM::Policy", 2,
                "AWS::IAM::Role", 2,
                "AWS::Lambda::EventInvokeConfig", 1,
                "AWS::Lambda::Function", 1,
                "AWS::Logs::LogGroup", 1,
                "AWS::SNS::Topic", 1,
                "AWS::SQS::Queue", 1,
                "AWS::SQS::QueuePolicy", 1,
                "AWS::Scheduler::Schedule", 1), counts);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** @return the logical id of the role that {@code service} may assume */
    private static String roleTrustedBy(String service) {
        List<String> ids = template.findResources("AWS::IAM::Role").entrySet().stream()
                .filter(e -> JSON.valueToTree(e.getValue()).toString().contains("\"Service\":\"" + service + "\""))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, ids.size(), service + ": " + ids);
        return ids.get(0);
    }

    /** A policy as sets: CloudFormation writes a one-element Action or Resource as a string. */
    private static Object normalize(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put((String) k, (k.equals("Action") || k.equals("Resource"))
                    && v instanceof String s ? List.of(s) : normalize(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(CloudHsmDrReplicatorTest::normalize).toList();
        }
        return node;
    }
}
