package io.github.cloudhsmdr.runlock.shedlock;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.scheduling.RunLock;
import io.github.cloudhsmdr.scheduling.RunLockContract;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge on ShedLock's JdbcTemplate provider (the one Spring applications run) over an in-memory H2 database: a real provider, a real table. */
class ShedLockRunLockTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private JdbcDataSource dataSource;

    @BeforeEach
    void createTable() throws SQLException {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:shedlock-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL, "
                    + "locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))");
        }
    }

    private RunLock lock() {
        return ShedLockRunLock.of(new JdbcTemplateLockProvider(dataSource));
    }

    @Test
    void aHeldLockIsNotTakenAgainUntilReleased() throws SQLException {
        RunLock nodeA = lock();
        RunLock nodeB = lock();

        Optional<RunLock.Lease> lease = nodeA.tryAcquire("prod-dr", HOUR);
        assertTrue(lease.isPresent());
        assertEquals("prod-dr", lease.get().name());
        assertTrue(nodeB.tryAcquire("prod-dr", HOUR).isEmpty(), "held by node A");
        assertTrue(nodeB.tryAcquire("other-dr", HOUR).isPresent(), "locks are per name");
        assertEquals(2, rows());

        lease.get().close();
        assertTrue(nodeB.tryAcquire("prod-dr", HOUR).isPresent(), "released");
    }

    @Test
    void lockAtLeastForKeepsAReleasedLock() {
        RunLock.Lease lease = lock().tryAcquire("prod-dr", HOUR, Duration.ofMinutes(5)).orElseThrow();
        lease.close();

        assertTrue(lock().tryAcquire("prod-dr", HOUR).isEmpty(), "held for lockAtLeastFor after it was taken");
    }

    @Test
    void closingTwiceUnlocksOnce() {
        AtomicInteger unlocks = new AtomicInteger();
        LockProvider counting = configuration -> Optional.of(unlocks::incrementAndGet);
        RunLock.Lease lease = ShedLockRunLock.of(counting).tryAcquire("prod-dr", HOUR).orElseThrow();

        lease.close();
        lease.close();

        assertEquals(1, unlocks.get());
    }

    @Test
    void argumentsAreCheckedLikeEveryRunLock() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lock().tryAcquire(" ", HOUR));
        assertTrue(e.getMessage().contains("lock name must not be blank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lock().tryAcquire("prod-dr", Duration.ZERO));
        assertTrue(e.getMessage().contains("lockAtMostFor of lock 'prod-dr' must be positive"), e.getMessage());
    }

    @Test
    void aFailingProviderIsALibraryErrorAndTheLockIsNotHeld() {
        IllegalStateException down = new IllegalStateException("connection refused");
        LockProvider broken = configuration -> {
            throw down;
        };

        CloudHsmDrException e = assertThrows(CloudHsmDrException.class,
                () -> ShedLockRunLock.of(broken).tryAcquire("prod-dr", HOUR));

        assertSame(down, e.getCause());
        assertTrue(e.getMessage().contains("could not take lock 'prod-dr'"), e.getMessage());
    }

    @Test
    void twoTasksSharingTheProviderNeverRunAtOnce() throws Exception {
        RunLockContract.twoTasksSharingTheLockRunOneAtATime(lock(), lock());
    }

    private int rows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM shedlock")) {
            r.next();
            return r.getInt(1);
        }
    }
}
