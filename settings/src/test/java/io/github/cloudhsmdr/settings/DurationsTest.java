package io.github.cloudhsmdr.settings;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {
    @Test
    void readsTheShortFormsAndIso() {
        assertEquals(Duration.ofDays(14), Durations.parse("14d"));
        assertEquals(Duration.ofHours(36), Durations.parse("36h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofDays(1).plusHours(2).plusMinutes(5).plusSeconds(7), Durations.parse("1d2h5m7s"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("PT30M"));
        assertEquals(Duration.ofHours(26), Durations.parse("p1dt2h"));
        assertEquals(Duration.ofHours(2), Durations.parse(" 2H "));
    }

    @Test
    void rejectsWhatIsNoDurationWithTheAllowedForms() {
        for (String bad : new String[] {"30x", "", "h", "1h 30m", "-PT1H", "14", "1m1h"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertTrue(e.getMessage().startsWith("'" + bad + "' is not a duration: use a whole number"),
                    e.getMessage());
        }
    }

    @Test
    void writesDurationsForPeople() {
        assertEquals("1d 2h 5m", Durations.human(Duration.parse("P1DT2H5M7.835828741S")));
        assertEquals("23h", Durations.human(Duration.ofHours(23)));
        assertEquals("4m 10s", Durations.human(Duration.ofSeconds(250)));
        assertEquals("0s", Durations.human(Duration.ZERO));
        assertEquals("<1s", Durations.human(Duration.ofMillis(20)));
        assertEquals("-2h", Durations.human(Duration.ofHours(-2)));
        assertEquals("-", Durations.human(null));
    }

    @Test
    void compactFormReadsBack() {
        for (Duration d : new Duration[] {Duration.ofDays(14), Duration.ofMinutes(90), Duration.ofSeconds(61),
                Duration.ZERO}) {
            assertEquals(d, Durations.parse(Durations.compact(d)));
        }
        assertEquals("1h30m", Durations.compact(Duration.ofMinutes(90)));
    }
}
