package io.github.cloudhsmdr.examples.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void readsTheShortFormsAndIso() {
        assertEquals(Duration.ofDays(14), Durations.parse("14d"));
        assertEquals(Duration.ofHours(36), Durations.parse("36h"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("PT30M"));
        assertEquals(Duration.ofDays(2), Durations.parse("p2d"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "14", "14x", "-5m", "PT-5M", "d", "1.5h", "soon", "14 d"})
    void rejectsAnythingElseQuotingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' is not a duration"), e.getMessage());
    }

    @Test
    void formatsInTheFormItReads() {
        assertEquals("1d2h", Durations.format(Duration.ofHours(26)));
        assertEquals("30m", Durations.format(Duration.ofMinutes(30)));
        assertEquals("0", Durations.format(Duration.ZERO));
        for (Duration d : new Duration[] {Duration.ofSeconds(1), Duration.ofDays(14), Duration.ofSeconds(93_784)}) {
            assertEquals(d, Durations.parse(Durations.format(d)));
        }
    }
}
