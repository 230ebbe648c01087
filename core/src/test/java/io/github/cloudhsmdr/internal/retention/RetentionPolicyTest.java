package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionPolicy.KeepWithinAnchor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionPolicyTest {

    @Test
    void refusesPolicyWithoutAnyRule() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().build());
        assertTrue(e.getMessage().contains("no keep rule"), e.getMessage());
        // the floor alone is not a rule
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().minReadyCopies(3).build());
        assertThrows(IllegalStateException.class,
                () -> RetentionPolicy.builder().keepDaily(0).keepWithin(Duration.ZERO).build());
    }

    @Test
    void refusesCountsBelowMinusOneNamingFieldValueAndAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.builder().keepDaily(7).keepWeekly(-2).build());
        assertTrue(e.getMessage().contains("keepWeekly"), e.getMessage());
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertTrue(e.getMessage().contains("-1 (unlimited)"), e.getMessage());
        for (var field : new String[] {"keepLast", "keepHourly", "keepDaily", "keepMonthly", "keepYearly"}) {
            RetentionPolicy.Builder b = RetentionPolicy.builder().keepWithin(Duration.ofDays(1));
            switch (field) {
                case "keepLast" -> b.keepLast(-5);
                case "keepHourly" -> b.keepHourly(-5);
                case "keepDaily" -> b.keepDaily(-5);
                case "keepMonthly" -> b.keepMonthly(-5);
                default -> b.keepYearly(-5);
            }
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, b::build);
            assertTrue(ex.getMessage().contains(field) && ex.getMessage().contains("-5"), ex.getMessage());
        }
    }

    @Test
    void refusesNegativeKeepWithinAndFloorBelowOne() {
        IllegalArgumentException within = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.builder().keepWithin(Duration.ofHours(-1)).build());
        assertTrue(within.getMessage().contains("keepWithin") && within.getMessage().contains("PT-1H"),
                within.getMessage());
        IllegalArgumentException floor = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.builder().keepLast(1).minReadyCopies(0).build());
        assertTrue(floor.getMessage().contains("minReadyCopies") && floor.getMessage().contains("0"),
                floor.getMessage());
        assertThrows(NullPointerException.class, () -> RetentionPolicy.builder().zone(null));
        assertThrows(NullPointerException.class, () -> RetentionPolicy.builder().keepWithin(null));
        assertThrows(NullPointerException.class, () -> RetentionPolicy.builder().keepWithinAnchor(null));
    }

    @Test
    void unlimitedCountAndKeepWithinAloneAreRules() {
        assertEquals(-1, RetentionPolicy.builder().keepYearly(RetentionPolicy.UNLIMITED).build().keepYearly());
        assertEquals(Duration.ofDays(3), RetentionPolicy.builder().keepWithin(Duration.ofDays(3)).build().keepWithin());
    }

    @Test
    void defaultsAreUtcNewestCopyAnchorFloorOfOneAndOldestKept() {
        RetentionPolicy p = RetentionPolicy.builder().keepDaily(7).build();
        assertEquals(ZoneOffset.UTC, p.zone());
        assertEquals(KeepWithinAnchor.NEWEST_COPY, p.keepWithinAnchor());
        assertEquals(1, p.minReadyCopies());
        assertTrue(p.keepOldestWhenShort());
        assertEquals(Duration.ZERO, p.keepWithin());
        assertEquals(0, p.keepLast());
    }

    @Test
    void toBuilderKeepsEverySettingAndEqualityFollowsValues() {
        RetentionPolicy p = RetentionPolicy.builder().keepLast(2).keepHourly(24).keepDaily(7).keepWeekly(4)
                .keepMonthly(12).keepYearly(-1).keepWithin(Duration.ofDays(2)).keepWithinAnchor(KeepWithinAnchor.NOW)
                .minReadyCopies(3).zone(ZoneId.of("Europe/Berlin")).keepOldestWhenShort(false).build();
        RetentionPolicy copy = p.toBuilder().build();
        assertEquals(p, copy);
        assertEquals(p.hashCode(), copy.hashCode());
        assertNotEquals(p, p.toBuilder().keepDaily(8).build());
        assertEquals("RetentionPolicy[keepLast=2, keepHourly=24, keepDaily=7, keepWeekly=4, keepMonthly=12, "
                + "keepYearly=unlimited, keepWithin=PT48H of NOW, minReadyCopies=3, zone=Europe/Berlin, "
                + "keepOldestWhenShort=false]", p.toString());
    }
}
