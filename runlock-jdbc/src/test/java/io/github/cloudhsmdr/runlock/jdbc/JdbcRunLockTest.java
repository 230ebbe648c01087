package io.github.cloudhsmdr.runlock.jdbc;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import io.github.cloudhsmdr.scheduling.RunLockContract;
import io.github.cloudhsmdr.scheduling.TestClock;
import io.github.cloudhsmdr.scheduling.TestReplicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JdbcRunLock} on each database of the matrix (H2, PostgreSQL, MariaDB; a database not reachable is
 * skipped, see {@link TestDatabase}), in a schema of its own; two or more lock objects stand for two or more
 * nodes. The lock table is created by {@link JdbcRunLock#createTableIfMissing()}, i.e. with the DDL the lock
 * documents for that database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DatabaseEngine.class)
class JdbcRunLockTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static TestDatabase database;
    /** The pool of the invocation, shared by its tests (a pool per test would keep too many connections). */
    private static DataSource pool;
    /** Why the database of this invocation is not usable; each test is reported skipped with it. */
    private static TestAbortedException unavailable;

    @Parameter
    DatabaseEngine engine;

    private final TestClock clock = new TestClock("2026-11-28T06:00:00Z");
    private DataSource db;

    @BeforeParameterizedClassInvocation
    static void createSchema(DatabaseEngine engine) {
        unavailable = null;
        try {
            database = TestDatabase.create(engine, "runlock");
            pool = database.dataSource();
        } catch (TestAbortedException e) {
            unavailable = e;
        }
    }

    @AfterParameterizedClassInvocation
    static void dropSchema() throws SQLException {
        if (database != null) {
            database.close();
            database = null;
            pool = null;
        }
    }

    @BeforeEach
    void connect() {
        TestDatabase.skipIfUnavailable(unavailable);
        db = pool;
    }

    @AfterEach
    void dropTables() throws SQLException {
        if (database == null) {
            return;
        }
        database.dropTable("CLOUDHSM_DR_LOCK");
        database.dropTable("DR_RUN_LOCKS");
    }

    private JdbcRunLock node(String id) {
        return node(id, db);
    }

    private JdbcRunLock node(String id, DataSource dataSource) {
        JdbcRunLock lock = JdbcRunLock.builder(dataSource).clock(clock).lockedBy(id).build();
        lock.createTableIfMissing();
        return lock;
    }

    /** One row of the lock table. */
    private record Row(Instant lockedUntil, Instant lockedAt, String lockedBy) {
    }

    private Optional<Row> row(String name) throws SQLException {
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT LOCKED_UNTIL, LOCKED_AT, LOCKED_BY FROM CLOUDHSM_DR_LOCK WHERE NAME = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getTimestamp(1, utc).toInstant(),
                        rs.getTimestamp(2, utc).toInstant(), rs.getString(3))) : Optional.empty();
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aFreeLockIsTakenAndEveryOtherAttemptIsSkippedWhileItIsHeld() throws Exception {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");

        Optional<RunLock.Lease> lease = a.tryAcquire("dr", HOUR);

        assertTrue(lease.isPresent());
        assertEquals("dr", lease.get().name());
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "another node skips");
        assertTrue(a.tryAcquire("dr", HOUR).isEmpty(), "not re-entrant: a second run on the same node skips too");
        assertTrue(b.tryAcquire("other", HOUR).isPresent(), "locks of other names are independent");
        Row row = row("dr").orElseThrow();
        assertEquals(clock.instant(), row.lockedAt());
        assertEquals(clock.instant().plus(HOUR), row.lockedUntil());
        assertTrue(row.lockedBy().startsWith("node-a #"), row.lockedBy());
    }

    @Test
    void aLockNeverReleasedExpiresAfterLockAtMostFor() {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");
        assertTrue(a.tryAcquire("dr", Duration.ofMinutes(10)).isPresent()); // node a dies: never released

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "held until lockAtMostFor has passed");
        clock.advance(Duration.ofMillis(1));
        assertTrue(b.tryAcquire("dr", HOUR).isPresent(), "free from lockedAt + lockAtMostFor on");
    }

    @Test
    void aLockTakenAtAFractionOfASecondIsHeldForAllOfLockAtMostFor() throws Exception {
        TestClock midSecond = new TestClock("2026-11-28T06:00:00.600123Z");
        JdbcRunLock a = JdbcRunLock.builder(db).clock(midSecond).lockedBy("node-a").build();
        a.createTableIfMissing();
        JdbcRunLock b = JdbcRunLock.builder(db).clock(midSecond).lockedBy("node-b").build();
        assertTrue(a.tryAcquire("dr", Duration.ofMinutes(10)).isPresent()); // never released

        assertEquals(midSecond.instant().plus(Duration.ofMinutes(10)), row("dr").orElseThrow().lockedUntil(),
                "the table keeps the microseconds");
        midSecond.advance(Duration.ofMinutes(10).minusNanos(1_000));
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "held until the very microsecond lockAtMostFor ends");
        midSecond.advance(Duration.ofNanos(1_000));
        assertTrue(b.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void releasingFreesTheLockAtOnceAndClosingAgainDoesNothing() throws Exception {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");
        RunLock.Lease lease = a.tryAcquire("dr", HOUR).orElseThrow();
        clock.advance(Duration.ofMinutes(3));

        lease.close();

        assertEquals(clock.instant(), row("dr").orElseThrow().lockedUntil());
        RunLock.Lease next = b.tryAcquire("dr", HOUR).orElseThrow();
        lease.close();
        assertTrue(row("dr").orElseThrow().lockedBy().startsWith("node-b #"), "a second close leaves b's lock");
        assertTrue(a.tryAcquire("dr", HOUR).isEmpty());
        next.close();
    }

    @Test
    void releaseKeepsTheLockUntilLockAtLeastForAfterItWasTaken() {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");
        RunLock.Lease shortRun = a.tryAcquire("dr", HOUR, Duration.ofMinutes(5)).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        shortRun.close();

        assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "held 5 minutes although the run took 1");
        clock.advance(Duration.ofMinutes(4).minusMillis(1));
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty());
        clock.advance(Duration.ofMillis(1));
        RunLock.Lease longRun = b.tryAcquire("dr", HOUR, Duration.ofMinutes(5)).orElseThrow();

        clock.advance(Duration.ofMinutes(20));
        longRun.close();
        assertTrue(a.tryAcquire("dr", HOUR).isPresent(), "a run longer than lockAtLeastFor frees it at once");
    }

    @Test
    void aLateReleaseNeverFreesTheLockOfTheNextHolder() throws Exception {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");
        RunLock.Lease overran = a.tryAcquire("dr", Duration.ofMinutes(1)).orElseThrow();
        clock.advance(Duration.ofMinutes(2));
        assertTrue(b.tryAcquire("dr", HOUR).isPresent(), "a's lock expired");

        overran.close(); // logs a WARN: the runs may have overlapped

        assertTrue(row("dr").orElseThrow().lockedBy().startsWith("node-b #"));
        assertEquals(clock.instant().plus(HOUR), row("dr").orElseThrow().lockedUntil());
        assertTrue(a.tryAcquire("dr", HOUR).isEmpty(), "b still holds it");
    }

    @Test
    void sameIdentityOnTwoLeasesStillReleasesOnlyItsOwn() {
        JdbcRunLock a = node("same-host");
        RunLock.Lease first = a.tryAcquire("dr", Duration.ofMinutes(1)).orElseThrow();
        clock.advance(Duration.ofMinutes(2));
        RunLock.Lease second = a.tryAcquire("dr", HOUR).orElseThrow();

        first.close();

        assertTrue(a.tryAcquire("dr", HOUR).isEmpty(), "the second lease holds it: lease ids differ");
        second.close();
        assertTrue(a.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void anotherNodeInsertingTheRowFirstMeansNotAcquired() throws Exception {
        JdbcRunLock b = node("node-b");
        AtomicBoolean raced = new AtomicBoolean();
        // node a's connection: just before its INSERT (its UPDATE found no row), node b inserts the row
        DataSource racing = intercepting(db, sql -> {
            if (sql.startsWith("INSERT") && raced.compareAndSet(false, true)) {
                assertTrue(b.tryAcquire("dr", HOUR).isPresent(), "b inserts first");
            }
        });
        JdbcRunLock a = node("node-a", racing);

        Optional<RunLock.Lease> lease = a.tryAcquire("dr", HOUR);

        assertTrue(raced.get(), "the race happened");
        assertTrue(lease.isEmpty(), "the duplicate key means: held by someone else");
        assertTrue(row("dr").orElseThrow().lockedBy().startsWith("node-b #"));
    }

    @Test
    void theFirstAcquireOfEachLockRacedByManyNodesOnAnEmptyTableHasExactlyOneWinner() throws Exception {
        int nodes = 8;
        int names = 12;
        List<JdbcRunLock> locks = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            locks.add(node("node-" + n));
        }
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            for (int i = 0; i < names; i++) {
                String name = "first-" + i;
                CyclicBarrier together = new CyclicBarrier(nodes);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (JdbcRunLock lock : locks) {
                    attempts.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS); // every node's UPDATE finds no row, all INSERT
                        return lock.tryAcquire(name, HOUR).isPresent();
                    }));
                }
                int winners = 0;
                for (Future<Boolean> attempt : attempts) {
                    winners += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0; // an SQL error fails here
                }
                assertEquals(1, winners, name + ": exactly one node took the new lock on " + engine);
                assertTrue(row(name).isPresent());
            }
            System.out.printf("%s first-insert race: %d new locks, each raced by %d nodes: one winner each, "
                    + "%d skipped, no SQL error%n", engine, names, nodes, names * (nodes - 1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyNodesRacingForOneLockNeverHoldItTogether() throws Exception {
        int nodes = 6;
        int attempts = 60;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                JdbcRunLock lock = node("node-" + n);
                futures.add(pool.submit(() -> {
                    TestReplicator.await(go);
                    for (int i = 0; i < attempts; i++) {
                        Optional<RunLock.Lease> lease = lock.tryAcquire("dr", HOUR);
                        if (lease.isEmpty()) {
                            skipped.incrementAndGet();
                            continue;
                        }
                        try (RunLock.Lease held = lease.get()) {
                            acquired.incrementAndGet();
                            maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                            Thread.yield();
                            holders.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown(); // all start together: the first INSERT is raced by every node
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%s race: %d nodes x %d attempts: acquired=%d skipped=%d maxHolders=%d%n", engine, nodes,
                attempts, acquired.get(), skipped.get(), maxHolders.get());
        assertEquals(1, maxHolders.get(), "never two holders at once");
        assertEquals(nodes * attempts, acquired.get() + skipped.get());
        assertTrue(acquired.get() > 0 && skipped.get() > 0, "acquired=" + acquired + " skipped=" + skipped);
    }

    @Test
    void worksOnConnectionsWithAutoCommitOff() throws Exception {
        DataSource manual = intercepting(db, sql -> { });
        JdbcRunLock a = node("node-a", manual);
        JdbcRunLock b = node("node-b", manual);

        RunLock.Lease lease = a.tryAcquire("dr", HOUR).orElseThrow();
        assertTrue(row("dr").isPresent(), "committed: visible to other connections");
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "skipped after a failed INSERT, which was rolled back");
        lease.close();
        assertTrue(b.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void aMissingTableIsAClearErrorNamingTheLockAndTheTableNeverAnAcquiredLock() {
        JdbcRunLock lock = JdbcRunLock.builder(db).clock(clock).build();

        CloudHsmDrException e = assertThrows(CloudHsmDrException.class, () -> lock.tryAcquire("prod-dr", HOUR));

        assertTrue(e.getMessage().startsWith("cannot acquire run lock 'prod-dr' in table CLOUDHSM_DR_LOCK: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("CREATE TABLE CLOUDHSM_DR_LOCK (NAME VARCHAR(64) NOT NULL PRIMARY KEY"),
                e.getMessage());
        assertTrue(e.getMessage().contains("createTableIfMissing()"), e.getMessage());
        assertInstanceOf(SQLException.class, e.getCause());
    }

    @Test
    void aFailedReleaseIsAClearErrorAndTheLockStaysHeldUntilItExpires() throws Exception {
        JdbcRunLock a = node("node-a");
        JdbcRunLock b = node("node-b");
        AtomicBoolean broken = new AtomicBoolean();
        JdbcRunLock flaky = node("node-c", intercepting(db, sql -> {
            if (broken.get()) {
                throw new SQLException("connection reset", "08006");
            }
        }));
        RunLock.Lease lease = flaky.tryAcquire("dr", Duration.ofMinutes(30)).orElseThrow();
        broken.set(true);

        CloudHsmDrException e = assertThrows(CloudHsmDrException.class, lease::close);

        assertTrue(e.getMessage().startsWith("cannot release run lock 'dr' in table CLOUDHSM_DR_LOCK: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertTrue(a.tryAcquire("dr", HOUR).isEmpty());
        clock.advance(Duration.ofMinutes(30));
        assertTrue(b.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void anIntegrityErrorOtherThanADuplicateKeyIsThrownNotTakenForAHeldLock() throws Exception {
        execute(JdbcRunLock.createTableStatement("CLOUDHSM_DR_LOCK"));
        execute("ALTER TABLE CLOUDHSM_DR_LOCK ADD COLUMN OWNER_TEAM VARCHAR(20) NOT NULL");
        JdbcRunLock lock = JdbcRunLock.builder(db).clock(clock).build();

        CloudHsmDrException e = assertThrows(CloudHsmDrException.class, () -> lock.tryAcquire("dr", HOUR));

        assertTrue(e.getMessage().toUpperCase(Locale.ROOT).contains("OWNER_TEAM"), e.getMessage());
    }

    @Test
    void createTableIfMissingCreatesTheTableOnceUnderItsConfiguredName() throws Exception {
        JdbcRunLock lock = JdbcRunLock.builder(db).tableName("DR_RUN_LOCKS").clock(clock).build();

        assertTrue(lock.createTableIfMissing());
        assertFalse(lock.createTableIfMissing());
        assertFalse(JdbcRunLock.builder(db).tableName("DR_RUN_LOCKS").build().createTableIfMissing());

        assertTrue(lock.tryAcquire("dr", HOUR).isPresent());
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DR_RUN_LOCKS WHERE NAME = 'dr'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        assertEquals("DR_RUN_LOCKS", lock.tableName());
    }

    @Test
    void databaseTimeIgnoresTheNodesClock() throws Exception {
        TestClock wayBehind = new TestClock("2001-01-01T00:00:00Z");
        JdbcRunLock a = JdbcRunLock.builder(db).clock(wayBehind).usingDbTime().lockedBy("node-a").build();
        a.createTableIfMissing();
        Instant before = Instant.now();

        RunLock.Lease lease = a.tryAcquire("dr", HOUR).orElseThrow();

        Row row = row("dr").orElseThrow();
        assertTrue(a.usesDbTime());
        assertTrue(Math.abs(Duration.between(before, row.lockedAt()).toSeconds()) < 60,
                "LOCKED_AT is the database's time (UTC), not the clock's: " + row);
        assertEquals(HOUR, Duration.between(row.lockedAt(), row.lockedUntil()));
        JdbcRunLock b = JdbcRunLock.builder(db).usingDbTime().lockedBy("node-b").build();
        assertTrue(b.tryAcquire("dr", HOUR).isEmpty());
        lease.close();
        assertTrue(b.tryAcquire("dr", HOUR).isPresent());
    }

    @Test
    void databaseTimeComparesInUtcWhateverTheSessionTimeZone() throws Exception {
        // a session time zone far from UTC: CURRENT_TIMESTAMP carries it, the table holds UTC
        DataSource tokyo = database.dataSourceInSessionTimeZone(ZoneOffset.ofHours(9));
        JdbcRunLock lock = JdbcRunLock.builder(tokyo).usingDbTime().lockedBy("node-a").build();
        lock.createTableIfMissing();
        Instant now = Instant.now();
        insertRow("expired", now.minus(Duration.ofMinutes(5)));
        insertRow("held", now.plus(Duration.ofMinutes(5)));

        assertTrue(lock.tryAcquire("expired", HOUR).isPresent(), "expired 5 minutes ago in UTC");
        assertTrue(lock.tryAcquire("held", HOUR).isEmpty(), "held for 5 more minutes in UTC");
    }

    @Test
    void databaseTimeHoldsWhenTheJvmsAndTheDatabaseAreInDifferentTimeZones() throws Exception {
        TimeZone jvmZone = TimeZone.getDefault();
        try {
            // node a: a JVM in Auckland (UTC+13 in summer) on sessions at UTC-05:00
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            JdbcRunLock a = JdbcRunLock.builder(database.dataSourceInSessionTimeZone(ZoneOffset.ofHours(-5)))
                    .usingDbTime().lockedBy("node-a").build();
            a.createTableIfMissing();
            Instant before = Instant.now();
            RunLock.Lease lease = a.tryAcquire("dr", HOUR).orElseThrow();
            Row row = row("dr").orElseThrow();
            assertTrue(Math.abs(Duration.between(before, row.lockedAt()).toSeconds()) < 10,
                    "LOCKED_AT is the database's time in UTC, whatever the JVM's and the session's zones: " + row
                            + ", taken at " + before);

            // node b: a JVM in Honolulu (UTC-10) on sessions at UTC+09:00; node c: the (synchronised) clock
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Honolulu"));
            JdbcRunLock b = JdbcRunLock.builder(database.dataSourceInSessionTimeZone(ZoneOffset.ofHours(9)))
                    .usingDbTime().lockedBy("node-b").build();
            JdbcRunLock c = JdbcRunLock.builder(db).lockedBy("node-c").build();
            assertTrue(b.tryAcquire("dr", HOUR).isEmpty(), "held for an hour, seen from another zone");
            assertTrue(c.tryAcquire("dr", HOUR).isEmpty(), "held for an hour, seen by a node using its clock");
            lease.close();
            RunLock.Lease next = b.tryAcquire("dr", HOUR).orElseThrow();
            Row taken = row("dr").orElseThrow();
            assertTrue(Math.abs(Duration.between(Instant.now(), taken.lockedAt()).toSeconds()) < 10, taken.toString());
            next.close();
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }

    @Test
    void aZoneLessTimeFromACustomQueryIsReadAsUtcNeverInTheJvmsZone() throws Exception {
        TimeZone jvmZone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            JdbcRunLock lock = JdbcRunLock.builder(db).usingDbTime("SELECT TIMESTAMP '2030-01-01 00:00:00'")
                    .lockedBy("node-a").build();
            lock.createTableIfMissing();

            assertTrue(lock.tryAcquire("dr", HOUR).isPresent());

            assertEquals(Instant.parse("2030-01-01T00:00:00Z"), row("dr").orElseThrow().lockedAt());
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }

    private void insertRow(String name, Instant lockedUntil) throws SQLException {
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO CLOUDHSM_DR_LOCK (NAME, LOCKED_UNTIL, LOCKED_AT, LOCKED_BY) VALUES (?, ?, ?, 'other')")) {
            s.setString(1, name);
            s.setTimestamp(2, Timestamp.from(lockedUntil), utc);
            s.setTimestamp(3, Timestamp.from(lockedUntil.minus(HOUR)), utc);
            s.executeUpdate();
        }
    }

    @Test
    void twoTasksOnTwoNodesSharingTheLockRunOneAtATime() throws Exception {
        RunLockContract.twoTasksSharingTheLockRunOneAtATime(node("node-a"), node("node-b"));
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        JdbcRunLock lock = node("node-a");

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> lock.tryAcquire("x".repeat(65), HOUR));
        assertTrue(tooLong.getMessage().contains("65 characters") && tooLong.getMessage().contains("at most 64"),
                tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lock.tryAcquire(" ", HOUR));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> lock.tryAcquire("dr", Duration.ZERO));
        assertTrue(zero.getMessage().contains("lockAtMostFor"), zero.getMessage());
        IllegalArgumentException atLeast = assertThrows(IllegalArgumentException.class,
                () -> lock.tryAcquire("dr", Duration.ofMinutes(1), Duration.ofMinutes(2)));
        assertTrue(atLeast.getMessage().contains("lockAtLeastFor"), atLeast.getMessage());
        IllegalArgumentException table = assertThrows(IllegalArgumentException.class,
                () -> JdbcRunLock.builder(db).tableName("LOCKS; DROP TABLE X").build());
        assertTrue(table.getMessage().contains("'LOCKS; DROP TABLE X'"), table.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JdbcRunLock.builder(db).lockedBy(" ").build());
        assertThrows(NullPointerException.class, () -> JdbcRunLock.builder(null));
    }

    /** Reacts to each SQL statement the lock prepares. */
    @FunctionalInterface
    private interface SqlHook {
        void beforePrepare(String sql) throws SQLException;
    }

    /** A data source whose connections have auto-commit off and run {@code hook} before each statement. */
    private static DataSource intercepting(DataSource target, SqlHook hook) {
        return (DataSource) Proxy.newProxyInstance(JdbcRunLockTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    connection.setAutoCommit(false);
                    return Proxy.newProxyInstance(JdbcRunLockTest.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (p, m, a) -> {
                                if ((m.getName().equals("prepareStatement") || m.getName().equals("createStatement"))
                                        && a != null && a.length > 0 && a[0] instanceof String sql) {
                                    hook.beforePrepare(sql);
                                } else if (m.getName().equals("createStatement")) {
                                    hook.beforePrepare("");
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aTaskWhoseLockNameOrDurationTheTableCannotHoldFailsInBuild() {
        JdbcRunLock lock = node("node-a");
        TestReplicator replicator = TestReplicator.succeeding("dr");
        String longName = "x".repeat(JdbcRunLock.MAX_NAME_LENGTH + 1);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ReplicationTask.builder(replicator).runLock(lock).lockName(longName).build());
        assertTrue(tooLong.getMessage().contains("lockName") && tooLong.getMessage().contains("65")
                && tooLong.getMessage().contains("64"), tooLong.getMessage());
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        IllegalArgumentException tooLongHeld = assertThrows(IllegalArgumentException.class,
                () -> ReplicationTask.builder(replicator).runLock(lock).lockAtMostFor(forever).build());
        assertTrue(tooLongHeld.getMessage().contains("lockAtMostFor")
                && tooLongHeld.getMessage().contains(forever.toString()), tooLongHeld.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> lock.tryAcquire("dr", forever, Duration.ZERO), "tryAcquire checks the same bound");
    }
}
