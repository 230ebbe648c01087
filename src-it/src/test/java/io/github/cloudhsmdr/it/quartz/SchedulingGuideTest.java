package io.github.cloudhsmdr.it.quartz;

import com.zaxxer.hikari.HikariDataSource;
import io.github.cloudhsmdr.CloudHsmDrException;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.quartz.ReplicationJob;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.runlock.jdbc.DatabaseEngine;
import io.github.cloudhsmdr.runlock.jdbc.JdbcRunLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.quartz.JobExecutionContext;
import org.quartz.JobPersistenceException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code quartz.properties} and the run-lock DDL that quartz-adapter/SCHEDULING.md gives for PostgreSQL
 * and for MariaDB, read from the page itself: a clustered scheduler started with the documented properties
 * (only URL, user and password replaced) on a fresh schema made with Quartz's script runs a replicator
 * registered with a {@link JdbcRunLock} whose table was created with the documented DDL; and what the page
 * says about the other delegate.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseEngine.class, names = {"POSTGRESQL", "MARIADB"})
class SchedulingGuideTest {
    private static final Path GUIDE = Path.of("..", "quartz-adapter", "SCHEDULING.md");

    @Parameter
    DatabaseEngine engine;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** The fenced block that follows the line {@code <!-- marker -->} in the guide. */
    static String guideBlock(String marker) throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        int at = guide.indexOf("<!-- " + marker + " -->");
        assertTrue(at >= 0, "SCHEDULING.md has no block marked '" + marker + "'");
        int open = guide.indexOf("```", at);
        int start = guide.indexOf('\n', open) + 1;
        int end = guide.indexOf("```", start);
        return guide.substring(start, end);
    }

    private QuartzDatabase database() throws Exception {
        QuartzDatabase db = QuartzDatabase.create(engine, "guide");
        toClose.add(db);
        return db;
    }

    /** The guide's properties for this database, pointed at {@code db}. */
    private Properties guideProperties(QuartzDatabase db) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(guideBlock("quartz.properties " + engine.key())));
        p.setProperty("org.quartz.dataSource.quartz.URL", db.url());
        p.setProperty("org.quartz.dataSource.quartz.user", db.user());
        p.setProperty("org.quartz.dataSource.quartz.password", db.password());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        return p;
    }

    private Scheduler scheduler(Properties p) throws SchedulerException {
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        toClose.add(() -> s.shutdown(true));
        return s;
    }

    @Test
    void theGuidesPropertiesAndLockTableRunAReplicatorWithTheRunLock() throws Exception {
        QuartzDatabase db = database();
        String ddl = guideBlock("run-lock DDL " + engine.key()).trim();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(ddl.substring(0, ddl.length() - 1)); // without the ';'
            assertEquals(JdbcRunLock.createTableStatement("CLOUDHSM_DR_LOCK", c.getMetaData().getDatabaseProductName()),
                    ddl.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").replace(";", ""),
                    "the guide's DDL is the one createTableIfMissing() runs on " + engine);
        }
        Scheduler scheduler = scheduler(guideProperties(db));
        HikariDataSource lockPool = db.pool("guide-lock", 2);
        toClose.add(lockPool);
        JdbcRunLock lock = JdbcRunLock.builder(lockPool).usingDbTime().build();
        assertFalse(lock.createTableIfMissing(), "the guide's DDL made the table");
        ReplicationScheduling.register(scheduler, new ScriptedReplicator("prod-dr", () -> RunStatus.SUCCESS), lock);
        FirstExecution executed = new FirstExecution();
        scheduler.getListenerManager().addJobListener(executed);
        scheduler.start();

        assertTrue(ReplicationScheduling.triggerNow(scheduler, "prod-dr"));

        JobExecutionContext run = executed.context.get(30, TimeUnit.SECONDS);
        assertNull(executed.exception);
        assertInstanceOf(ReplicationReport.class, run.getResult(), "the replicator ran under the lock");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM CLOUDHSM_DR_LOCK WHERE NAME = 'prod-dr'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the lock's row");
        }
        try (Connection c = DBConnectionManager.getInstance().getConnection("quartz")) {
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation(),
                    "transactionIsolation reaches the pool");
        }
        System.out.printf("%s: the guide's quartz.properties ran %s on node %s%n", engine,
                run.getJobDetail().getKey(), scheduler.getSchedulerInstanceId());
    }

    @Test
    void withTheOtherDelegateWhatTheGuideSaysHappens() throws Exception {
        QuartzDatabase db = database();
        Properties p = guideProperties(db);
        String other = engine == DatabaseEngine.POSTGRESQL ? "org.quartz.impl.jdbcjobstore.StdJDBCDelegate"
                : "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
        p.setProperty("org.quartz.jobStore.driverDelegateClass", other);
        Scheduler scheduler = scheduler(p);

        if (engine == DatabaseEngine.POSTGRESQL) {
            CloudHsmDrException e = assertThrows(CloudHsmDrException.class,
                    () -> ReplicationScheduling.scheduleEvery(scheduler, "prod-dr", Duration.ofHours(1)));
            assertInstanceOf(JobPersistenceException.class, e.getCause());
            assertTrue(e.getMessage().contains("Bad value for type long"), e.getMessage());
            System.out.printf("%s with %s: %s%n", engine, other, e.getMessage());
        } else {
            ReplicationScheduling.scheduleEvery(scheduler, "prod-dr", Duration.ofHours(1));
            String name = scheduler.getJobDetail(ReplicationScheduling.jobKey("prod-dr")).getJobDataMap()
                    .getString(ReplicationJob.REPLICATOR_NAME_KEY);
            assertEquals("prod-dr", name, "PostgreSQLDelegate reads MariaDB's BLOB columns too");
            System.out.printf("%s with %s: job data read back, replicator %s%n", engine, other, name);
        }
    }
}
