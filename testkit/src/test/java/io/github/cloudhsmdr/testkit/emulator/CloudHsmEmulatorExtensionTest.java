package io.github.cloudhsmdr.testkit.emulator;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudHsmEmulatorExtensionTest {
    @RegisterExtension
    static final CloudHsmEmulatorExtension SHARED = CloudHsmEmulatorExtension.create();

    @RegisterExtension
    final CloudHsmEmulatorExtension perTest = CloudHsmEmulatorExtension.create();

    private static URI firstEndpoint;

    @Test
    @Order(1)
    void staticExtensionRunsOneEmulatorForTheClass() {
        assertTrue(SHARED.emulator().isRunning());
        firstEndpoint = SHARED.endpoint();
        SHARED.model().addBackup("us-east-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T00:00:00Z"));
        perTest.model().addBackup("us-east-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T00:00:00Z"));
    }

    @Test
    @Order(2)
    void instanceExtensionGivesEachTestAFreshEmulator() {
        assertEquals(firstEndpoint, SHARED.endpoint());
        assertEquals(1, SHARED.model().backupsIn("us-east-1").size(), "the class-wide model kept its state");
        assertEquals(0, perTest.model().backupsIn("us-east-1").size(), "the per-test model is new");
    }
}
