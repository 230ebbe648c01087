package io.github.cloudhsmdr.retry;

import io.github.cloudhsmdr.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void defaultsAreDocumentedValues() {
        RetryPolicy p = RetryPolicy.defaults();

        assertEquals(5, p.maxAttempts());
        assertEquals(Duration.ofSeconds(1), p.initialBackoff());
        assertEquals(2.0, p.multiplier());
        assertEquals(Duration.ofSeconds(30), p.maxBackoff());
        assertEquals(0.5, p.jitter());
        assertEquals(Duration.ofSeconds(2), p.throttlingBackoff());
        assertEquals(Duration.ofMinutes(10), p.maxTotalTime());
        assertFalse(p.isNone());
        assertEquals(p, RetryPolicy.builder().build());
    }

    @Test
    void noneMakesOneAttempt() {
        assertEquals(1, RetryPolicy.none().maxAttempts());
        assertTrue(RetryPolicy.none().isNone());
    }

    @Test
    void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
        RetryPolicy custom = RetryPolicy.builder().maxAttempts(7).initialBackoff(Duration.ofMillis(200))
                .multiplier(1.5).maxBackoff(Duration.ofMinutes(1)).jitter(0.1)
                .throttlingBackoff(Duration.ofSeconds(5)).maxTotalTime(Duration.ofMinutes(3)).build();

        assertEquals(custom, custom.toBuilder().build());
        assertEquals(custom.hashCode(), custom.toBuilder().build().hashCode());
        RetryPolicy changed = custom.toBuilder().maxAttempts(2).build();
        assertEquals(2, changed.maxAttempts());
        assertEquals(Duration.ofSeconds(5), changed.throttlingBackoff());
        assertNotEquals(custom, changed);
        assertTrue(custom.toString().contains("maxAttempts=7"), custom.toString());
    }

    @Test
    void zeroBackoffsAndEdgeValuesAreAllowed() {
        RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ZERO).throttlingBackoff(Duration.ZERO)
                .maxBackoff(Duration.ZERO).multiplier(1.0).jitter(1.0).maxAttempts(1).build();

        assertEquals(Duration.ZERO, p.maxBackoff());
        assertEquals(1.0, p.jitter());
    }

    @Test
    void rejectsValuesThatAreNotAllowedNamingFieldAndValue() {
        assertRejected(IllegalArgumentException.class, "maxAttempts", "0",
                () -> RetryPolicy.builder().maxAttempts(0).build());
        assertRejected(IllegalArgumentException.class, "initialBackoff", "PT-1S",
                () -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(-1)).build());
        assertRejected(IllegalArgumentException.class, "throttlingBackoff", "PT-1S",
                () -> RetryPolicy.builder().throttlingBackoff(Duration.ofSeconds(-1)).build());
        assertRejected(IllegalArgumentException.class, "multiplier", "0.5",
                () -> RetryPolicy.builder().multiplier(0.5).build());
        assertRejected(IllegalArgumentException.class, "multiplier", "NaN",
                () -> RetryPolicy.builder().multiplier(Double.NaN).build());
        assertRejected(IllegalArgumentException.class, "multiplier", "Infinity",
                () -> RetryPolicy.builder().multiplier(Double.POSITIVE_INFINITY).build());
        assertRejected(IllegalArgumentException.class, "jitter", "1.5",
                () -> RetryPolicy.builder().jitter(1.5).build());
        assertRejected(IllegalArgumentException.class, "jitter", "-0.1",
                () -> RetryPolicy.builder().jitter(-0.1).build());
        assertRejected(IllegalArgumentException.class, "maxTotalTime", "PT0S",
                () -> RetryPolicy.builder().maxTotalTime(Duration.ZERO).build());
        assertRejected(IllegalStateException.class, "initialBackoff", "PT5S",
                () -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(4))
                        .throttlingBackoff(Duration.ofSeconds(1)).build());
        assertRejected(IllegalStateException.class, "throttlingBackoff", "PT1M",
                () -> RetryPolicy.builder().throttlingBackoff(Duration.ofMinutes(1)).build());
        assertRejected(NullPointerException.class, "maxBackoff", "maxBackoff",
                () -> RetryPolicy.builder().maxBackoff(null));
    }

    private static void assertRejected(Class<? extends RuntimeException> type, String field, String value,
            Executable build) {
        RuntimeException e = assertThrows(type, build);
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }
}
