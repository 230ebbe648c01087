package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionPolicy.KeepWithinAnchor;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.github.cloudhsmdr.internal.retention.Copies.copy;
import static io.github.cloudhsmdr.internal.retention.Copies.daily;
import static io.github.cloudhsmdr.internal.retention.Copies.decision;
import static io.github.cloudhsmdr.internal.retention.Copies.evaluate;
import static io.github.cloudhsmdr.internal.retention.Copies.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worked examples: which copies each policy keeps, and why. */
class RetentionExamplesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant LATER = Instant.parse("2027-06-01T00:00:00Z");

    private static RetentionPolicy.Builder policy() {
        return RetentionPolicy.builder();
    }

    /** Copies named after their local creation time in {@code zone}, e.g. {@code 2026-03-29T00:30}. */
    private static List<Backup> local(ZoneId zone, String... localTimes) {
        List<Backup> out = new ArrayList<>();
        for (String t : localTimes) {
            Instant created = java.time.LocalDateTime.parse(t).atZone(zone).toInstant();
            out.add(copy(t, created).build());
        }
        return out;
    }

    /** Copies named after their UTC creation time, e.g. {@code 2026-10-25T00:30:00Z}. */
    private static List<Backup> utc(String... instants) {
        return Arrays.stream(instants).map(t -> copy(t, Instant.parse(t)).build()).toList();
    }

    private static List<String> days(String... dates) {
        return Arrays.stream(dates).map(d -> "d-" + d).sorted().toList();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("27 daily copies, keepDaily 7 + keepWeekly 4: 7 dailies and 2 more Sundays",
                        policy().keepDaily(7).keepWeekly(4).build(), daily("2026-11-01", "2026-11-27", "03:00:00"), LATER,
                        days("2026-11-27", "2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22",
                                "2026-11-21", "2026-11-15", "2026-11-08")),
                Arguments.of("a Sunday, keepDaily 7 + keepWeekly 4: 7 dailies and the 3 Sundays before",
                        policy().keepDaily(7).keepWeekly(4).build(), daily("2026-11-01", "2026-11-29", "03:00:00"), LATER,
                        days("2026-11-29", "2026-11-28", "2026-11-27", "2026-11-26", "2026-11-25", "2026-11-24",
                                "2026-11-23", "2026-11-22", "2026-11-15", "2026-11-08")),
                Arguments.of("3 weeks of dailies, keepDaily 3 + keepWeekly 2 (restic's count: 4, not borg's 5)",
                        policy().keepDaily(3).keepWeekly(2).build(), daily("2026-11-02", "2026-11-22", "03:00:00"), LATER,
                        days("2026-11-22", "2026-11-21", "2026-11-20", "2026-11-15")),
                Arguments.of("empty days use no slot",
                        policy().keepDaily(3).build(),
                        utc("2026-11-27T03:00:00Z", "2026-11-25T03:00:00Z", "2026-11-20T03:00:00Z",
                                "2026-11-19T03:00:00Z", "2026-11-10T03:00:00Z"), LATER,
                        List.of("2026-11-20T03:00:00Z", "2026-11-25T03:00:00Z", "2026-11-27T03:00:00Z")),
                Arguments.of("several copies a day: the newest of each day",
                        policy().keepDaily(2).build(),
                        utc("2026-11-27T22:00:00Z", "2026-11-27T13:00:00Z", "2026-11-27T01:00:00Z",
                                "2026-11-26T05:00:00Z", "2026-11-26T02:00:00Z", "2026-11-25T05:00:00Z"), LATER,
                        List.of("2026-11-26T05:00:00Z", "2026-11-27T22:00:00Z")),
                Arguments.of("keepLast 3",
                        policy().keepLast(3).build(), daily("2026-11-20", "2026-11-27", "03:00:00"), LATER,
                        days("2026-11-27", "2026-11-26", "2026-11-25")),
                Arguments.of("a weekly rule running short keeps the oldest copy too",
                        policy().keepWeekly(10).build(), daily("2026-11-02", "2026-11-27", "03:00:00"), LATER,
                        days("2026-11-27", "2026-11-22", "2026-11-15", "2026-11-08", "2026-11-02")),
                Arguments.of("... unless keepOldestWhenShort is off",
                        policy().keepWeekly(10).keepOldestWhenShort(false).build(),
                        daily("2026-11-02", "2026-11-27", "03:00:00"), LATER,
                        days("2026-11-27", "2026-11-22", "2026-11-15", "2026-11-08")),
                Arguments.of("a rule that fills up does not keep the oldest copy",
                        policy().keepWeekly(3).build(), daily("2026-11-02", "2026-11-27", "03:00:00"), LATER,
                        days("2026-11-27", "2026-11-22", "2026-11-15")),
                Arguments.of("monthly and yearly buckets",
                        policy().keepMonthly(2).keepYearly(3).build(),
                        utc("2027-01-04T03:00:00Z", "2027-01-01T03:00:00Z", "2026-12-28T03:00:00Z",
                                "2026-12-01T03:00:00Z", "2026-11-30T03:00:00Z", "2025-06-01T03:00:00Z",
                                "2025-05-01T03:00:00Z", "2024-01-01T03:00:00Z"), LATER,
                        List.of("2025-06-01T03:00:00Z", "2026-12-28T03:00:00Z", "2027-01-04T03:00:00Z")),
                Arguments.of("ISO weeks: 2027-01-01 is in 2026-W53 with 2026-12-28",
                        policy().keepWeekly(-1).keepOldestWhenShort(false).build(),
                        utc("2027-01-04T03:00:00Z", "2027-01-01T03:00:00Z", "2026-12-28T03:00:00Z",
                                "2026-12-27T03:00:00Z"), LATER,
                        List.of("2026-12-27T03:00:00Z", "2027-01-01T03:00:00Z", "2027-01-04T03:00:00Z")),
                Arguments.of("keepWithin 3d counts back from the newest copy, strictly after the limit",
                        policy().keepWithin(Duration.ofDays(3)).build(), daily("2026-11-01", "2026-11-27", "03:00:00"),
                        LATER, days("2026-11-27", "2026-11-26", "2026-11-25")),
                Arguments.of("keepWithin 3d counted back from now",
                        policy().keepWithin(Duration.ofDays(3)).keepWithinAnchor(KeepWithinAnchor.NOW).build(),
                        daily("2026-11-01", "2026-11-27", "03:00:00"), Instant.parse("2026-11-28T12:00:00Z"),
                        days("2026-11-27", "2026-11-26")),
                Arguments.of("keepWithin from now, long after: only the newest READY copy survives",
                        policy().keepWithin(Duration.ofDays(3)).keepWithinAnchor(KeepWithinAnchor.NOW).build(),
                        daily("2026-11-01", "2026-11-27", "03:00:00"), LATER, days("2026-11-27")),
                // a copy further ahead than the clock-skew allowance is protected and takes no part at all
                Arguments.of("keepWithin anchors on the newest copy not in the future (within the skew allowance)",
                        policy().keepWithin(Duration.ofDays(2)).build(),
                        utc("2026-11-28T00:10:00Z", "2026-11-27T03:00:00Z", "2026-11-26T03:00:00Z",
                                "2026-11-25T03:00:00Z", "2026-11-24T03:00:00Z"), Instant.parse("2026-11-28T00:00:00Z"),
                        List.of("2026-11-26T03:00:00Z", "2026-11-27T03:00:00Z", "2026-11-28T00:10:00Z")),
                Arguments.of("the floor keeps the newest of the copies the rules would delete",
                        policy().keepLast(1).minReadyCopies(3).build(), daily("2026-11-20", "2026-11-27", "03:00:00"),
                        LATER, days("2026-11-27", "2026-11-26", "2026-11-25")),
                Arguments.of("rules combine with OR: keepLast 2 or within 5d of the newest copy",
                        policy().keepLast(2).keepWithin(Duration.ofDays(5)).build(),
                        utc("2026-11-27T03:00:00Z", "2026-11-26T03:00:00Z", "2026-11-23T03:00:00Z",
                                "2026-11-21T03:00:00Z"), LATER,
                        List.of("2026-11-23T03:00:00Z", "2026-11-26T03:00:00Z", "2026-11-27T03:00:00Z")),
                // Europe/Berlin, 2026-03-29: 02:00 CET -> 03:00 CEST. 00:30 local on the 29th is 23:30Z on the 28th.
                Arguments.of("daily buckets follow the zone across the spring change (Berlin)",
                        policy().keepDaily(-1).keepOldestWhenShort(false).zone(BERLIN).build(),
                        local(BERLIN, "2026-03-28T23:30", "2026-03-29T00:30", "2026-03-29T23:30", "2026-03-30T00:30"),
                        LATER, List.of("2026-03-28T23:30", "2026-03-29T23:30", "2026-03-30T00:30")),
                Arguments.of("the same copies bucketed in UTC",
                        policy().keepDaily(-1).keepOldestWhenShort(false).build(),
                        local(BERLIN, "2026-03-28T23:30", "2026-03-29T00:30", "2026-03-29T23:30", "2026-03-30T00:30"),
                        LATER, List.of("2026-03-29T00:30", "2026-03-30T00:30")),
                // 2026-10-25: 03:00 CEST -> 02:00 CET; the local day has 25 hours.
                Arguments.of("the 25-hour day is one daily bucket (Berlin)",
                        policy().keepDaily(-1).keepOldestWhenShort(false).zone(BERLIN).build(),
                        local(BERLIN, "2026-10-24T23:30", "2026-10-25T00:30", "2026-10-25T23:30", "2026-10-26T00:30"),
                        LATER, List.of("2026-10-24T23:30", "2026-10-25T23:30", "2026-10-26T00:30")),
                Arguments.of("Sunday 23:30 and Monday 00:30 local are two ISO weeks in Berlin",
                        policy().keepWeekly(-1).keepOldestWhenShort(false).zone(BERLIN).build(),
                        local(BERLIN, "2026-10-25T00:30", "2026-10-25T23:30", "2026-10-26T00:30"),
                        LATER, List.of("2026-10-25T23:30", "2026-10-26T00:30")),
                Arguments.of("... and one ISO week in UTC",
                        policy().keepWeekly(-1).keepOldestWhenShort(false).build(),
                        local(BERLIN, "2026-10-25T00:30", "2026-10-25T23:30", "2026-10-26T00:30"),
                        LATER, List.of("2026-10-26T00:30")),
                // 02:30 CEST = 00:30Z, 02:10 CET = 01:10Z, 02:30 CET = 01:30Z: the repeated hour is two buckets
                Arguments.of("the repeated hour when summer time ends is two hourly buckets",
                        policy().keepHourly(-1).keepOldestWhenShort(false).zone(BERLIN).build(),
                        utc("2026-10-25T00:30:00Z", "2026-10-25T01:10:00Z", "2026-10-25T01:30:00Z"),
                        LATER, List.of("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z")),
                // 01:30 CET = 00:30Z and 03:30 CEST = 01:30Z: consecutive real hours, consecutive buckets
                Arguments.of("the skipped hour in spring leaves consecutive hourly buckets",
                        policy().keepHourly(2).keepOldestWhenShort(false).zone(BERLIN).build(),
                        utc("2026-03-29T00:10:00Z", "2026-03-29T00:30:00Z", "2026-03-29T01:20:00Z",
                                "2026-03-29T01:30:00Z"),
                        LATER, List.of("2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsExactlyTheExpectedCopies(String name, RetentionPolicy policy, List<Backup> copies, Instant now,
                                       List<String> expectedKept) {
        RetentionEvaluation e = evaluate(policy, copies, now);
        List<String> expected = expectedKept.stream().sorted().toList();
        assertEquals(expected, ids(e.kept()), () -> name + "\n" + String.join("\n",
                e.decisions().stream().map(RetentionDecision::toString).toList()));
        List<String> rest = copies.stream().map(Backup::backupId).filter(id -> !expected.contains(id)).sorted().toList();
        assertEquals(rest, ids(e.toDelete()));
        assertEquals(copies.size(), e.decisions().size());
        // and once those are deleted, nothing more goes
        List<Backup> left = copies.stream().filter(b -> expected.contains(b.backupId())).toList();
        assertEquals(List.of(), evaluate(policy, left, now).toDelete());
    }

    @Test
    void explainsEachKeptCopyWithRuleSlotAndBucket() {
        RetentionEvaluation e = evaluate(policy().keepDaily(7).keepWeekly(4).build(),
                daily("2026-11-01", "2026-11-27", "03:00:00"), LATER);
        assertEquals(List.of("keep-daily 1 (2026-11-27)", "keep-weekly 1 (2026-W48)", "newest READY copy"),
                decision(e, "d-2026-11-27").reasons());
        assertEquals(List.of("keep-daily 3 (2026-11-25)"), decision(e, "d-2026-11-25").reasons());
        assertEquals(List.of("keep-daily 6 (2026-11-22)", "keep-weekly 2 (2026-W47)"),
                decision(e, "d-2026-11-22").reasons());
        assertEquals(List.of("keep-weekly 4 (2026-W45)"), decision(e, "d-2026-11-08").reasons());
        RetentionDecision gone = decision(e, "d-2026-11-14");
        assertEquals(RetentionVerdict.DELETE, gone.verdict());
        assertEquals(List.of("no keep rule applies"), gone.reasons());
        assertEquals(Copies.CLUSTER, gone.sourceCluster());
        assertEquals("src-d-2026-11-14", gone.sourceBackupId());
        assertEquals(Copies.DEST, gone.destinationRegion());
        assertEquals(Instant.parse("2026-11-14T03:00:00Z"), gone.createTimestamp());
    }

    @Test
    void explainsTheOldestCopyKeptByAShortRule() {
        RetentionEvaluation e = evaluate(policy().keepWeekly(10).build(), daily("2026-11-02", "2026-11-27", "03:00:00"),
                LATER);
        assertEquals(List.of("keep-weekly 4 (2026-W45)"), decision(e, "d-2026-11-08").reasons());
        assertEquals(List.of("keep-weekly 5 (2026-W45, oldest copy)"), decision(e, "d-2026-11-02").reasons());
    }

    @Test
    void explainsDaylightSavingBucketsWithTheirOffset() {
        RetentionEvaluation e = evaluate(policy().keepHourly(-1).keepDaily(-1).zone(BERLIN).build(),
                utc("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"), LATER);
        assertEquals(List.of("keep-hourly 1 (2026-10-25T02:00+01:00)", "keep-daily 1 (2026-10-25)",
                "newest READY copy"), decision(e, "2026-10-25T01:30:00Z").reasons());
        assertEquals(List.of("keep-hourly 2 (2026-10-25T02:00+02:00)", "keep-daily 2 (2026-10-25, oldest copy)"),
                decision(e, "2026-10-25T00:30:00Z").reasons());
    }

    @Test
    void explainsKeepWithinLastAndFloor() {
        RetentionEvaluation within = evaluate(policy().keepWithin(Duration.ofDays(3)).build(),
                daily("2026-11-20", "2026-11-27", "03:00:00"), LATER);
        assertEquals(List.of("keep-within 3d of newest copy (after 2026-11-24T03:00:00Z)"),
                decision(within, "d-2026-11-26").reasons());
        RetentionEvaluation last = evaluate(policy().keepLast(1).minReadyCopies(3).build(),
                daily("2026-11-20", "2026-11-27", "03:00:00"), LATER);
        assertEquals(List.of("keep-last 1", "newest READY copy"), decision(last, "d-2026-11-27").reasons());
        assertEquals(List.of("floor of 3 READY copies"), decision(last, "d-2026-11-26").reasons());
        assertEquals(List.of("floor of 3 READY copies"), decision(last, "d-2026-11-25").reasons());
    }

    @Test
    void neverDeletesTheNewestReadyCopyEvenWhenNoRuleKeepsIt() {
        RetentionPolicy p = policy().keepWithin(Duration.ofHours(1)).keepWithinAnchor(KeepWithinAnchor.NOW).build();
        List<Backup> copies = new ArrayList<>(daily("2026-11-20", "2026-11-26", "03:00:00"));
        copies.add(copy("in-progress", Instant.parse("2026-11-27T03:00:00Z"))
                .state(io.github.cloudhsmdr.spi.BackupState.CREATE_IN_PROGRESS).build());
        RetentionEvaluation e = evaluate(p, copies, LATER);
        assertEquals(List.of("d-2026-11-26"), ids(e.kept()));
        assertEquals(List.of("newest READY copy"), decision(e, "d-2026-11-26").reasons());
        assertEquals(RetentionVerdict.PROTECTED, decision(e, "in-progress").verdict());
        assertEquals(6, e.toDelete().size());
    }

    @Test
    void groupsAreEvaluatedPerSourceCluster() {
        List<Backup> copies = new ArrayList<>(daily("2026-11-20", "2026-11-27", "03:00:00"));
        copies.add(copy("other-old", Copies.OTHER_CLUSTER, Instant.parse("2026-11-01T03:00:00Z")).build());
        copies.add(copy("other-new", Copies.OTHER_CLUSTER, Instant.parse("2026-11-02T03:00:00Z")).build());
        RetentionEvaluation e = evaluate(policy().keepLast(1).build(), copies, LATER);
        assertEquals(List.of("d-2026-11-27", "other-new"), ids(e.kept()));
        assertEquals(List.of(Copies.CLUSTER, Copies.OTHER_CLUSTER), List.copyOf(new java.util.TreeSet<>(e.sourceClusters())));
        assertEquals(List.of("other-new", "other-old"), ids(e.decisionsFor(Copies.OTHER_CLUSTER)));
        assertEquals(8, e.decisionsFor(Copies.CLUSTER).size());
        // decisions come per cluster, newest first
        assertEquals("d-2026-11-27", e.decisions().get(0).backupId());
        assertEquals("other-new", e.decisions().get(8).backupId());
    }

    @Test
    void zoneDefaultsToUtcForBuckets() {
        assertEquals(ZoneOffset.UTC, policy().keepDaily(1).build().zone());
    }
}
