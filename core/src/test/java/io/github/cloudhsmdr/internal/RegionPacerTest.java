package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionPacerTest {
    private final List<Duration> slept = new ArrayList<>();

    private RegionPacer pacer(int ceiling) {
        return new RegionPacer(ceiling, slept::add);
    }

    /** Runs one window: as many calls at once as the limit allows, all ending as {@code throttled} says. */
    private static void window(RegionPacer.Lane lane, boolean throttled) throws InterruptedException {
        List<RegionPacer.Permit> permits = new ArrayList<>();
        int limit = lane.limit();
        for (int i = 0; i < limit; i++) {
            permits.add(lane.acquire());
        }
        for (RegionPacer.Permit p : permits) {
            if (throttled) {
                lane.throttled(p);
            } else {
                lane.succeeded(p);
            }
        }
    }

    /**
     * Keeps the lane busy for {@code steps} calls: as many in flight as the limit allows, and each call that ends
     * is followed at once by another, as during a run with more copies to start than the limit.
     */
    private static List<Integer> busy(RegionPacer.Lane lane, int steps) throws InterruptedException {
        java.util.ArrayDeque<RegionPacer.Permit> inFlight = new java.util.ArrayDeque<>();
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            while (inFlight.size() < lane.limit()) {
                inFlight.add(lane.acquire());
            }
            lane.succeeded(inFlight.poll());
            limits.add(lane.limit());
        }
        inFlight.forEach(lane::succeeded);
        return limits;
    }

    @Test
    void aRegionStartsAtTwoCallsAtOnceAndGrowsByAboutOnePerWindowOfCallsAtTheLimit() throws InterruptedException {
        RegionPacer.Lane lane = pacer(8).lane("us-west-2");
        assertEquals(2, lane.limit());
        List<Integer> limits = busy(lane, 40);
        // growing from n to n + 1 takes about n calls (2+3+4+5+6+7 = 27), plus the call after each step that
        // finds a free slot: the ceiling of 8 within some 35 calls
        assertEquals(3, limits.get(2));
        int reached = limits.indexOf(8);
        assertTrue(reached >= 27 && reached <= 35, "ceiling reached after " + reached + " calls: " + limits);
        assertEquals(8, limits.get(39), "never above the ceiling");
        for (int i = 1; i < limits.size(); i++) {
            assertTrue(limits.get(i) >= limits.get(i - 1), "only grows while calls succeed: " + limits);
        }
    }

    @Test
    void growingBackToTheLimitThatThrottledIsSlowAndFastAgainOncePastIt() throws InterruptedException {
        RegionPacer.Lane lane = pacer(16).lane("us-east-1");
        busy(lane, 3);
        assertEquals(3, lane.limit());
        window(lane, true);
        assertEquals(1, lane.limit(), "halved from 3");
        // 1 -> 2 is one window away; 2 -> 3 reaches the limit that throttled: eight windows of two calls
        List<Integer> limits = busy(lane, 24);
        assertEquals(2, limits.get(1));
        assertEquals(2, limits.get(14), "still probing: " + limits);
        assertEquals(3, limits.get(20), limits.toString());
        // once back there without throttling, the region has room again: one window per step
        List<Integer> after = busy(lane, 12);
        assertEquals(6, after.get(11), after.toString());
    }

    @Test
    void callsOneAtATimeNeverGrowTheLimit() {
        RegionPacer pacer = pacer(8);
        for (int i = 0; i < 100; i++) {
            pacer.run("DescribeBackups", "eu-west-1", () -> "page");
        }
        assertEquals(2, pacer.lane("eu-west-1").limit());
    }

    @Test
    void throttlingHalvesTheLimitOncePerWindowAndNeverBelowOne() throws InterruptedException {
        RegionPacer.Lane lane = pacer(16).lane("us-east-1");
        List<Integer> limits = busy(lane, 200);
        assertEquals(16, lane.limit(), limits.toString());
        // the sixteen calls in flight are all throttled: the limit is cut once, not sixteen times
        window(lane, true);
        assertEquals(8, lane.limit());
        window(lane, true);
        assertEquals(4, lane.limit());
        window(lane, true);
        window(lane, true);
        window(lane, true);
        assertEquals(1, lane.limit());
    }

    private static void throttle(RegionPacer pacer) {
        assertThrows(BackupServiceException.class, () -> pacer.run("CopyBackupToRegion", "us-east-1", () -> {
            throw new BackupServiceException(ServiceErrorKind.THROTTLING, "CopyBackupToRegion", "us-east-1", null,
                    "ThrottlingException", "Rate exceeded", null);
        }));
    }

    @Test
    void aThrottledCallCutsTheLimitAndOnlyARegionThrottlingOneCallAtATimeIsSpaced() {
        RegionPacer pacer = pacer(4);
        throttle(pacer);
        assertEquals(1, pacer.lane("us-east-1").limit());
        pacer.run("CopyBackupToRegion", "us-east-1", () -> "ok");
        assertEquals(List.of(), slept, "above one call at a time, halving the limit is the brake");
        assertEquals(1, pacer.lane("us-east-1").limit(), "back toward 2, where it throttled, the limit grows slowly");

        throttle(pacer);
        assertEquals(1, pacer.lane("us-east-1").limit());
        pacer.run("CopyBackupToRegion", "us-east-1", () -> "ok");
        pacer.run("CopyBackupToRegion", "us-east-1", () -> "ok");
        assertEquals(List.of(RegionPacer.FIRST_SPACING, RegionPacer.FIRST_SPACING.dividedBy(2)), slept);
        assertEquals(2, pacer.lane("us-east-1").counts()[1], "throttled calls counted");
    }

    @Test
    void otherFailuresReleaseThePermitWithoutChangingTheLimit() {
        RegionPacer pacer = pacer(4);
        for (int i = 0; i < 5; i++) {
            assertThrows(IllegalStateException.class, () -> pacer.run("DeleteBackup", "ap-southeast-2", () -> {
                throw new IllegalStateException("boom");
            }));
        }
        assertEquals(2, pacer.lane("ap-southeast-2").limit());
        assertEquals("ok", pacer.run("DeleteBackup", "ap-southeast-2", () -> "ok"), "no permit was lost");
    }

    @Test
    void aCeilingBelowTwoIsTheStartingLimit() {
        assertEquals(1, pacer(1).lane("us-east-1").limit());
        assertThrows(IllegalArgumentException.class, () -> pacer(0));
    }
}
