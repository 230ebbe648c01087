package io.github.cloudhsmdr.it.quartz;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyAction;
import io.github.cloudhsmdr.ReplicationReport;
import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.runlock.jdbc.DatabaseEngine;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.InMemoryBackupStore;
import io.github.cloudhsmdr.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.quartz.JobExecutionContext;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine recovered across a Quartz cluster: node A starts a real replication run over the in-memory
 * CloudHSM model and dies right after one of its copy calls went through; node B recovers the run, and the
 * regions end with exactly one live copy per (source backup, destination region).
 *
 * <p>Both nodes share one CloudHSM model, so they run in this JVM, as two clustered scheduler instances
 * (distinct instance ids) on one JobStoreTX, on each database of the matrix (H2 in server mode, PostgreSQL,
 * MariaDB; one not reachable is skipped). "Killing" node A means: its store fails
 * every call after the blocking one (the process is gone, it makes no further request) and its scheduler
 * is shut down without waiting, so it stops checking in and the cluster declares it failed.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DatabaseEngine.class)
class ClusteredEngineRecoveryTest {
    private static final String SOURCE = "us-east-1";
    private static final List<String> DESTINATIONS = List.of("us-west-2", "eu-west-1");
    private static final int DIE_AFTER_COPY_CALLS = 3;

    private final CountDownLatch releaseZombie = new CountDownLatch(1);
    private final List<Scheduler> schedulers = new ArrayList<>();
    private QuartzDatabase db;

    @Parameter
    DatabaseEngine engine;

    @AfterEach
    void tearDown() throws Exception {
        // let node A's stuck thread end (its calls fail, its job store is gone: Quartz logs an error for it)
        releaseZombie.countDown();
        for (Scheduler s : schedulers) {
            if (!s.isShutdown()) {
                s.shutdown(true);
            }
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * A store for node A: passes calls to the model; the {@code DIE_AFTER_COPY_CALLS}-th copy call goes
     * through, then the node "dies": that call never returns and every later call fails.
     */
    private static BackupStore dyingStore(BackupStore delegate, CountDownLatch died, CountDownLatch release,
            AtomicInteger copyCalls) {
        AtomicBoolean dead = new AtomicBoolean();
        return (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    // one call at a time: the engine sends calls side by side, and none may reach the model
                    // after the node died (a call that waits here while the dying one holds the lock never
                    // returns either, until the zombie is released)
                    synchronized (dead) {
                        if (dead.get()) {
                            throw new IllegalStateException("node A is dead: " + method.getName() + " never sent");
                        }
                        Object result;
                        try {
                            result = method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("copyBackupToRegion")
                                && copyCalls.incrementAndGet() == DIE_AFTER_COPY_CALLS) {
                            dead.set(true);
                            died.countDown();
                            release.await(); // the dead process never returns from this call
                            throw new IllegalStateException("node A is dead");
                        }
                        return result;
                    }
                });
    }

    private Scheduler node(String instanceId, BackupReplicator replicator, JobListener listener) throws Exception {
        Scheduler s = new StdSchedulerFactory(db.nodeProperties(instanceId, 2)).getScheduler();
        // both nodes share one scheduler name (the cluster's), which Quartz's in-JVM repository keys on:
        // unbind it so that the second node of this JVM is a new instance rather than the first one again
        SchedulerRepository.getInstance().remove(QuartzDatabase.SCHEDULER_NAME);
        schedulers.add(s);
        ReplicationScheduling.register(s, replicator);
        s.getListenerManager().addJobListener(listener);
        s.start();
        return s;
    }

    @Test
    void runRecoveredFromADeadNodeCopiesOnlyWhatTheDeadRunDidNot() throws Exception {
        db = QuartzDatabase.create(engine, "recovery");
        MutableClock clock = MutableClock.at("2026-11-28T06:00:00Z");
        CloudHsmModel model = new CloudHsmModel(clock, 7L);
        List<String> sourceBackups = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            String cluster = model.addCluster(SOURCE).clusterId();
            for (int b = 1; b <= 3; b++) {
                sourceBackups.add(model.addBackup(SOURCE, cluster,
                        clock.instant().minus(Duration.ofHours(6L * b + c))).backupId());
            }
        }
        InMemoryBackupStore modelStore = new InMemoryBackupStore(model);
        CountDownLatch died = new CountDownLatch(1);
        AtomicInteger copyCallsA = new AtomicInteger();
        BackupReplicator replicatorA = replicator(dyingStore(modelStore, died, releaseZombie, copyCallsA), clock);
        BackupReplicator replicatorB = replicator(modelStore, clock);
        FirstExecution onA = new FirstExecution();
        FirstExecution onB = new FirstExecution();

        Scheduler nodeA = node("node-a", replicatorA, onA);
        ReplicationScheduling.triggerNow(nodeA, "dr");
        assertTrue(died.await(20, TimeUnit.SECONDS), "node A started copying");
        int copiesByA = liveCopies(model).values().stream().mapToInt(List::size).sum();
        node("node-b", replicatorB, onB);
        nodeA.shutdown(false);
        Instant killedAt = Instant.now();

        JobExecutionContext recovery = onB.context.get(40, TimeUnit.SECONDS);

        ReplicationReport report = (ReplicationReport) recovery.getResult();
        Map<String, List<Backup>> live = liveCopies(model);
        System.out.printf("%s engine recovery: copyCallsByA=%d copiesByA=%d recoveredOnB=%s after %d ms: copied=%d"
                        + " inProgress=%d alreadyPresent=%d; live copies per (backup, region)=%s%n", engine,
                copyCallsA.get(), copiesByA, recovery.isRecovering(),
                Duration.between(killedAt, Instant.now()).toMillis(), report.copied(),
                report.count(CopyAction.IN_PROGRESS), report.count(CopyAction.ALREADY_PRESENT),
                live.values().stream().map(List::size).toList());

        assertTrue(recovery.isRecovering(), "node B ran the dead node's firing as a recovery");
        assertNull(onB.exception, () -> "recovered run failed: " + onB.exception);
        assertFalse(onA.context.isDone(), "node A's run never finished");
        assertEquals(RunStatus.SUCCESS, report.status(), report.describe());
        assertTrue(copiesByA >= 1 && copiesByA < sourceBackups.size() * DESTINATIONS.size(),
                "node A died part-way: " + copiesByA + " copies");
        assertEquals(sourceBackups.size() * DESTINATIONS.size() - copiesByA, report.copied(),
                "node B copied only what node A had not: " + report.describe());
        assertEquals(sourceBackups.size() * DESTINATIONS.size(), live.size(), "every pair has a copy");
        live.forEach((pair, copies) -> assertEquals(1, copies.size(), "one live copy of " + pair + ": " + copies));
    }

    private static BackupReplicator replicator(BackupStore store, MutableClock clock) {
        return BackupReplicator.builder()
                .name("dr")
                .sourceRegion(SOURCE)
                .destinationRegions(DESTINATIONS)
                .backupStore(store)
                .maxConcurrentDestinations(1)
                .clock(clock)
                .sleeper(clock::advance)
                .build();
    }

    /** Live copies in the destinations, by (source backup, destination region). */
    private static Map<String, List<Backup>> liveCopies(CloudHsmModel model) {
        Map<String, List<Backup>> live = new TreeMap<>();
        for (String region : DESTINATIONS) {
            for (Backup b : model.backupsIn(region)) {
                if (b.sourceBackup() != null && b.state().isLive()) {
                    live.computeIfAbsent(b.sourceBackup() + " -> " + region, k -> new ArrayList<>()).add(b);
                }
            }
        }
        return live;
    }
}
