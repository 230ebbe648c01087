package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filling in a policy template generically, with region placeholders as region-scoped policies use them. */
class ReplicatorPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> SCOPED = read("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "List", "Effect": "Allow", "Action": "cloudhsm:DescribeBackups", "Resource": "*",
               "Condition": {"StringEquals": {"aws:RequestedRegion": ["<SOURCE_REGION>", "<DESTINATION_REGION>"]}}},
              {"Sid": "Delete", "Effect": "Allow", "Action": "cloudhsm:DeleteBackup",
               "Resource": "arn:aws:cloudhsm:<DESTINATION_REGION>:<ACCOUNT_ID>:backup/*"}]}
            """);

    private static Map<String, Object> read(String json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(json, Map.class);
            return m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void multiValuedPlaceholderGivesOneListEntryAndOneArnPerValue() throws IOException {
        Map<String, Object> doc = ReplicatorPolicy.document(SCOPED, Map.of("SOURCE_REGION", List.of("us-east-1"),
                "DESTINATION_REGION", List.of("us-west-2", "eu-west-1"), "ACCOUNT_ID", List.of("111122223333")),
                Map.of(), Map.of());

        assertEquals(read("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "List", "Effect": "Allow", "Action": "cloudhsm:DescribeBackups", "Resource": "*",
                   "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2", "eu-west-1"]}}},
                  {"Sid": "Delete", "Effect": "Allow", "Action": "cloudhsm:DeleteBackup",
                   "Resource": ["arn:aws:cloudhsm:us-west-2:111122223333:backup/*",
                                "arn:aws:cloudhsm:eu-west-1:111122223333:backup/*"]}]}
                """), doc);
    }

    @Test
    void deployTimeRegionListIsExpandedByCloudFormationWithLiteralDelimiters() {
        Stack stack = new Stack();
        CfnParameter regions = CfnParameter.Builder.create(stack, "Regions").type("String").build();
        Map<String, Object> doc = ReplicatorPolicy.document(SCOPED,
                Map.of("SOURCE_REGION", List.of("us-east-1"), "ACCOUNT_ID", List.of(stack.getAccount())),
                Map.of("DESTINATION_REGION", Fn.split(",", regions.getValueAsString())),
                Map.of("ACCOUNT_ID", List.of("*")));

        String resolved = JSON.valueToTree(stack.resolve(doc)).toString();
        String split = "{\"Fn::Split\":[\",\",{\"Ref\":\"Regions\"}]}";
        assertTrue(resolved.contains("\"aws:RequestedRegion\":{\"Fn::Split\":[\",\",{\"Fn::Join\":[\",\",[\"us-east-1\","
                + "{\"Fn::Join\":[\",\"," + split + "]}]]}]}"), resolved);
        assertTrue(resolved.contains("\"Resource\":{\"Fn::Split\":[\",\",{\"Fn::Join\":[\"\",[\"arn:aws:cloudhsm:\","
                + "{\"Fn::Join\":[\":*:backup/*,arn:aws:cloudhsm:\"," + split + "]},\":*:backup/*\"]]}]}"), resolved);
    }

    @Test
    void deployTimeValuesAroundADeployTimeListAreRefused() {
        Stack stack = new Stack();
        CfnParameter regions = CfnParameter.Builder.create(stack, "Regions").type("String").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReplicatorPolicy.document(SCOPED,
                Map.of("SOURCE_REGION", List.of("us-east-1"), "ACCOUNT_ID", List.of(stack.getAccount())),
                Map.of("DESTINATION_REGION", Fn.split(",", regions.getValueAsString())), Map.of()));
        assertTrue(e.getMessage().contains("the text around <DESTINATION_REGION>"), e.getMessage());
    }

    @Test
    void unknownPlaceholderIsNamedWithTheKnownOnes() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReplicatorPolicy.document(SCOPED,
                Map.of("ACCOUNT_ID", List.of("111122223333")), Map.of(), Map.of()));
        assertEquals("replicator-policy.json uses the placeholder <SOURCE_REGION> in '<SOURCE_REGION>': the "
                + "construct fills in [<ACCOUNT_ID>]", e.getMessage());
    }
}
