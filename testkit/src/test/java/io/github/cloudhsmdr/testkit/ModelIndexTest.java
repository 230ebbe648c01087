package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DescribeBackups read through the model's indexes (by id, source backup, cluster, state, or every backup of the
 * region): the same answers as a filter over every stored backup, pages that resume after the last backup served
 * when backups change between pages, and state transitions seen through every index.
 */
class ModelIndexTest {
    static final String EAST = "us-east-1";
    static final String WEST = "us-west-2";
    static final Comparator<Backup> ORDER = Comparator.comparing(Backup::createTimestamp,
            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Backup::backupId);

    MutableClock clock;
    CloudHsmModel model;
    String clusterA;
    String clusterB;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-11-01T12:00:00Z");
        model = new CloudHsmModel(clock, 5L);
        clusterA = model.addCluster(EAST).clusterId();
        clusterB = model.addCluster(EAST).clusterId();
    }

    /** @return what DescribeBackups must answer: every stored backup of the region that matches, in page order */
    static List<Backup> reference(CloudHsmModel model, String region, BackupFilter filter, boolean ascending) {
        return model.backupsIn(region).stream().filter(filter::matches)
                .sorted(ascending ? ORDER : ORDER.reversed()).toList();
    }

    /** @return every page of DescribeBackups concatenated; a NextToken never comes with an empty page */
    static List<Backup> listAll(CloudHsmModel model, String region, BackupFilter filter, boolean ascending,
            Integer maxResults) {
        List<Backup> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            CloudHsmModel.BackupPage page = model.describeBackups(region, filter, ascending, maxResults, token);
            token = page.nextToken();
            assertFalse(token != null && page.backups().isEmpty(), "a page with a NextToken holds backups");
            all.addAll(page.backups());
            assertTrue(++pages <= 10_000, "paging ends");
        } while (token != null);
        return all;
    }

    static List<String> ids(List<Backup> backups) {
        return backups.stream().map(Backup::backupId).toList();
    }

    @Test
    void aPageResumesAfterTheLastBackupServedWhenBackupsChangeBetweenPages() {
        for (String path : List.of("every backup", "clusters", "states", "backup ids")) {
            setUp();
            Instant t = clock.instant();
            List<Backup> added = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                added.add(model.addBackup(EAST, clusterA, t.minus(Duration.ofMinutes(20 - 2L * i))));
            }
            Backup earlier = model.addBackup(EAST, clusterA, t.minus(Duration.ofMinutes(30)));
            Backup between = model.addBackup(EAST, clusterA, t.minus(Duration.ofMinutes(11)));
            Backup late = model.addBackup(EAST, clusterB, t.minus(Duration.ofMinutes(1)));
            model.deleteBackup(EAST, earlier.backupId());
            model.deleteBackup(EAST, between.backupId());
            model.deleteBackup(EAST, late.backupId());
            BackupFilter filter = switch (path) {
                case "every backup" -> BackupFilter.ALL;
                case "clusters" -> BackupFilter.clusters(List.of(clusterA, clusterB), BackupState.READY);
                case "states" -> BackupFilter.states(BackupState.READY);
                default -> new BackupFilter(Set.copyOf(ids(model.backupsIn(EAST))), null, null,
                        Set.of(BackupState.READY), null);
            };
            CloudHsmModel.BackupPage first = model.describeBackups(EAST, filter, true, 4, null);
            assertEquals(ids(reference(model, EAST, filter, true)).subList(0, 4), ids(first.backups()), path);
            Backup lastServed = first.backups().get(3);

            model.restoreBackup(EAST, earlier.backupId()); // before the cursor: not served
            model.restoreBackup(EAST, between.backupId()); // after it: served
            model.restoreBackup(EAST, late.backupId()); // after it: served
            model.deleteBackup(EAST, added.get(5).backupId()); // after it, no longer READY
            List<Backup> rest = new ArrayList<>();
            String token = first.nextToken();
            assertNotNull(token, path);
            while (token != null) {
                CloudHsmModel.BackupPage page = model.describeBackups(EAST, filter, true, 4, token);
                rest.addAll(page.backups());
                token = page.nextToken();
            }

            List<Backup> expected = reference(model, EAST, filter, true).stream()
                    .filter(b -> ORDER.compare(b, lastServed) > 0).toList();
            assertEquals(ids(expected), ids(rest), path);
            assertTrue(ids(rest).containsAll(List.of(between.backupId(), late.backupId())), path);
            assertFalse(ids(rest).contains(earlier.backupId()), path + ": nothing from before the cursor");
            assertEquals(path.equals("every backup"), ids(rest).contains(added.get(5).backupId()), path);
            Set<String> seen = new HashSet<>(ids(first.backups()));
            rest.forEach(b -> assertTrue(seen.add(b.backupId()), path + ": served twice: " + b.backupId()));
        }
    }

    @Test
    void newestFirstPagesResumeAfterTheLastBackupServedToo() {
        Instant t = clock.instant();
        List<Backup> added = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            added.add(model.addBackup(EAST, i % 2 == 0 ? clusterA : clusterB, t.minus(Duration.ofMinutes(i + 1L))));
        }
        CloudHsmModel.BackupPage first = model.describeBackups(EAST, BackupFilter.ALL, false, 3, null);
        assertEquals(ids(added.subList(0, 3)), ids(first.backups()));
        Backup newer = model.addBackup(EAST, clusterA, t); // newer than the cursor: not served
        Backup older = model.addBackup(EAST, clusterB, t.minus(Duration.ofDays(1)));
        List<Backup> rest = new ArrayList<>();
        String token = first.nextToken();
        while (token != null) {
            CloudHsmModel.BackupPage page = model.describeBackups(EAST, BackupFilter.ALL, false, 3, token);
            rest.addAll(page.backups());
            token = page.nextToken();
        }
        List<String> expected = new ArrayList<>(ids(added.subList(3, 7)));
        expected.add(older.backupId());
        assertEquals(expected, ids(rest));
        assertFalse(ids(rest).contains(newer.backupId()));
    }

    @Test
    void copyStatesAreSeenThroughEveryIndex() {
        model.copyDelay(Duration.ofMinutes(10));
        Backup source = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(1)));
        Backup other = model.addBackup(EAST, clusterB, clock.instant().minus(Duration.ofHours(2)));
        model.copyBackupToRegion(EAST, other.backupId(), WEST, Map.of());
        model.copyBackupToRegion(EAST, source.backupId(), WEST, Map.of());
        String copyId = model.backupsIn(WEST).stream().filter(b -> source.backupId().equals(b.sourceBackup()))
                .findFirst().orElseThrow().backupId();

        assertSeenAs(BackupState.CREATE_IN_PROGRESS, copyId, source.backupId());
        clock.advance(Duration.ofMinutes(9));
        assertSeenAs(BackupState.CREATE_IN_PROGRESS, copyId, source.backupId());
        clock.advance(Duration.ofMinutes(1));
        assertSeenAs(BackupState.READY, copyId, source.backupId());

        model.deleteBackup(WEST, copyId);
        assertSeenAs(BackupState.PENDING_DELETION, copyId, source.backupId());
        clock.advance(CloudHsmModel.PENDING_DELETION_PERIOD.minusSeconds(1));
        assertSeenAs(BackupState.PENDING_DELETION, copyId, source.backupId());
        clock.advance(Duration.ofSeconds(1));
        assertSeenAs(BackupState.DELETED, copyId, source.backupId());
    }

    /** The copy is listed in {@code state} by id, by source, by cluster, by state and in the whole region. */
    private void assertSeenAs(BackupState state, String copyId, String sourceBackupId) {
        Map<String, BackupFilter> filters = Map.of(
                "backup ids", BackupFilter.backupIds(List.of(copyId)),
                "source backup ids", BackupFilter.sourceBackupIds(List.of(sourceBackupId)),
                "clusters", BackupFilter.clusters(List.of(clusterA), state),
                "states", BackupFilter.states(state),
                "every backup", BackupFilter.ALL);
        for (Map.Entry<String, BackupFilter> f : filters.entrySet()) {
            Backup found = listAll(model, WEST, f.getValue(), true, null).stream()
                    .filter(b -> b.backupId().equals(copyId)).findFirst().orElse(null);
            assertNotNull(found, f.getKey() + " lists the copy in " + state);
            assertEquals(state, found.state(), f.getKey());
        }
        for (BackupState s : BackupState.values()) {
            if (s != state) {
                assertFalse(ids(listAll(model, WEST, BackupFilter.states(s), true, null)).contains(copyId),
                        "not listed as " + s + " while " + state);
                assertFalse(ids(listAll(model, WEST, BackupFilter.clusters(List.of(clusterA), s), true, null))
                        .contains(copyId), "not listed for its cluster as " + s + " while " + state);
            }
        }
    }

    @Test
    void aRestoredBackupDoesNotExpireAtItsFirstDeleteTimestamp() {
        Backup b = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(1)));
        model.deleteBackup(EAST, b.backupId());
        clock.advance(Duration.ofDays(1));
        model.restoreBackup(EAST, b.backupId());
        clock.advance(Duration.ofDays(3));
        Backup again = model.deleteBackup(EAST, b.backupId());
        assertEquals(clock.instant().plus(CloudHsmModel.PENDING_DELETION_PERIOD), again.deleteTimestamp());
        clock.advance(Duration.ofDays(4)); // the first DeleteTimestamp has passed
        assertEquals(BackupState.PENDING_DELETION, model.backup(EAST, b.backupId()).state());
        assertEquals(List.of(b.backupId()), ids(listAll(model, EAST,
                BackupFilter.states(BackupState.PENDING_DELETION), true, null)));
        clock.advance(Duration.ofDays(3));
        assertEquals(List.of(b.backupId()), ids(listAll(model, EAST, BackupFilter.states(BackupState.DELETED),
                true, null)));
    }

    @Test
    void aBackupAddedInPendingDeletionExpiresOnTime() {
        Backup b = model.addBackup(Backup.builder("backup-abcdefghijk", EAST).clusterId(clusterA)
                .createTimestamp(clock.instant().minus(Duration.ofDays(2))).state(BackupState.PENDING_DELETION)
                .deleteTimestamp(clock.instant().plus(Duration.ofMinutes(5))).build());
        assertEquals(List.of(b.backupId()), ids(listAll(model, EAST,
                BackupFilter.states(BackupState.PENDING_DELETION), true, null)));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(b.backupId()), ids(listAll(model, EAST,
                BackupFilter.clusters(List.of(clusterA), BackupState.DELETED), true, null)));
    }

    @Test
    void aBackupAddedAgainUnderItsIdIsReindexedInPlace() {
        Backup first = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(3)));
        Backup second = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(2)));
        Backup replaced = model.addBackup(first.toBuilder().clusterId(clusterB).state(BackupState.PENDING_DELETION)
                .createTimestamp(clock.instant().minus(Duration.ofHours(1)))
                .deleteTimestamp(clock.instant().plus(Duration.ofMinutes(1))).build());
        assertEquals(List.of(first.backupId(), second.backupId()), ids(model.backupsIn(EAST)), "stored in place");
        assertEquals(List.of(second.backupId()), ids(listAll(model, EAST, BackupFilter.clusters(List.of(clusterA)),
                true, null)));
        assertEquals(List.of(replaced.backupId()), ids(listAll(model, EAST,
                BackupFilter.clusters(List.of(clusterB), BackupState.PENDING_DELETION), true, null)));
        assertEquals(List.of(second.backupId(), replaced.backupId()), ids(listAll(model, EAST, BackupFilter.ALL,
                true, null)), "sorted by the new creation time");
        assertEquals(List.of(), ids(listAll(model, EAST, BackupFilter.states(BackupState.READY), true, null))
                .stream().filter(first.backupId()::equals).toList());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(BackupState.DELETED, model.backupsIn(EAST).get(0).state());
    }

    @Test
    void aCopyStaysInvisibleThroughEveryIndexUntilItsVisibilityDelayHasPassed() {
        model.copyDelay(Duration.ofMinutes(10)).copyVisibilityDelay(Duration.ofMinutes(1));
        Backup source = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(1)));
        model.copyBackupToRegion(EAST, source.backupId(), WEST, Map.of());
        String copyId = model.backupsIn(WEST).get(0).backupId();
        List<BackupFilter> filters = List.of(BackupFilter.backupIds(List.of(copyId)),
                BackupFilter.sourceBackupIds(List.of(source.backupId())), BackupFilter.clusters(List.of(clusterA)),
                BackupFilter.states(BackupState.CREATE_IN_PROGRESS), BackupFilter.ALL);
        for (BackupFilter f : filters) {
            assertEquals(List.of(), listAll(model, WEST, f, true, null), f.toString());
        }
        clock.advance(Duration.ofMinutes(1));
        for (BackupFilter f : filters) {
            assertEquals(List.of(copyId), ids(listAll(model, WEST, f, true, null)), f.toString());
        }

        model.copyBackupToRegion(EAST, source.backupId(), WEST, Map.of());
        model.completeCopies();
        assertEquals(2, listAll(model, WEST, BackupFilter.states(BackupState.READY), true, null).size(),
                "completeCopies makes every copy READY and visible");
    }

    @Test
    void aFailedCopyIsDeletedInEveryIndex() {
        model.copyDelay(Duration.ofMinutes(10));
        Backup source = model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofHours(1)));
        model.copyBackupToRegion(EAST, source.backupId(), WEST, Map.of());
        model.failCopy(WEST, source.backupId());
        assertEquals(1, listAll(model, WEST, BackupFilter.clusters(List.of(clusterA), BackupState.DELETED), true,
                null).size());
        assertEquals(List.of(), listAll(model, WEST, BackupFilter.states(BackupState.CREATE_IN_PROGRESS), true, null));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(BackupState.DELETED, model.backupsIn(WEST).get(0).state(), "stays DELETED when its delay passes");
    }

    @Test
    void offsetTokensStillWorkAndBadTokensAreRefused() {
        List<Backup> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(model.addBackup(EAST, clusterA, clock.instant().minus(Duration.ofMinutes(10 - i))));
        }
        CloudHsmModel.BackupPage page = model.describeBackups(EAST, BackupFilter.ALL, true, 2, "page-2");
        assertEquals(ids(added.subList(2, 4)), ids(page.backups()));
        assertTrue(page.nextToken().startsWith("page-4"), page.nextToken());
        assertEquals(ids(added.subList(4, 5)), ids(model.describeBackups(EAST, BackupFilter.ALL, true, 2,
                page.nextToken()).backups()));
        CloudHsmModel.BackupPage end = model.describeBackups(EAST, BackupFilter.ALL, true, 2, "page-5");
        assertEquals(List.of(), end.backups());
        assertNull(end.nextToken());
        for (String bad : List.of("page-6", "page--1", "page-x", "next", "page-1/2/", "page-1/x/backup-abc",
                "page-1/5/backup-abcdefghijk/z")) {
            CloudHsmModelException e = assertThrows(CloudHsmModelException.class,
                    () -> model.describeBackups(EAST, BackupFilter.ALL, true, 2, bad), bad);
            assertEquals(CloudHsmModelException.INVALID_REQUEST, e.errorCode(), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void backupsWithoutCreationTimeComeFirstAndTiesGoByIdInBothDirections() {
        Instant t = clock.instant().minus(Duration.ofHours(1));
        for (String id : List.of("backup-ccccccccccc", "backup-aaaaaaaaaaa", "backup-bbbbbbbbbbb")) {
            model.addBackup(Backup.builder(id, EAST).clusterId(clusterA).createTimestamp(t).build());
        }
        model.addBackup(Backup.builder("backup-zzzzzzzzzzz", EAST).clusterId(clusterA).build());
        model.addBackup(Backup.builder("backup-yyyyyyyyyyy", EAST).clusterId(clusterB).build());
        List<String> ascending = List.of("backup-yyyyyyyyyyy", "backup-zzzzzzzzzzz", "backup-aaaaaaaaaaa",
                "backup-bbbbbbbbbbb", "backup-ccccccccccc");
        for (int size = 1; size <= 5; size++) {
            assertEquals(ascending, ids(listAll(model, EAST, BackupFilter.ALL, true, size)));
            List<String> descending = new ArrayList<>(ascending);
            java.util.Collections.reverse(descending);
            assertEquals(descending, ids(listAll(model, EAST, BackupFilter.ALL, false, size)));
            assertEquals(descending.stream().filter(id -> !id.equals("backup-yyyyyyyyyyy")).toList(),
                    ids(listAll(model, EAST, BackupFilter.clusters(List.of(clusterA)), false, size)));
        }
    }

    @Test
    void everyIndexAnswersAsAFilterOverEveryBackupAcrossRandomHistories() {
        String property = System.getProperty("model.seed");
        List<Long> seeds = property != null ? List.of(Long.parseLong(property)) : List.of(1L, 2L, 3L, 4L, 5L, 6L);
        for (long seed : seeds) {
            try {
                new RandomHistory(seed).run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dmodel.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    /** Random adds, copies, deletions, restores, tag and attribute changes and clock moves, checked as it goes. */
    static final class RandomHistory {
        static final List<String> DESTINATIONS = List.of(WEST, "eu-west-1");
        final java.util.Random random;
        final MutableClock clock = MutableClock.at("2026-11-01T12:00:00Z");
        final CloudHsmModel model;
        final List<String> clusters = new ArrayList<>();
        final List<Instant> times = new ArrayList<>();
        int checks;

        RandomHistory(long seed) {
            random = new java.util.Random(seed);
            model = new CloudHsmModel(clock, seed).copyDelay(Duration.ofMinutes(random.nextInt(3) * 5L));
            for (int c = 0; c < 2 + random.nextInt(4); c++) {
                clusters.add(model.addCluster(EAST).clusterId());
            }
            for (int i = 0; i < 12; i++) {
                times.add(clock.instant().minus(Duration.ofMinutes(random.nextInt(600))));
            }
        }

        void run() {
            for (int i = 0; i < 60 + random.nextInt(60); i++) {
                addSourceBackup();
            }
            for (int step = 0; step < 400; step++) {
                try {
                    act();
                } catch (CloudHsmModelException e) {
                    // an operation the state did not allow: the model refused it, as AWS would
                }
                if (step % 20 == 0) {
                    check();
                }
            }
            check();
            assertTrue(checks > 0);
        }

        void addSourceBackup() {
            String cluster = pick(clusters);
            Instant created = random.nextInt(25) == 0 ? null : pick(times);
            BackupState state = random.nextInt(8) == 0 ? BackupState.CREATE_IN_PROGRESS : BackupState.READY;
            model.addBackup(Backup.builder("backup-" + suffix(), EAST).clusterId(cluster).createTimestamp(created)
                    .state(state).neverExpires(random.nextInt(5) == 0).build());
        }

        void act() {
            int what = random.nextInt(100);
            String region = random.nextInt(3) == 0 ? EAST : pick(DESTINATIONS);
            List<Backup> here = model.backupsIn(region);
            Backup any = here.isEmpty() ? null : pick(here);
            if (what < 35) {
                List<Backup> ready = model.backupsIn(EAST).stream().filter(b -> b.state() == BackupState.READY)
                        .toList();
                if (!ready.isEmpty()) {
                    model.copyBackupToRegion(EAST, pick(ready).backupId(), pick(DESTINATIONS), Map.of(),
                            random.nextInt(6) == 0);
                }
            } else if (what < 42) {
                addSourceBackup();
            } else if (what < 55 && any != null) {
                model.deleteBackup(region, any.backupId());
            } else if (what < 60 && any != null) {
                model.restoreBackup(region, any.backupId());
            } else if (what < 66 && any != null) {
                model.modifyBackupAttributes(region, any.backupId(), random.nextBoolean());
            } else if (what < 70 && any != null) {
                model.tagResource(region, any.backupId(), Map.of("k" + random.nextInt(3), "v"));
            } else if (what < 73 && any != null && any.sourceBackup() != null) {
                model.failCopy(region, any.sourceBackup());
            } else if (what < 75 && any != null && any.sourceBackup() != null) {
                model.stripTagsOnCompletion(region, any.sourceBackup());
            } else if (what < 77) {
                model.completeCopies();
            } else if (what < 80 && any != null) {
                Backup b = any.toBuilder().clusterId(pick(clusters)).createTimestamp(pick(times))
                        .state(pick(List.of(BackupState.READY, BackupState.PENDING_DELETION, BackupState.DELETED)))
                        .deleteTimestamp(clock.instant().plus(Duration.ofMinutes(random.nextInt(30)))).build();
                model.addBackup(b);
            } else if (what < 95) {
                clock.advance(Duration.ofMinutes(random.nextInt(8)));
            } else {
                clock.advance(Duration.ofDays(1 + random.nextInt(7)));
            }
        }

        void check() {
            for (String region : List.of(EAST, WEST, "eu-west-1")) {
                for (int i = 0; i < 12; i++) {
                    BackupFilter filter = randomFilter(region);
                    boolean ascending = random.nextBoolean();
                    Integer size = random.nextInt(4) == 0 ? null : 1 + random.nextInt(random.nextBoolean() ? 7 : 50);
                    assertEquals(ids(reference(model, region, filter, ascending)),
                            ids(listAll(model, region, filter, ascending, size)),
                            region + " " + filter + " ascending=" + ascending + " maxResults=" + size);
                    checks++;
                }
            }
        }

        BackupFilter randomFilter(String region) {
            List<Backup> here = model.backupsIn(region);
            List<Backup> sources = model.backupsIn(EAST);
            Set<String> backupIds = random.nextInt(5) == 0 ? sample(ids(here)) : Set.of();
            Set<String> sourceIds = random.nextInt(3) == 0 ? sample(ids(sources)) : Set.of();
            Set<String> clusterIds = random.nextInt(3) == 0 ? sample(clusters) : Set.of();
            Set<BackupState> states = EnumSet.noneOf(BackupState.class);
            if (random.nextInt(3) == 0) {
                for (BackupState s : List.of(BackupState.READY, BackupState.CREATE_IN_PROGRESS,
                        BackupState.PENDING_DELETION, BackupState.DELETED)) {
                    if (random.nextInt(3) == 0) {
                        states.add(s);
                    }
                }
            }
            Boolean neverExpires = random.nextInt(6) == 0 ? random.nextBoolean() : null;
            return new BackupFilter(backupIds, sourceIds, clusterIds, states, neverExpires);
        }

        /** A few of {@code all}, or nearly all of them, plus an id that matches nothing now and then. */
        Set<String> sample(List<String> all) {
            Set<String> s = new HashSet<>();
            int n = all.isEmpty() ? 0 : random.nextBoolean() ? 1 + random.nextInt(3) : all.size();
            for (int i = 0; i < n; i++) {
                s.add(pick(all));
            }
            if (s.isEmpty() || random.nextInt(4) == 0) {
                s.add("backup-nothingsuch");
            }
            return s;
        }

        String suffix() {
            String chars = "abcdefghijklmnopqrstuvwxyz234567";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 11; i++) {
                sb.append(chars.charAt(random.nextInt(chars.length())));
            }
            return sb.toString();
        }

        <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }
    }
}
