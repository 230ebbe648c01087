package io.github.cloudhsmdr.testkit.emulator;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import io.github.cloudhsmdr.testkit.emulator.AccessPolicy.Decision;
import io.github.cloudhsmdr.testkit.emulator.AccessPolicy.Request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessPolicyTest {

    @Test
    void allowsListedActionsAndTagConditionedOnesOnMatchingResources() {
        AccessPolicy p = AccessPolicy.builder()
                .allow("cloudhsm:DescribeBackups")
                .allowIfResourceTag("cloudhsm:DeleteBackup", "owner", "dr")
                .allowIfResourceTag("cloudhsm:DeleteBackup", "owner", "dr-2")
                .build();
        assertTrue(p.allows("cloudhsm:DescribeBackups", Map.of()));
        assertTrue(p.allows("cloudhsm:DeleteBackup", Map.of("owner", "dr")));
        assertTrue(p.allows("cloudhsm:DeleteBackup", Map.of("owner", "dr-2")));
        assertFalse(p.allows("cloudhsm:DeleteBackup", Map.of("owner", "someone")));
        assertFalse(p.allows("cloudhsm:DeleteBackup", Map.of()));
        assertTrue(p.mentions("cloudhsm:DeleteBackup"));
        assertFalse(p.allows("cloudhsm:CopyBackupToRegion", Map.of("owner", "dr")));
    }

    @Test
    void wildcardAndAllowAllAllowEverything() {
        assertTrue(AccessPolicy.allowing("cloudhsm:*").allows("cloudhsm:DeleteBackup", Map.of()));
        assertTrue(AccessPolicy.allowAll().allows("cloudhsm:TagResource", null));
        assertTrue(AccessPolicy.allowAll().allowsAll());
    }

    @Test
    void rejectsActionsOutsideCloudHsm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessPolicy.allowing("DescribeBackups"));
        assertTrue(e.getMessage().contains("'DescribeBackups'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccessPolicy.allowing("cloudhsm:"));
        assertThrows(NullPointerException.class,
                () -> AccessPolicy.builder().allowIfResourceTag("cloudhsm:DeleteBackup", null, "x"));
    }

    private static final String SRC = "arn:aws:cloudhsm:us-east-1:111122223333:backup/backup-abcdefghijk";
    private static final String DST = "arn:aws:cloudhsm:us-west-2:111122223333:backup/backup-bcdefghijkl";

    private static AccessPolicy policy(String statements) {
        return AccessPolicy.fromJson("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}");
    }

    private static Request tag(String arn, Map<String, String> resourceTags, Map<String, String> requestTags) {
        String region = arn.split(":")[3];
        return new Request("cloudhsm:TagResource", arn, region, resourceTags, requestTags, requestTags.keySet());
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        AccessPolicy p = policy("{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:*\", \"Resource\": \"*\"},"
                + "{\"Effect\": \"Deny\", \"Action\": \"cloudhsm:DeleteBackup\", "
                + "\"Resource\": \"arn:aws:cloudhsm:us-east-1:111122223333:backup/*\"}");
        assertEquals(Decision.EXPLICIT_DENY, p.evaluate(Request.on("cloudhsm:DeleteBackup", SRC, "us-east-1", Map.of())));
        assertEquals(Decision.ALLOW, p.evaluate(Request.on("cloudhsm:DeleteBackup", DST, "us-west-2", Map.of())));
        assertEquals(Decision.ALLOW, p.evaluate(Request.on("cloudhsm:deletebackup", DST, "us-west-2", Map.of())),
                "action names are case-insensitive");
    }

    @Test
    void resourcePatternsAreRegionScopedAndActionsWithoutResourceNeedStar() {
        AccessPolicy p = policy("{\"Effect\": \"Allow\", \"Action\": [\"cloudhsm:DeleteBackup\", "
                + "\"cloudhsm:DescribeBackups\"], \"Resource\": \"arn:aws:cloudhsm:us-west-2:111122223333:backup/*\"}");
        assertEquals(Decision.ALLOW, p.evaluate(Request.on("cloudhsm:DeleteBackup", DST, "us-west-2", Map.of())));
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(Request.on("cloudhsm:DeleteBackup", SRC, "us-east-1", Map.of())));
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(Request.on("cloudhsm:DescribeBackups", "*", "us-west-2", Map.of())));
    }

    @Test
    void requestTagResourceTagAndTagKeysConditionsFollowIamSemantics() {
        AccessPolicy p = policy("{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:TagResource\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:RequestTag/owner\": \"dr\"}, "
                + "\"ForAllValues:StringLike\": {\"aws:TagKeys\": [\"owner\", \"dr:*\"]}, "
                + "\"Null\": {\"aws:ResourceTag/owner\": \"true\"}}}");
        assertEquals(Decision.ALLOW, p.evaluate(tag(DST, Map.of(), Map.of("owner", "dr", "dr:source", "x"))));
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(tag(DST, Map.of(), Map.of("owner", "other"))));
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(tag(DST, Map.of(), Map.of("owner", "dr", "team", "x"))),
                "a key outside the allowed set");
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(tag(DST, Map.of("owner", "x"), Map.of("owner", "dr"))),
                "the resource already has an owner");
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(tag(DST, Map.of(), Map.of("dr:source", "x"))),
                "StringEquals on a missing request tag does not hold");
    }

    @Test
    void negatedOperatorsHoldOnMissingKeysAndForAnyValueNeedsAValue() {
        AccessPolicy deny = policy("{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:*\", \"Resource\": \"*\"},"
                + "{\"Effect\": \"Deny\", \"Action\": [\"cloudhsm:TagResource\", \"cloudhsm:UntagResource\"], "
                + "\"Resource\": \"*\", \"Condition\": {\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": \"owner\"}}},"
                + "{\"Effect\": \"Deny\", \"Action\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringNotEquals\": {\"aws:ResourceTag/owner\": \"dr\"}}}");
        assertEquals(Decision.EXPLICIT_DENY, deny.evaluate(tag(DST, Map.of(), Map.of("owner", "dr", "k", "v"))));
        assertEquals(Decision.ALLOW, deny.evaluate(tag(DST, Map.of(), Map.of("k", "v"))));
        assertEquals(Decision.EXPLICIT_DENY, deny.evaluate(new Request("cloudhsm:UntagResource", DST, "us-west-2",
                Map.of("owner", "x"), Map.of(), Set.of("owner"))));
        assertEquals(Decision.EXPLICIT_DENY, deny.evaluate(Request.on("cloudhsm:DeleteBackup", DST, "us-west-2", Map.of())),
                "StringNotEquals holds when the tag is missing");
        assertEquals(Decision.ALLOW, deny.evaluate(Request.on("cloudhsm:DeleteBackup", DST, "us-west-2",
                Map.of("owner", "dr"))));
    }

    @Test
    void requestedRegionAndForAllValuesOnAnEmptySet() {
        AccessPolicy p = policy("{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:Describe*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": [\"us-east-1\", \"us-west-2\"]}, "
                + "\"ForAllValues:StringEquals\": {\"aws:TagKeys\": \"owner\"}}}");
        assertEquals(Decision.ALLOW, p.evaluate(Request.on("cloudhsm:DescribeBackups", "*", "us-west-2", Map.of())),
                "ForAllValues holds on a request without tag keys");
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(Request.on("cloudhsm:DescribeClusters", "*", "eu-west-1", Map.of())));
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        for (String statement : new String[] {
                "{\"Effect\": \"Allow\", \"NotAction\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\"}",
                "{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:DeleteBackup\", \"NotResource\": \"*\"}",
                "{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\", "
                        + "\"Condition\": {\"DateGreaterThan\": {\"aws:CurrentTime\": \"2020-01-01T00:00:00Z\"}}}",
                "{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:DeleteBackup\", \"Resource\": \"*\", "
                        + "\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"x\"}}}",
                "{\"Effect\": \"Allow\", \"Action\": \"cloudhsm:TagResource\", \"Resource\": \"*\", "
                        + "\"Condition\": {\"StringEquals\": {\"aws:TagKeys\": \"owner\"}}}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy(statement),
                    statement);
            assertTrue(e.getMessage().contains("not understood") || e.getMessage().contains("multivalued"),
                    e.getMessage());
        }
    }
}
