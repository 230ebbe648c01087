package io.github.cloudhsmdr.it.quartz;

import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.quartz.ReplicatorRegistry;
import io.github.cloudhsmdr.runlock.jdbc.JdbcRunLock;
import com.zaxxer.hikari.HikariDataSource;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of the Quartz cluster under test, run in its own JVM by {@link ClusteredQuartzTest}:
 * {@code ClusterNode <engine> <jdbc url> <user> <password> <instance id>} (see {@link QuartzDatabase#arguments()}). It registers five replicators, records every execution in
 * the shared database, prints one {@code EVENT ...} line per event on stdout, and runs until its stdin is
 * closed (then shuts down gracefully) or the process is killed. Lines on stdin are commands run on the node:
 * {@code TRIGGER <replicator> <n>} ({@code Scheduler.triggerJob} n times) and {@code TRIGGER_NOW <replicator>
 * <n>} ({@code ReplicationScheduling.triggerNow} n times), each answered by {@code TRIGGERED <node>
 * <replicator> <firings added>}.
 *
 * <ul>
 *   <li>{@code steady-1} to {@code steady-4}: a run takes about {@link #STEADY_WORK} (simulated copy
 *       latency inside the node, not a wait of the test).</li>
 *   <li>{@code slow}: the first run in the whole cluster (a database flag decides) announces
 *       {@code BLOCKING} and blocks until the process is killed; any later run (the recovery) succeeds.</li>
 *   <li>{@code locked}: registered with a {@link JdbcRunLock} on the shared database (database time), so
 *       runs on different nodes never overlap; a run takes about {@link #LOCKED_WORK} and records its own
 *       start and end (IT_REPLICATIONS).</li>
 * </ul>
 */
public final class ClusterNode {
    static final int STEADY_REPLICATORS = 4;
    static final Duration STEADY_WORK = Duration.ofMillis(30);
    static final String BLOCK_FLAG = "block-first-slow-run";
    static final String LOCKED = "locked";
    static final Duration LOCKED_WORK = Duration.ofMillis(100);

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        QuartzDatabase db = QuartzDatabase.fromArguments(args);
        String node = args[4];
        PrintStream out = System.out;
        Scheduler scheduler = new StdSchedulerFactory(db.nodeProperties(node, 2)).getScheduler();
        ExecutionRecorder recorder = new ExecutionRecorder(db, node, line -> emit(out, line));

        ReplicatorRegistry registry = ReplicationScheduling.registry(scheduler);
        for (int i = 1; i <= STEADY_REPLICATORS; i++) {
            registry.register(new ScriptedReplicator("steady-" + i, () -> {
                LockSupport.parkNanos(STEADY_WORK.toNanos());
                return RunStatus.SUCCESS;
            }));
        }
        registry.register(new ScriptedReplicator("slow", () -> {
            if (recorder.takeFlag(BLOCK_FLAG)) {
                emit(out, "BLOCKING " + node);
                new CountDownLatch(1).await();
            }
            return RunStatus.SUCCESS;
        }));
        HikariDataSource lockPool = db.pool("run-lock-" + node, 4);
        JdbcRunLock runLock = JdbcRunLock.builder(lockPool).usingDbTime().lockedBy(node).build();
        runLock.createTableIfMissing(); // every node at once: one creates it
        registry.register(new ScriptedReplicator(LOCKED, () -> {
            recorder.recordReplication(LOCKED, () -> LockSupport.parkNanos(LOCKED_WORK.toNanos()));
            return RunStatus.SUCCESS;
        }), runLock);
        scheduler.getListenerManager().addJobListener(recorder);
        scheduler.start();
        emit(out, "READY " + node);

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) { // run until the test closes stdin
            String[] words = command.trim().split(" +");
            if (words.length == 3 && words[0].equals("TRIGGER")) {
                // on this node, so its own scheduler thread is woken at once (as by an admin call to this node)
                for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                    scheduler.triggerJob(ReplicationScheduling.jobKey(words[1]));
                }
                emit(out, "TRIGGERED " + node + " " + words[1] + " " + words[2]);
            } else if (words.length == 3 && words[0].equals("TRIGGER_NOW")) {
                int added = 0;
                for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                    added += ReplicationScheduling.triggerNow(scheduler, words[1]) ? 1 : 0;
                }
                emit(out, "TRIGGERED " + node + " " + words[1] + " " + added);
            }
        }
        scheduler.shutdown(true);
        recorder.close();
        lockPool.close();
        emit(out, "STOPPED " + node);
    }

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println("EVENT " + line);
            out.flush();
        }
    }
}
