package io.github.cloudhsmdr.runlock.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A fresh, empty schema on one {@link DatabaseEngine}, created for one test class and dropped by
 * {@link #close()}: a schema of a unique name on PostgreSQL, a database of a unique name on MariaDB, an
 * in-memory database of an H2 server started for it. Runs never see each other's rows.
 *
 * <p><b>Where the databases are.</b> For each engine {@code <key>} ({@code postgresql}, {@code mariadb}) the
 * system properties {@code cloudhsmdr.db.<key>.url}, {@code .user} and {@code .password}, or else the
 * environment variables {@code CLOUDHSMDR_DB_<KEY>_URL}, {@code _USER} and {@code _PASSWORD}, name a database
 * the user may create schemas in (PostgreSQL) or a server the user may create databases on (MariaDB). Without
 * them: {@code jdbc:postgresql://127.0.0.1:5432/test} and {@code jdbc:mariadb://127.0.0.1:3306/test}, user
 * {@code root}, no password.
 *
 * <p><b>When one is not reachable</b>, {@link #create} aborts the test (JUnit reports it skipped, with the
 * reason), unless the engine is listed in the system property {@code cloudhsmdr.db.required} (or the
 * environment variable {@code CLOUDHSMDR_DB_REQUIRED}), e.g. {@code postgresql,mariadb}: then the test fails.
 * CI sets it, so CI always proves both.
 */
public final class TestDatabase implements AutoCloseable {
    /** Lists the engines whose absence fails the tests rather than skipping them. */
    public static final String REQUIRED_PROPERTY = "cloudhsmdr.db.required";

    private final DatabaseEngine engine;
    private final String url;
    private final String user;
    private final String password;
    private final String adminUrl;
    private final String name;
    private final Server h2Server;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private TestDatabase(DatabaseEngine engine, String url, String user, String password, String adminUrl,
            String name, Server h2Server) {
        this.engine = engine;
        this.url = url;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
        this.name = name;
        this.h2Server = h2Server;
    }

    /**
     * Creates a fresh schema (or database) on {@code engine}, named after {@code purpose} and a random suffix.
     * Aborts the test when the engine is not reachable and not required; fails it when it is required.
     */
    public static TestDatabase create(DatabaseEngine engine, String purpose) {
        String name = ("cdr_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (engine == DatabaseEngine.H2) {
            try {
                Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
                String url = "jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:" + name
                        + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
                return new TestDatabase(engine, url, "sa", "", null, name, server);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start an H2 server", e);
            }
        }
        String adminUrl = setting(engine, "url", engine.defaultUrl());
        String user = setting(engine, "user", engine.defaultUser());
        String password = setting(engine, "password", "");
        String url;
        try (Connection c = connect(engine, adminUrl, user, password); Statement s = c.createStatement()) {
            if (engine == DatabaseEngine.POSTGRESQL) {
                s.execute("CREATE SCHEMA " + name);
                url = withParameter(adminUrl, "currentSchema=" + name);
            } else {
                s.execute("CREATE DATABASE " + name);
                url = withDatabase(adminUrl, name);
            }
        } catch (SQLException e) {
            String reason = engine + " is not usable at " + adminUrl + " as user '" + user + "': " + e.getMessage()
                    + " (point the tests at one with -Dcloudhsmdr.db." + engine.key() + ".url=..., .user, .password"
                    + " or CLOUDHSMDR_DB_" + engine.key().toUpperCase(Locale.ROOT) + "_URL, _USER, _PASSWORD)";
            if (required().contains(engine.key())) {
                throw new AssertionError(reason + "; it is required by " + REQUIRED_PROPERTY + "=" + required(), e);
            }
            Assumptions.abort(reason);
            throw new AssertionError("unreachable", e);
        }
        return new TestDatabase(engine, url, user, password, adminUrl, name, null);
    }

    /**
     * Aborts the current test with the reason of {@code unavailable}, the abort {@link #create} threw for the
     * test class, unless it is null. A test class that creates its database once, before its tests, catches
     * that abort and calls this before each test, so that every test is reported skipped with the reason (an
     * abort of the class's set-up alone is counted by no report).
     */
    public static void skipIfUnavailable(TestAbortedException unavailable) {
        if (unavailable != null) {
            Assumptions.abort(unavailable.getMessage());
        }
    }

    /** The engines listed in {@value #REQUIRED_PROPERTY}. */
    static Set<String> required() {
        String list = System.getProperty(REQUIRED_PROPERTY, System.getenv("CLOUDHSMDR_DB_REQUIRED"));
        return list == null ? Set.of() : Arrays.stream(list.split(",")).map(String::trim)
                .map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static String setting(DatabaseEngine engine, String what, String fallback) {
        String property = System.getProperty("cloudhsmdr.db." + engine.key() + "." + what);
        if (property != null) {
            return property;
        }
        String env = System.getenv("CLOUDHSMDR_DB_" + engine.key().toUpperCase(Locale.ROOT) + "_"
                + what.toUpperCase(Locale.ROOT));
        return env != null ? env : fallback;
    }

    private static Connection connect(DatabaseEngine engine, String url, String user, String password)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        // an unreachable server is reported in seconds, not after the drivers' default timeouts
        p.setProperty("connectTimeout", engine == DatabaseEngine.MARIADB ? "5000" : "5");
        return DriverManager.getConnection(url, p);
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /** The MariaDB URL {@code url} with its database replaced by {@code database}. */
    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String parameters = query < 0 ? "" : url.substring(query);
        int hostStart = base.indexOf("//") + 2;
        int slash = base.indexOf('/', hostStart);
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + parameters;
    }

    /** @return the engine. */
    public DatabaseEngine engine() {
        return engine;
    }

    /** @return the JDBC URL of the fresh schema (or database). */
    public String url() {
        return url;
    }

    /** @return the user. */
    public String user() {
        return user;
    }

    /** @return the password. */
    public String password() {
        return password;
    }

    /** @return the schema (PostgreSQL) or database (MariaDB, H2) name. */
    public String name() {
        return name;
    }

    /** @return a new connection to the fresh schema (auto-commit). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** @return a connection pool on the fresh schema, closed with this database. */
    public DataSource dataSource() {
        return pool(null, 8);
    }

    /**
     * A connection pool on the fresh schema whose sessions run in the time zone {@code offset} (set on every
     * new connection), closed with this database.
     */
    public DataSource dataSourceInSessionTimeZone(ZoneOffset offset) {
        return pool(engine.setSessionTimeZone(offset), 8);
    }

    private synchronized DataSource pool(String initSql, int size) {
        HikariDataSource pool = pool(url, user, password, "test-" + name + "-" + pools.size(), size, initSql);
        pools.add(pool);
        return pool;
    }

    /**
     * A HikariCP pool of at most {@code size} connections that keeps none idle, running {@code initSql}
     * (may be null) on each new connection; the caller closes it.
     */
    public static HikariDataSource pool(String url, String user, String password, String poolName, int size,
            String initSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setPoolName(poolName);
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(config);
    }

    /** Drops a table of the schema if it exists. */
    public void dropTable(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** Closes the pools, drops the schema (or database), stops H2's server. */
    @Override
    public synchronized void close() throws SQLException {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        if (h2Server != null) {
            h2Server.stop();
            return;
        }
        try (Connection c = connect(engine, adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute(engine == DatabaseEngine.POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE"
                    : "DROP DATABASE " + name);
        }
    }

    @Override
    public String toString() {
        return engine + " " + name + " (" + url + ")";
    }
}
