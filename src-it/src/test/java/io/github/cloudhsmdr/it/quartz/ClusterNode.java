package io.github.cloudhsmdr.it.quartz;

import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.quartz.ReplicatorRegistry;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of the Quartz cluster under test, run in its own JVM by {@link ClusteredQuartzTest}:
 * {@code ClusterNode <jdbc url> <instance id>}. It registers five replicators, records every execution in
 * the shared database, prints one {@code EVENT ...} line per event on stdout, and runs until its stdin is
 * closed (then shuts down gracefully) or the process is killed.
 *
 * <ul>
 *   <li>{@code steady-1} to {@code steady-4}: a run takes about {@link #STEADY_WORK} (simulated copy
 *       latency inside the node, not a wait of the test).</li>
 *   <li>{@code slow}: the first run in the whole cluster (a database flag decides) announces
 *       {@code BLOCKING} and blocks until the process is killed; any later run (the recovery) succeeds.</li>
 * </ul>
 */
public final class ClusterNode {
    static final int STEADY_REPLICATORS = 4;
    static final Duration STEADY_WORK = Duration.ofMillis(30);
    static final String BLOCK_FLAG = "block-first-slow-run";

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String node = args[1];
        PrintStream out = System.out;
        Scheduler scheduler = new StdSchedulerFactory(QuartzDatabase.nodeProperties(url, node, 2)).getScheduler();
        ExecutionRecorder recorder = new ExecutionRecorder(url, node, line -> emit(out, line));

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
        scheduler.getListenerManager().addJobListener(recorder);
        scheduler.start();
        emit(out, "READY " + node);

        while (System.in.read() != -1) {
            // run until the test closes stdin
        }
        scheduler.shutdown(true);
        recorder.close();
        emit(out, "STOPPED " + node);
    }

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println("EVENT " + line);
            out.flush();
        }
    }
}
