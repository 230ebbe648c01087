package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.BackupFilter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectorTest {

    private static List<String> outcomes(FaultInjector f, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                f.beforeOperation("DescribeBackups", "us-east-1");
                out.add("ok");
            } catch (CloudHsmModelException e) {
                out.add(e.errorCode());
            }
        }
        return out;
    }

    @Test
    void sameSeedAndRequestsGiveTheSameFaults() {
        FaultInjector a = new FaultInjector(7).throttle(FaultInjector.ANY, FaultInjector.ANY, 0.3)
                .internalFailure("DescribeBackups", "us-east-1", 0.3);
        FaultInjector b = new FaultInjector(7).throttle(FaultInjector.ANY, FaultInjector.ANY, 0.3)
                .internalFailure("DescribeBackups", "us-east-1", 0.3);
        List<String> first = outcomes(a, 200);
        assertEquals(first, outcomes(b, 200));
        assertTrue(first.contains("ok") && first.contains("ThrottlingException")
                && first.contains("CloudHsmInternalFailureException"), first.toString());
        assertEquals(first.stream().filter("ThrottlingException"::equals).count(),
                a.count(FaultInjector.Kind.THROTTLING));
        a.reset();
        assertEquals(0, a.count(FaultInjector.Kind.THROTTLING));
        assertEquals(List.of("ok", "ok"), outcomes(a, 2), "reset removes the rules");
    }

    @Test
    void mostSpecificRuleWins() {
        FaultInjector f = new FaultInjector(1)
                .throttle(FaultInjector.ANY, FaultInjector.ANY, 1.0)
                .throttle("DescribeBackups", FaultInjector.ANY, 0.0)
                .latency(FaultInjector.ANY, "us-west-2", Duration.ofSeconds(1))
                .latency("CopyBackupToRegion", "us-west-2", Duration.ofSeconds(5));
        f.throttle("DescribeBackups", "eu-west-1", 1.0);
        // a probability of 0 removes a rule, so DescribeBackups falls back to the (ANY, ANY) rule
        assertThrows(CloudHsmModelException.class, () -> f.beforeOperation("DescribeBackups", "us-east-1"));
        assertEquals(Duration.ofSeconds(5), f.latency("CopyBackupToRegion", "us-west-2"));
        assertEquals(Duration.ofSeconds(1), f.latency("DescribeBackups", "us-west-2"));
        assertEquals(Duration.ZERO, f.latency("DescribeBackups", "us-east-1"));
    }

    @Test
    void regionDownFailsEveryOperationThereWithServiceUnavailable() {
        FaultInjector f = new FaultInjector(1).regionDown("us-west-2");
        CloudHsmModelException e = assertThrows(CloudHsmModelException.class,
                () -> f.beforeOperation("CopyBackupToRegion", "us-west-2"));
        assertEquals("ServiceUnavailable", e.errorCode());
        assertEquals(503, e.httpStatus());
        f.beforeOperation("CopyBackupToRegion", "us-east-1");
        f.regionUp("us-west-2");
        f.beforeOperation("CopyBackupToRegion", "us-west-2");
        assertEquals(1, f.count(FaultInjector.Kind.REGION_DOWN));
    }

    @Test
    void timeoutAfterNextCopiesIsConsumedOneByOne() {
        FaultInjector f = new FaultInjector(1).timeoutAfterNextCopies(2);
        assertTrue(f.drawTimeoutAfterCopy("us-east-1"));
        assertTrue(f.drawTimeoutAfterCopy("us-east-1"));
        assertFalse(f.drawTimeoutAfterCopy("us-east-1"));
        assertEquals(0, f.count(FaultInjector.Kind.TIMEOUT_AFTER_COPY), "drawing does not count");
    }

    @Test
    void rejectsProbabilitiesOutsideZeroToOne() {
        FaultInjector f = new FaultInjector(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.throttle(FaultInjector.ANY, FaultInjector.ANY, 1.5));
        assertTrue(e.getMessage().contains("1.5"));
        assertThrows(IllegalArgumentException.class, () -> f.internalFailure("x", "y", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> f.throttle("", "y", 0.5));
    }

    @Test
    void asAModelHookItFailsTheInMemoryStoreToo() {
        CloudHsmModel model = new CloudHsmModel(MutableClock.at("2026-01-01T00:00:00Z"));
        model.addBackup("us-east-1", "cluster-abcdefghijk", Instant.parse("2025-12-31T00:00:00Z"));
        FaultInjector f = new FaultInjector(3).throttle("DescribeBackups", "us-east-1", 1.0);
        model.faultHook(f);
        InMemoryBackupStore store = new InMemoryBackupStore(model);

        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.describeBackups("us-east-1", BackupFilter.ALL));
        assertEquals(ServiceErrorKind.THROTTLING, e.kind());
        assertEquals(0, store.describeBackups("us-west-2", BackupFilter.ALL).size());
    }
}
