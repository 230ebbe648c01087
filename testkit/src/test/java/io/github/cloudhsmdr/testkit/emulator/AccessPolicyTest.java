package io.github.cloudhsmdr.testkit.emulator;

import org.junit.jupiter.api.Test;

import java.util.Map;

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
        assertFalse(p.allowsUnconditionally("cloudhsm:DeleteBackup"));
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
}
