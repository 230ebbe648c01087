package io.github.cloudhsmdr.runlock.jdbc;

import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.scheduling.AbstractLease;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A {@link RunLock} shared by every process that uses the same database: one row per lock name in a table,
 * taken with a conditional {@code UPDATE} (or an {@code INSERT} the first time), in the manner of ShedLock's
 * JDBC provider. With the Quartz adapter, use the database of the clustered job store.
 *
 * <p><b>The table</b> (name configurable, default {@value #DEFAULT_TABLE}); create it once, or let
 * {@link #createTableIfMissing()} do it. On PostgreSQL, H2 and other databases whose {@code TIMESTAMP} keeps
 * microseconds and no time zone:
 * <pre>{@code
 * CREATE TABLE CLOUDHSM_DR_LOCK (
 *   NAME         VARCHAR(64)  NOT NULL PRIMARY KEY,
 *   LOCKED_UNTIL TIMESTAMP    NOT NULL,
 *   LOCKED_AT    TIMESTAMP    NOT NULL,
 *   LOCKED_BY    VARCHAR(255) NOT NULL
 * )
 * }</pre>
 * On MariaDB and MySQL the two timestamps are {@code DATETIME(6)} instead: their {@code TIMESTAMP} keeps whole
 * seconds (a lock taken at 10:00:00.600 for 10 minutes would be free at 10:10:00.000) and is converted from
 * and to each session's time zone. {@link #createTableStatement(String, String)} gives the statement for a
 * database. The timestamps are UTC wall-clock times, so nodes in different time zones agree.
 *
 * <p><b>How a lock is taken</b>, with {@code now} the current time:
 * <ol>
 *   <li>{@code UPDATE <table> SET LOCKED_UNTIL = now + lockAtMostFor, LOCKED_AT = now, LOCKED_BY = <lease>
 *       WHERE NAME = ? AND LOCKED_UNTIL <= now}: one row updated means taken;</li>
 *   <li>no row updated: {@code INSERT} the row; a duplicate key (another process inserted it first, or the
 *       row exists and is held) means not taken.</li>
 * </ol>
 * Releasing is {@code UPDATE <table> SET LOCKED_UNTIL = max(now, lockedAt + lockAtLeastFor) WHERE NAME = ?
 * AND LOCKED_BY = <lease>}. {@code LOCKED_BY} is this process's identity ({@link Builder#lockedBy(String)},
 * default {@code host:pid}) followed by a per-lease id, so a lease that expired and was taken over is never
 * released by its late former holder. Each statement commits on its own (the connection's auto-commit, or
 * an explicit commit when it is off): give the lock a plain connection pool, not a connection bound to a
 * caller's transaction. The SQL is standard and runs unchanged on PostgreSQL, MariaDB, MySQL and H2 (the
 * tests run it on PostgreSQL 15, MariaDB 10.11 and H2 2.3), with the table types above.
 *
 * <p><b>Whose clock.</b> By default {@code now} comes from the injected {@link Clock} of the process
 * (the system clock): then <b>the nodes' clocks must be in sync</b> (NTP), as Quartz's clustering already
 * requires, because a node whose clock runs ahead sees another node's lock expire early.
 * {@link Builder#usingDbTime()} reads {@code now} from the database instead (before each acquire and release:
 * {@code SELECT CURRENT_TIMESTAMP}, a timestamp with time zone, or on MariaDB and MySQL
 * {@code SELECT UTC_TIMESTAMP(6)}, whose {@code CURRENT_TIMESTAMP} is a wall-clock time of the session's zone
 * with whole seconds), so every node uses the one clock of the database, whatever the time zones of the JVMs
 * and of the sessions; the time arithmetic is still done here, because interval arithmetic in SQL differs
 * between databases.
 *
 * <p><b>Failures.</b> An SQL error (no table, no connection, ...) is thrown as a {@link CloudHsmDrException}
 * naming the lock, the table and the operation, with the {@link SQLException} as cause; a lock is never
 * reported taken unless its row was written and committed.
 *
 * <p>Thread-safe: every call uses its own connection from the {@link DataSource}, which the lock does not
 * own and never closes.
 *
 * <pre>{@code
 * RunLock lock = JdbcRunLock.builder(dataSource).usingDbTime().build();
 * ReplicationTask task = ReplicationTask.builder(replicator).runLock(lock).lockAtMostFor(Duration.ofHours(2)).build();
 * }</pre>
 */
public final class JdbcRunLock implements RunLock {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "CLOUDHSM_DR_LOCK";
    /** The longest lock name the {@code NAME} column holds: every lock name a {@link ReplicationTask} accepts. */
    public static final int MAX_NAME_LENGTH = ReplicationTask.MAX_LOCK_NAME_LENGTH;
    /** The query that reads the database's time with {@link Builder#usingDbTime()}, except on MariaDB and MySQL. */
    public static final String DEFAULT_DB_TIME_QUERY = "SELECT CURRENT_TIMESTAMP";
    /** The query that reads the database's time with {@link Builder#usingDbTime()} on MariaDB and MySQL. */
    public static final String MYSQL_DB_TIME_QUERY = "SELECT UTC_TIMESTAMP(6)";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRunLock.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int MAX_LOCKED_BY_LENGTH = 200;
    /** SQLState class 23: integrity constraint violation (23505 is a unique key on most databases). */
    private static final String INTEGRITY_VIOLATION_CLASS = "23";

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;
    private final boolean dbTime;
    /** The time query given to {@link Builder#usingDbTime(String)}; null for the database's default. */
    private final String dbTimeQuery;
    private final String lockedBy;
    /** The database's product name, read from the first connection. */
    private volatile String databaseProduct;
    private final String acquireSql;
    private final String insertSql;
    private final String releaseSql;
    private final String probeSql;
    private final String existsSql;

    private JdbcRunLock(Builder b) {
        this.dataSource = b.dataSource;
        this.table = b.table;
        this.clock = b.clock;
        this.dbTime = b.dbTime;
        this.dbTimeQuery = b.dbTimeQuery;
        this.lockedBy = b.lockedBy != null ? b.lockedBy : defaultIdentity();
        this.acquireSql = "UPDATE " + table + " SET LOCKED_UNTIL = ?, LOCKED_AT = ?, LOCKED_BY = ?"
                + " WHERE NAME = ? AND LOCKED_UNTIL <= ?";
        this.insertSql = "INSERT INTO " + table + " (NAME, LOCKED_UNTIL, LOCKED_AT, LOCKED_BY) VALUES (?, ?, ?, ?)";
        this.releaseSql = "UPDATE " + table + " SET LOCKED_UNTIL = ? WHERE NAME = ? AND LOCKED_BY = ?";
        this.probeSql = "SELECT NAME, LOCKED_UNTIL, LOCKED_AT, LOCKED_BY FROM " + table + " WHERE 1 = 0";
        this.existsSql = "SELECT NAME FROM " + table + " WHERE NAME = ?";
    }

    /**
     * A lock on {@code dataSource} with every default: table {@value #DEFAULT_TABLE}, the system clock.
     *
     * @throws NullPointerException when {@code dataSource} is null
     */
    public static JdbcRunLock of(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * Starts a builder for a lock on {@code dataSource}.
     *
     * @throws NullPointerException when {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The {@code CREATE TABLE} statement of the lock table {@code tableName} in standard SQL, for PostgreSQL, H2
     * and other databases whose {@code TIMESTAMP} keeps microseconds and no time zone; see
     * {@link #createTableStatement(String, String)} for MariaDB and MySQL.
     *
     * @throws IllegalArgumentException when {@code tableName} is not a plain (optionally schema-qualified)
     *                                  SQL identifier
     */
    public static String createTableStatement(String tableName) {
        return createTableStatement(tableName, "standard");
    }

    /**
     * The {@code CREATE TABLE} statement of the lock table {@code tableName} on the database named
     * {@code databaseProductName} (as {@link java.sql.DatabaseMetaData#getDatabaseProductName()} says):
     * {@code DATETIME(6)} timestamps on {@code MariaDB} and {@code MySQL}, {@code TIMESTAMP} on any other.
     *
     * @throws IllegalArgumentException when {@code tableName} is not a plain (optionally schema-qualified)
     *                                  SQL identifier
     */
    public static String createTableStatement(String tableName, String databaseProductName) {
        Objects.requireNonNull(databaseProductName, "databaseProductName");
        String timestamp = isMySql(databaseProductName) ? "DATETIME(6)" : "TIMESTAMP";
        return "CREATE TABLE " + checkTableName(tableName) + " (NAME VARCHAR(" + MAX_NAME_LENGTH
                + ") NOT NULL PRIMARY KEY, LOCKED_UNTIL " + timestamp + " NOT NULL, LOCKED_AT " + timestamp
                + " NOT NULL, LOCKED_BY VARCHAR(255) NOT NULL)";
    }

    private static boolean isMySql(String databaseProductName) {
        String product = databaseProductName.toLowerCase(Locale.ROOT);
        return product.contains("mariadb") || product.contains("mysql");
    }

    /**
     * @return the {@code CREATE TABLE} statement of this lock's table, for its database once the lock has
     * connected to it (standard SQL before)
     */
    public String createTableStatement() {
        String product = databaseProduct;
        return product == null ? createTableStatement(table) : createTableStatement(table, product);
    }

    /** The database's product name, read once from {@code c}'s metadata. */
    private String databaseProduct(Connection c) throws SQLException {
        String product = databaseProduct;
        if (product == null) {
            product = c.getMetaData().getDatabaseProductName();
            databaseProduct = product;
        }
        return product;
    }

    /**
     * Creates this lock's table unless it exists (several nodes may call this at once: one creates it).
     *
     * @return true when this call created the table
     * @throws CloudHsmDrException when the table neither exists nor can be created
     */
    public boolean createTableIfMissing() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            databaseProduct(c);
            if (tableUsable(c, autoCommit)) {
                return false;
            }
            try (Statement s = c.createStatement()) {
                s.execute(createTableStatement());
                commit(c, autoCommit);
                LOG.info("run lock table {} created", table);
                return true;
            } catch (SQLException e) {
                rollback(c, autoCommit, e);
                if (tableUsable(c, autoCommit)) {
                    return false; // another node created it meanwhile
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new CloudHsmDrException("cannot create the run lock table " + table + " (" + createTableStatement()
                    + "): " + describe(e), e);
        }
    }

    private boolean tableUsable(Connection c, boolean autoCommit) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(probeSql)) {
            rs.next();
            commit(c, autoCommit);
            return true;
        } catch (SQLException e) {
            rollback(c, autoCommit, e);
            return false;
        }
    }

    @Override
    public Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        RunLock.checkArguments(name, lockAtMostFor, lockAtLeastFor);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("lock name '" + name + "' is " + name.length() + " characters long; "
                    + "the NAME column of table " + table + " holds at most " + MAX_NAME_LENGTH);
        }
        String leaseId = lockedBy + " #" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            Instant now = now(c, autoCommit);
            Instant until = now.plus(lockAtMostFor);
            int updated;
            try (PreparedStatement s = c.prepareStatement(acquireSql)) {
                setTime(s, 1, until);
                setTime(s, 2, now);
                s.setString(3, leaseId);
                s.setString(4, name);
                setTime(s, 5, now);
                updated = s.executeUpdate();
                commit(c, autoCommit);
            } catch (SQLException e) {
                rollback(c, autoCommit, e);
                throw e;
            }
            if (updated == 0 && !insert(c, autoCommit, name, until, now, leaseId)) {
                LOG.debug("lock={} table={} held by another run: not acquired", name, table);
                return Optional.empty();
            }
            LOG.debug("lock={} table={} acquired by {} until {}", name, table, leaseId, until);
            return Optional.of(new JdbcLease(name, leaseId, now, lockAtLeastFor));
        } catch (SQLException e) {
            throw new CloudHsmDrException("cannot acquire run lock '" + name + "' in table " + table + ": "
                    + describe(e) + hint(e), e);
        }
    }

    /** Inserts the lock's row; false when it exists already (held, or inserted by another process first). */
    private boolean insert(Connection c, boolean autoCommit, String name, Instant until, Instant now, String leaseId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insertSql)) {
            s.setString(1, name);
            setTime(s, 2, until);
            setTime(s, 3, now);
            s.setString(4, leaseId);
            s.executeUpdate();
            commit(c, autoCommit);
            return true;
        } catch (SQLException e) {
            rollback(c, autoCommit, e);
            if (isIntegrityViolation(e) && rowExists(c, autoCommit, name, e)) {
                return false; // a duplicate key: the row is there, held by someone else
            }
            throw e;
        }
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e instanceof SQLIntegrityConstraintViolationException
                || (e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION_CLASS));
    }

    /**
     * Whether the lock's row exists, to tell a duplicate key from another integrity violation (a NOT NULL
     * column added to the table, say) without relying on vendor error codes.
     */
    private boolean rowExists(Connection c, boolean autoCommit, String name, SQLException insertFailure)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(existsSql)) {
            s.setString(1, name);
            boolean exists;
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
            commit(c, autoCommit);
            return exists;
        } catch (SQLException e) {
            rollback(c, autoCommit, e);
            insertFailure.addSuppressed(e);
            throw insertFailure;
        }
    }

    private void release(JdbcLease lease) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            Instant now = now(c, autoCommit);
            Instant atLeast = lease.lockedAt.plus(lease.lockAtLeastFor);
            Instant until = atLeast.isAfter(now) ? atLeast : now;
            int updated;
            try (PreparedStatement s = c.prepareStatement(releaseSql)) {
                setTime(s, 1, until);
                s.setString(2, lease.name());
                s.setString(3, lease.leaseId);
                updated = s.executeUpdate();
                commit(c, autoCommit);
            } catch (SQLException e) {
                rollback(c, autoCommit, e);
                throw e;
            }
            if (updated == 0) {
                LOG.warn("lock={} table={} was held past its lockAtMostFor and taken by another run (or its row was "
                        + "removed) before {} released it: the runs may have overlapped; raise lockAtMostFor above "
                        + "the longest run", lease.name(), table, lease.leaseId);
            } else {
                LOG.debug("lock={} table={} released by {}; free from {}", lease.name(), table, lease.leaseId, until);
            }
        } catch (SQLException e) {
            throw new CloudHsmDrException("cannot release run lock '" + lease.name() + "' in table " + table
                    + ": " + describe(e) + "; the lock stays held until it expires (lockAtMostFor after "
                    + lease.lockedAt + ")", e);
        }
    }

    private Instant now(Connection c, boolean autoCommit) throws SQLException {
        if (!dbTime) {
            return clock.instant().truncatedTo(ChronoUnit.MICROS);
        }
        String query = dbTimeQuery != null ? dbTimeQuery
                : isMySql(databaseProduct(c)) ? MYSQL_DB_TIME_QUERY : DEFAULT_DB_TIME_QUERY;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            if (!rs.next()) {
                throw new SQLException("the database time query '" + query + "' returned no row");
            }
            // a timestamp with time zone is an instant; one without is read as UTC (never as the JVM's zone)
            Timestamp t = rs.getTimestamp(1, utc());
            if (t == null) {
                throw new SQLException("the database time query '" + query + "' returned NULL");
            }
            commit(c, autoCommit);
            return t.toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (SQLException e) {
            rollback(c, autoCommit, e);
            throw e;
        }
    }

    private static void setTime(PreparedStatement s, int index, Instant instant) throws SQLException {
        s.setTimestamp(index, Timestamp.from(instant), utc());
    }

    /** A new UTC calendar each time: Calendar is not thread-safe. */
    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    }

    private static void commit(Connection c, boolean autoCommit) throws SQLException {
        if (!autoCommit) {
            c.commit();
        }
    }

    private static void rollback(Connection c, boolean autoCommit, SQLException failure) {
        if (!autoCommit) {
            try {
                c.rollback();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static String describe(SQLException e) {
        return e.getClass().getSimpleName() + " (SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + "): "
                + e.getMessage();
    }

    private String hint(SQLException e) {
        String state = e.getSQLState();
        // 42: syntax error or access rule violation, which includes "table not found"
        return state != null && state.startsWith("42") ? "; does the table exist? Create it with: "
                + createTableStatement() + " (or call createTableIfMissing())" : "";
    }

    private static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "unknown-host");
        }
        String identity = host + ":" + ProcessHandle.current().pid();
        return identity.length() > MAX_LOCKED_BY_LENGTH ? identity.substring(0, MAX_LOCKED_BY_LENGTH) : identity;
    }

    private static String checkTableName(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName '" + tableName + "' is not allowed: use a plain SQL "
                    + "identifier (letters, digits, '_'), optionally qualified by a schema, e.g. 'dr.CLOUDHSM_DR_LOCK'");
        }
        return tableName;
    }

    /** @return the table holding the locks. */
    public String tableName() {
        return table;
    }

    /** @return the identity written, with a per-lease id, to {@code LOCKED_BY}. */
    public String lockedBy() {
        return lockedBy;
    }

    /** @return true when the lock reads the time from the database ({@link Builder#usingDbTime()}). */
    public boolean usesDbTime() {
        return dbTime;
    }

    @Override
    public String toString() {
        return "JdbcRunLock[table=" + table + ", time=" + (dbTime ? "database" : "clock")
                + ", lockedBy=" + lockedBy + "]";
    }

    private final class JdbcLease extends AbstractLease {
        private final String leaseId;
        private final Instant lockedAt;
        private final Duration lockAtLeastFor;

        JdbcLease(String name, String leaseId, Instant lockedAt, Duration lockAtLeastFor) {
            super(name);
            this.leaseId = leaseId;
            this.lockedAt = lockedAt;
            this.lockAtLeastFor = lockAtLeastFor;
        }

        @Override
        protected void release() {
            JdbcRunLock.this.release(this);
        }

        @Override
        public String toString() {
            return "JdbcRunLock lease[" + name() + " by " + leaseId + " at " + lockedAt + " in " + table + "]";
        }
    }

    /**
     * Builds a {@link JdbcRunLock}; every setting is checked in {@link #build()}. Not thread-safe.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code tableName}</td><td>{@value JdbcRunLock#DEFAULT_TABLE}</td></tr>
     *   <tr><td>{@code clock}</td><td>the system clock (UTC); node clocks must be in sync</td></tr>
     *   <tr><td>{@code usingDbTime}</td><td>off: the clock above</td></tr>
     *   <tr><td>{@code lockedBy}</td><td>{@code <host name>:<process id>}</td></tr>
     * </table>
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private Clock clock = Clock.systemUTC();
        private boolean dbTime;
        private String dbTimeQuery;
        private String lockedBy;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The table holding the locks, a plain SQL identifier optionally qualified by a schema; default
         * {@value JdbcRunLock#DEFAULT_TABLE}.
         */
        public Builder tableName(String tableName) {
            this.table = Objects.requireNonNull(tableName, "tableName");
            return this;
        }

        /**
         * Where {@code now} comes from, unless {@link #usingDbTime()} is set; default the system clock. Every
         * node's clock must agree with the others' (NTP).
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Reads {@code now} from the database instead of the clock, so the nodes' clocks do not matter:
         * {@value JdbcRunLock#MYSQL_DB_TIME_QUERY} on MariaDB and MySQL, {@value JdbcRunLock#DEFAULT_DB_TIME_QUERY}
         * on any other database.
         */
        public Builder usingDbTime() {
            this.dbTime = true;
            this.dbTimeQuery = null;
            return this;
        }

        /**
         * Reads {@code now} from the database with {@code currentTimeQuery}, a query returning one timestamp,
         * for databases where the queries of {@link #usingDbTime()} do not work, e.g.
         * {@code SELECT SYSTIMESTAMP FROM DUAL} on Oracle. A timestamp with time zone is taken as the instant it
         * denotes; a timestamp without one is read as a UTC time (never as one of the JVM's time zone), so a
         * query like {@code SELECT CURRENT_TIMESTAMP} on MariaDB, a time of the session's zone, is wrong.
         */
        public Builder usingDbTime(String currentTimeQuery) {
            this.dbTime = true;
            this.dbTimeQuery = Objects.requireNonNull(currentTimeQuery, "currentTimeQuery");
            return this;
        }

        /** This process's identity in {@code LOCKED_BY} (at most 200 characters); default {@code host:pid}. */
        public Builder lockedBy(String lockedBy) {
            this.lockedBy = Objects.requireNonNull(lockedBy, "lockedBy");
            return this;
        }

        /**
         * Checks every setting and builds the lock. Does not touch the database.
         *
         * @throws IllegalArgumentException when the table name, the identity or the time query is not allowed
         */
        public JdbcRunLock build() {
            checkTableName(table);
            if (lockedBy != null && (lockedBy.isBlank() || lockedBy.length() > MAX_LOCKED_BY_LENGTH)) {
                throw new IllegalArgumentException("lockedBy must be 1 to " + MAX_LOCKED_BY_LENGTH
                        + " characters and not blank, was '" + lockedBy + "'");
            }
            if (dbTimeQuery != null && dbTimeQuery.isBlank()) {
                throw new IllegalArgumentException("currentTimeQuery must not be blank: e.g. "
                        + DEFAULT_DB_TIME_QUERY);
            }
            return new JdbcRunLock(this);
        }
    }
}
