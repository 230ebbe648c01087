package io.github.cloudhsmdr.lambda.cdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SnapStart on: a published version behind the alias {@code live}, which the schedule invokes. One synthesis. */
class SnapStartTest {
    private static Template template;

    @BeforeAll
    static void synthesize() {
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        Stack stack = new Stack(app, "SnapStart");
        new CloudHsmDrReplicator(stack, "Dr", CloudHsmDrReplicatorProps.builder()
                .code(Code.fromBucket(Bucket.fromBucketName(stack, "Code", "artifacts"), "cloudhsm-dr-lambda.jar"))
                .destinationRegions(List.of("us-west-2"))
                .snapStart(true)
                .build());
        template = Template.fromStack(stack);
    }

    private static String only(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertEquals(1, found.size(), type + ": " + found.keySet());
        return found.keySet().iterator().next();
    }

    @Test
    void functionSnapshotsPublishedVersions() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"), "ReservedConcurrentExecutions", 1)));
        template.hasResourceProperties("AWS::Lambda::Version", Map.of(
                "FunctionName", Map.of("Ref", only("AWS::Lambda::Function"))));
    }

    @Test
    void scheduleInvokesTheAliasAndItsFailuresGoToTheDeadLetterQueue() {
        String alias = only("AWS::Lambda::Alias");
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of("Name", "live",
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(only("AWS::Lambda::Version"), "Version"))));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "Target", Match.objectLike(Map.of("Arn", Map.of("Ref", alias))))));
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of(
                "Qualifier", Match.objectLike(Map.of("Fn::Select", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Fn::Split", Match.arrayWith(List.of(Map.of("Ref", alias))))))))),
                "MaximumRetryAttempts", 1,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                        Map.of("Fn::GetAtt", List.of(only("AWS::SQS::Queue"), "Arn")))))));
        template.resourceCountIs("AWS::Lambda::EventInvokeConfig", 1);
    }
}
