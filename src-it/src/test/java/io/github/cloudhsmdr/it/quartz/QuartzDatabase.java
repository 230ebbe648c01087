package io.github.cloudhsmdr.it.quartz;

import org.h2.tools.Server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An H2 database in server mode (TCP, on a free port) holding the Quartz tables, created from the H2 script
 * shipped in the Quartz jar, plus the tables the cluster tests record executions in. Also builds the
 * Quartz properties of a clustered node on it.
 */
final class QuartzDatabase implements AutoCloseable {
    static final String SCHEDULER_NAME = "cloudhsm-dr-it";
    private static final String QUARTZ_SCHEMA = "org/quartz/impl/jdbcjobstore/tables_h2.sql";

    private static final String TEST_SCHEMA = """
            CREATE TABLE IT_RUNS (
              FIRE_INSTANCE_ID VARCHAR(200) PRIMARY KEY,
              JOB VARCHAR(200) NOT NULL,
              FIRE_KEY VARCHAR(400) NOT NULL,
              NODE VARCHAR(100) NOT NULL,
              RECOVERING BOOLEAN NOT NULL,
              STARTED_MICROS BIGINT NOT NULL,
              FINISHED_MICROS BIGINT,
              OUTCOME VARCHAR(2000)
            );
            CREATE TABLE IT_FLAGS (NAME VARCHAR(100) PRIMARY KEY, TAKEN BOOLEAN NOT NULL);
            """;

    private final Server server;
    private final String url;

    private QuartzDatabase(Server server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts an H2 TCP server on a free port with its files under {@code dir}, and creates the tables. */
    static QuartzDatabase start(Path dir) throws SQLException, IOException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        String url = "jdbc:h2:tcp://localhost:" + server.getPort() + "/quartz;LOCK_TIMEOUT=10000";
        QuartzDatabase db = new QuartzDatabase(server, url);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : statements(quartzSchema() + TEST_SCHEMA)) {
                s.execute(statement);
            }
        }
        return db;
    }

    private static String quartzSchema() throws IOException {
        try (InputStream in = QuartzDatabase.class.getClassLoader().getResourceAsStream(QUARTZ_SCHEMA)) {
            if (in == null) {
                throw new IOException(QUARTZ_SCHEMA + " is not on the classpath (it ships in the quartz jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String[] statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(sql.toString().split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    /** @return the JDBC URL of the database. */
    String url() {
        return url;
    }

    /** @return a new connection (auto-commit). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    /**
     * The properties of one node of the cluster: JobStoreTX, clustered, short check-in, triggers acquired
     * within the lock, string-only job data.
     */
    static Properties nodeProperties(String url, String instanceId, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // other nodes add triggers without waking this one: look for new ones every second (the minimum)
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        // one data source name per node: Quartz keeps data sources in a JVM-wide registry, and a node that
        // shuts down closes its own; nodes sharing a JVM must not share one
        String dataSource = "quartz-" + instanceId;
        p.setProperty("org.quartz.jobStore.dataSource", dataSource);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.dbRetryInterval", "1000");
        String ds = "org.quartz.dataSource." + dataSource + ".";
        p.setProperty(ds + "connectionProvider.class", H2ConnectionProvider.class.getName());
        p.setProperty(ds + "url", url);
        p.setProperty(ds + "user", "sa");
        p.setProperty(ds + "password", "");
        p.setProperty(ds + "maxConnections", Integer.toString(threads + 3));
        return p;
    }

    @Override
    public void close() {
        server.stop();
    }
}
