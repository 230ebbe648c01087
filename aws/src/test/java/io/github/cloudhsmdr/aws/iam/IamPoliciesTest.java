package io.github.cloudhsmdr.aws.iam;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionPolicy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamResource;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IamPoliciesTest {
    private static final String ACCOUNT = "111122223333";
    private static final Path IAM = Path.of("..", "iam");

    private static IamStatement statement(IamPolicy policy, String sid) {
        return policy.statements().stream().filter(s -> sid.equals(s.sid())).findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid + " in " + IamPolicies.toJson(policy)));
    }

    private static List<String> resources(IamStatement s) {
        return s.resources().stream().map(IamResource::value).collect(Collectors.toList());
    }

    @Test
    void theCommittedPolicyFilesAreTheGeneratorsTemplates() throws Exception {
        for (Object[] file : new Object[][] {
                {"replicator-policy.json", (Supplier<IamPolicy>) IamPolicies::replicatorTemplate},
                {"adopt-policy.json", (Supplier<IamPolicy>) IamPolicies::adoptTemplate},
                {"restore-policy.json", (Supplier<IamPolicy>) IamPolicies::restoreTemplate}}) {
            @SuppressWarnings("unchecked")
            Supplier<IamPolicy> template = (Supplier<IamPolicy>) file[1];
            String committed = Files.readString(IAM.resolve((String) file[0]));
            assertEquals(IamPolicies.toJson(template.get()) + "\n", committed, file[0]
                    + " differs from the generator: regenerate it with IamPolicies.toJson(...Template())");
        }
    }

    @Test
    void theReadmesShowTheCommittedReplicatorTemplate() throws Exception {
        String template = IamPolicies.toJson(IamPolicies.replicatorTemplate());
        for (Path readme : List.of(IAM.resolve("README.md"), Path.of("..", "README.md"))) {
            assertTrue(Files.readString(readme).contains("```json\n" + template + "\n```"),
                    readme + " must show iam/replicator-policy.json as the generator writes it");
        }
    }

    @Test
    void theReplicatorPolicyIsScopedToItsRegions() {
        IamPolicy p = IamPolicies.replicator("dr-prod", ACCOUNT, "us-east-1", List.of("us-west-2", "eu-west-1"));
        String src = "arn:aws:cloudhsm:us-east-1:" + ACCOUNT + ":backup/*";
        List<String> dst = List.of("arn:aws:cloudhsm:us-west-2:" + ACCOUNT + ":backup/*",
                "arn:aws:cloudhsm:eu-west-1:" + ACCOUNT + ":backup/*");
        assertEquals(List.of(src), resources(statement(p, IamPolicies.COPY)));
        assertEquals(List.of(src), resources(statement(p, IamPolicies.TAG_COPIES)));
        assertEquals(dst, resources(statement(p, IamPolicies.DELETE)));
        assertEquals(List.of(src), resources(statement(p, IamPolicies.DENY_SOURCE)));
        assertEquals(dst, resources(statement(p, IamPolicies.DENY_TAGGING)));
        assertEquals(IamEffect.DENY, statement(p, IamPolicies.DENY_UNTAGGING).effect());
        String json = IamPolicies.toJson(p);
        assertTrue(json.contains("\"aws:ResourceTag/" + CopyTags.OWNER + "\" : \"dr-prod\""), json);
        assertTrue(json.contains("[ \"us-east-1\", \"us-west-2\", \"eu-west-1\" ]"), json);
        assertFalse(json.contains("<"), "no placeholder left: " + json);
        assertFalse(json.contains(":*:" + ACCOUNT + ":backup/*\",\n    \"Condition\" : {\n      \"StringEquals\""),
                "no Allow on backups of every region");
    }

    @Test
    void govCloudRegionsGetTheirPartitionInTheArns() {
        IamPolicy p = IamPolicies.replicator("dr", ACCOUNT, "us-gov-west-1", List.of("us-gov-east-1"));
        assertEquals(List.of("arn:aws-us-gov:cloudhsm:us-gov-west-1:" + ACCOUNT + ":backup/*"),
                resources(statement(p, IamPolicies.COPY)));
        assertEquals(List.of("arn:aws-us-gov:cloudhsm:us-gov-east-1:" + ACCOUNT + ":cluster/*"),
                resources(statement(IamPolicies.restore(ACCOUNT, List.of("us-gov-east-1")), "TagTheNewCluster")));
    }

    @Test
    void aConfigurationWithoutRetentionGetsNoDeleteStatement() {
        var noRetentionConfig = BackupReplicator.builder().name("dr").sourceRegion("us-east-1")
                .destinationRegions("us-west-2").buildConfig();
        var withRetention = noRetentionConfig.toBuilder()
                .retentionPolicy(RetentionPolicy.builder().keepLast(2).build()).buildConfig();
        IamPolicy full = IamPolicies.replicator(withRetention, ACCOUNT);
        assertEquals(IamPolicies.toJson(IamPolicies.replicator("dr", ACCOUNT, "us-east-1", List.of("us-west-2"))),
                IamPolicies.toJson(full));
        IamPolicy noRetention = IamPolicies.replicator(noRetentionConfig, ACCOUNT);
        assertTrue(noRetention.statements().stream().noneMatch(s -> IamPolicies.DELETE.equals(s.sid())));
        assertEquals(full.statements().size() - 1, noRetention.statements().size());
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        List<String> west = List.of("us-west-2");
        assertMessage("account", () -> IamPolicies.replicator("dr", "1234", "us-east-1", west));
        assertMessage("name", () -> IamPolicies.replicator("no spaces", ACCOUNT, "us-east-1", west));
        assertMessage("destinationRegions", () -> IamPolicies.replicator("dr", ACCOUNT, "us-east-1", List.of()));
        assertMessage("destinationRegions",
                () -> IamPolicies.replicator("dr", ACCOUNT, "us-east-1", List.of("us-east-1")));
        assertMessage("destinationRegions",
                () -> IamPolicies.adopt("dr", ACCOUNT, "us-east-1", List.of("us-gov-west-1")));
        assertMessage("sourceRegion", () -> IamPolicies.replicator("dr", ACCOUNT, "mars-north-1", west));
        assertMessage("regions", () -> IamPolicies.restore(ACCOUNT, List.of()));
        assertMessage("regions", () -> IamPolicies.restore(ACCOUNT, List.of("us-west-2", "us-west-2")));
        assertThrows(NullPointerException.class, () -> IamPolicies.replicator(null, ACCOUNT, "us-east-1", west));
    }

    private static void assertMessage(String field, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
