package io.github.cloudhsmdr.it.quartz;

import io.github.cloudhsmdr.scheduling.RunOutcome;
import com.zaxxer.hikari.HikariDataSource;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Records every execution on this node in the shared database (IT_RUNS: fire key, node, recovering, start,
 * end, outcome) and announces it as an event line. The fire key names the firing independently of the node
 * that runs it: trigger and scheduled fire time, or for a recovery the original trigger and its scheduled
 * fire time.
 */
final class ExecutionRecorder implements JobListener, AutoCloseable {
    private final HikariDataSource pool;
    private final String node;
    private final Consumer<String> events;

    ExecutionRecorder(QuartzDatabase db, String node, Consumer<String> events) {
        this.pool = db.pool("recorder-" + node, 4);
        this.node = node;
        this.events = events;
    }

    @Override
    public String getName() {
        return "it-execution-recorder";
    }

    static String fireKey(JobExecutionContext context) {
        if (context.isRecovering()) {
            var data = context.getMergedJobDataMap();
            return data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP) + "."
                    + data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME) + "@"
                    + data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
        }
        TriggerKey t = context.getTrigger().getKey();
        return t.getGroup() + "." + t.getName() + "@" + context.getScheduledFireTime().getTime();
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
        String job = context.getJobDetail().getKey().toString();
        String key = fireKey(context);
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO IT_RUNS (FIRE_INSTANCE_ID, JOB, FIRE_KEY, NODE, RECOVERING, STARTED_MICROS)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, context.getFireInstanceId());
            s.setString(2, job);
            s.setString(3, key);
            s.setString(4, node);
            s.setBoolean(5, context.isRecovering());
            s.setLong(6, micros(Instant.now()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the start of " + key + " on " + node, e);
        }
        events.accept("STARTED " + job + " " + key + " " + node + " " + context.isRecovering());
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        String job = context.getJobDetail().getKey().toString();
        String key = fireKey(context);
        // ReplicationJob sets the report as result, or a RunOutcome.Skipped saying why it did not run
        Object result = context.getResult();
        String outcome = jobException != null ? jobException.getMessage()
                : result instanceof RunOutcome.Skipped skipped ? "SKIPPED " + skipped.reason()
                : result == null ? "NO RESULT" : "OK";
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE IT_RUNS SET FINISHED_MICROS = ?, OUTCOME = ? WHERE FIRE_INSTANCE_ID = ?")) {
            s.setLong(1, micros(Instant.now()));
            s.setString(2, outcome.length() > 2000 ? outcome.substring(0, 2000) : outcome);
            s.setString(3, context.getFireInstanceId());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the end of " + key + " on " + node, e);
        }
        events.accept("FINISHED " + job + " " + key + " " + node + " " + context.isRecovering());
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
    }

    /**
     * Runs {@code work} as the body of a replicator's run and records when it started and ended (IT_REPLICATIONS),
     * so overlaps are measured on the replicator's runs themselves, not on the Quartz executions around them.
     */
    void recordReplication(String replicator, Runnable work) {
        long id;
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO IT_REPLICATIONS (REPLICATOR, NODE, STARTED_MICROS) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, replicator);
            s.setString(2, node);
            s.setLong(3, micros(Instant.now()));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the start of a run of " + replicator + " on " + node, e);
        }
        work.run();
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE IT_REPLICATIONS SET FINISHED_MICROS = ? WHERE ID = ?")) {
            s.setLong(1, micros(Instant.now()));
            s.setLong(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the end of a run of " + replicator + " on " + node, e);
        }
    }

    /** Takes a one-shot flag: true for exactly one caller in the whole cluster. */
    boolean takeFlag(String name) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE IT_FLAGS SET TAKEN = TRUE WHERE NAME = ? AND TAKEN = FALSE")) {
            s.setString(1, name);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take flag " + name, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
