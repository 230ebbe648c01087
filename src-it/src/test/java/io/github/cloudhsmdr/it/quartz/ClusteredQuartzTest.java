package io.github.cloudhsmdr.it.quartz;

import io.github.cloudhsmdr.quartz.ReplicationJob;
import io.github.cloudhsmdr.runlock.jdbc.DatabaseEngine;
import io.github.cloudhsmdr.runlock.jdbc.TestDatabase;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import io.github.cloudhsmdr.scheduling.RunOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quartz clustered on a real database, on each database of the matrix (H2 in server mode, PostgreSQL, MariaDB;
 * one not reachable is skipped, see {@code TestDatabase}): three scheduler nodes, each in its own JVM, share a
 * JobStoreTX in a schema created for the run, with Quartz's DDL and driver delegate for that database. The test
 * JVM holds a scheduler that is never started, used only to define jobs and triggers (through
 * {@link ReplicationScheduling}, so the adapter's definitions are the ones stored as strings in the database).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(DatabaseEngine.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredQuartzTest {
    private static final int NODES = 3;
    private static final String SLOW_JOB = "cloudhsm-dr.slow";
    /** Firings per steady replicator. */
    private static final int STEADY_FIRINGS = 12;

    @Parameter
    DatabaseEngine engine;

    private EventLog events;
    private List<NodeProcess> nodes;
    private QuartzDatabase db;
    private Scheduler client;
    /** Why the database of this invocation is not usable; each test is reported skipped with it. */
    private TestAbortedException unavailable;

    /** A node JVM and where its log goes. */
    private record NodeProcess(String id, Process process, Path log) {
    }

    @BeforeParameterizedClassInvocation
    void startCluster() throws Exception {
        events = new EventLog();
        nodes = new ArrayList<>();
        client = null;
        unavailable = null;
        try {
            db = QuartzDatabase.create(engine, "cluster");
        } catch (TestAbortedException e) {
            unavailable = e;
            return;
        }
        client = new StdSchedulerFactory(db.nodeProperties("test-client", 1)).getScheduler();
        Path logs = Files.createDirectories(Path.of("target", "quartz-cluster", engine.key()));
        for (int i = 1; i <= NODES; i++) {
            nodes.add(launch("node-" + i, logs));
        }
        events.await(e -> e.type().equals("READY"), NODES, Duration.ofSeconds(30));
    }

    private NodeProcess launch(String id, Path logs) throws IOException {
        Path log = logs.resolve(id + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName()));
        command.addAll(db.arguments());
        command.add(id);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
        Process process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("EVENT ")) {
                        events.add(line.substring("EVENT ".length()));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "events-" + id);
        reader.setDaemon(true);
        reader.start();
        return new NodeProcess(id, process, log);
    }

    @BeforeEach
    void skipWithoutDatabase() {
        TestDatabase.skipIfUnavailable(unavailable);
    }

    @AfterParameterizedClassInvocation
    void stopCluster() throws Exception {
        for (NodeProcess n : nodes) {
            if (n.process().isAlive()) {
                n.process().getOutputStream().close(); // the node shuts down gracefully
            }
        }
        for (NodeProcess n : nodes) {
            if (!n.process().waitFor(15, TimeUnit.SECONDS)) {
                n.process().destroyForcibly();
            }
        }
        if (client != null) {
            client.shutdown();
        }
        if (db != null) {
            db.close();
        }
        client = null;
        db = null;
    }

    /** One row of IT_RUNS. */
    private record Run(String fireKey, String node, boolean recovering, long started, Long finished, String outcome) {
    }

    private List<Run> runs(String job) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT FIRE_KEY, NODE, RECOVERING, STARTED_MICROS, FINISHED_MICROS, OUTCOME FROM IT_RUNS"
                        + " WHERE JOB = ? ORDER BY STARTED_MICROS")) {
            s.setString(1, job);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long finishedMicros = rs.getLong(5);
                    Long finished = rs.wasNull() ? null : finishedMicros;
                    runs.add(new Run(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), finished,
                            rs.getString(6)));
                }
            }
        }
        return runs;
    }

    /** Counts pairs of runs (sorted by start) where one starts before the previous one ended. */
    private static int overlaps(List<Run> runs) {
        int overlaps = 0;
        long lastEnd = Long.MIN_VALUE;
        Run last = null;
        for (Run r : runs) {
            if (r.started() < lastEnd) {
                overlaps++;
                System.out.println("OVERLAP: " + last + " and " + r);
            }
            last = r;
            long end = r.finished() == null ? Long.MAX_VALUE : r.finished();
            lastEnd = Math.max(lastEnd, end);
        }
        return overlaps;
    }

    @Test
    @Order(0)
    void schedulingOnTheJdbcStoreIsIdempotentAndSwitchesTriggerKindsInPlace() throws Exception {
        Date farAway = Date.from(Instant.parse("2099-01-01T00:00:00Z"));
        SimpleTrigger daily = TriggerBuilder.newTrigger()
                .withIdentity(ReplicationScheduling.triggerKey("idle"))
                .forJob(ReplicationScheduling.jobKey("idle"))
                .startAt(farAway)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInHours(24).repeatForever())
                .build();
        ReplicationScheduling.schedule(client, ReplicationScheduling.jobDetail("idle"), daily);

        Instant next = ReplicationScheduling.scheduleCron(client, "idle", "0 0 3 1 1 ? 2099", ZoneOffset.UTC)
                .orElseThrow();
        Trigger cron = client.getTrigger(ReplicationScheduling.triggerKey("idle"));
        Instant again = ReplicationScheduling.scheduleCron(client, "idle", "0 0 3 1 1 ? 2099", ZoneOffset.UTC)
                .orElseThrow();

        assertInstanceOf(CronTrigger.class, cron);
        assertEquals(Instant.parse("2099-01-01T03:00:00Z"), next);
        assertEquals(next, again);
        assertEquals(cron.getStartTime(), client.getTrigger(ReplicationScheduling.triggerKey("idle")).getStartTime(),
                "an identical schedule is left untouched");
        assertEquals(1, client.getTriggersOfJob(ReplicationScheduling.jobKey("idle")).size());
        assertEquals("idle", client.getJobDetail(ReplicationScheduling.jobKey("idle")).getJobDataMap()
                .getString(ReplicationJob.REPLICATOR_NAME_KEY));
        assertTrue(ReplicationScheduling.unschedule(client, "idle"));
    }

    @Test
    @Order(1)
    void everyFiringRunsExactlyOnceAndNeverConcurrentlyAcrossTheNodes() throws Exception {
        int firings = STEADY_FIRINGS;
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= ClusterNode.STEADY_REPLICATORS; i++) {
            String name = "steady-" + i;
            jobs.add(ReplicationScheduling.jobKey(name).toString());
            SimpleTrigger every150ms = TriggerBuilder.newTrigger()
                    .withIdentity(ReplicationScheduling.triggerKey(name))
                    .forJob(ReplicationScheduling.jobKey(name))
                    .startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(150)
                            .withRepeatCount(firings - 1).withMisfireHandlingInstructionNowWithExistingCount())
                    .build();
            ReplicationScheduling.schedule(client, ReplicationScheduling.jobDetail(name), every150ms);
        }

        events.await(e -> e.type().equals("FINISHED") && jobs.contains(e.word(1)), firings * jobs.size(),
                Duration.ofSeconds(40));

        Map<String, Long> perNode = new TreeMap<>();
        for (String job : jobs) {
            List<Run> runs = runs(job);
            Map<String, Long> perFiring = runs.stream()
                    .collect(Collectors.groupingBy(Run::fireKey, Collectors.counting()));
            runs.forEach(r -> perNode.merge(r.node(), 1L, Long::sum));
            int overlaps = overlaps(runs);
            System.out.printf("%s %s: firings=%d executions=%d maxExecutionsPerFiring=%d overlaps=%d perNode=%s%n", engine, job,
                    perFiring.size(), runs.size(), perFiring.values().stream().mapToLong(Long::longValue).max()
                            .orElse(0), overlaps,
                    runs.stream().collect(Collectors.groupingBy(Run::node, TreeMap::new, Collectors.counting())));

            assertEquals(firings, perFiring.size(), job + ": every firing ran");
            assertEquals(firings, runs.size(), job + ": no firing ran twice: " + perFiring);
            assertEquals(0, overlaps, job + ": runs never overlap, on any node");
            assertTrue(runs.stream().allMatch(r -> r.finished() != null && "OK".equals(r.outcome())),
                    job + ": every run finished with a report, none skipped: " + runs);
            assertTrue(runs.stream().noneMatch(Run::recovering));
        }
        System.out.println(engine + ": executions per node over all steady replicators: " + perNode);
    }

    @Test
    @Order(2)
    void aBurstOfTriggerNowCallsStartsOneRunAtATime() throws Exception {
        String job = ReplicationScheduling.jobKey("steady-1").toString();
        int before = runs(job).size();
        int added = 0;
        for (int i = 0; i < 10; i++) {
            if (ReplicationScheduling.triggerNow(client, "steady-1")) {
                added++;
            }
        }

        events.await(e -> e.is("FINISHED", job), before + added, Duration.ofSeconds(20));

        List<Run> runs = runs(job);
        System.out.printf("%s: burst of 10 triggerNow calls: firings added=%d, executions=%d, overlaps=%d%n",
                engine, added,
                runs.size() - before, overlaps(runs));
        assertTrue(added >= 1 && added < 10, "the pending firing absorbed the repeated calls: " + added);
        assertEquals(before + added, runs.size());
        assertEquals(0, overlaps(runs));
    }

    /** The replicator's own runs (IT_REPLICATIONS), as {@link Run}s for {@link #overlaps}. */
    private List<Run> replications(String replicator) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT NODE, STARTED_MICROS, FINISHED_MICROS FROM IT_REPLICATIONS WHERE REPLICATOR = ?"
                        + " ORDER BY STARTED_MICROS")) {
            s.setString(1, replicator);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long finishedMicros = rs.getLong(3);
                    Long finished = rs.wasNull() ? null : finishedMicros;
                    runs.add(new Run(replicator, rs.getString(1), false, rs.getLong(2), finished, "RAN"));
                }
            }
        }
        return runs;
    }

    /** Sends a command line to every node (see {@link ClusterNode}). */
    private void command(String line) throws IOException {
        for (NodeProcess n : nodes) {
            var in = n.process().getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    /**
     * The burst that made two runs of one replicator overlap on two nodes in Quartz 2.5.2 (several triggers of
     * one job due together: a BLOCKED trigger released as WAITING, quartz-scheduler/quartz#674). In rounds,
     * each started while the job is idle: {@code triggerNow}, then {@code triggerJob} calls, made on all three
     * nodes at once so that each wakes its own scheduler thread; in one round, also a trigger every 150 ms and
     * one-off firings staggered over the same seconds from the client. With the JdbcRunLock the Quartz
     * executions still overlap, but the replicator's runs never do: the later execution is skipped by the lock
     * (the printed quartzOverlaps and skippedByLock say how often the burst provoked it).
     */
    @Test
    @Order(3)
    void aBurstOfTriggersOnThreeNodesNeverRunsTheReplicatorTwiceAtOnceWithTheRunLock() throws Exception {
        String name = ClusterNode.LOCKED;
        JobKey key = ReplicationScheduling.jobKey(name);
        String job = key.toString();
        int rounds = 4;
        int perNodeAndRound = 3;
        int scheduled = 10;
        int staggered = 10;
        Instant start = Instant.now();
        client.addJob(ReplicationScheduling.jobDetail(name), true);
        int firings = 0;
        for (int round = 1; round <= rounds; round++) {
            // the first round asks triggerNow (a firing unless one is pending), the others triggerJob, which
            // bypasses triggerNow's check on purpose: every call adds a trigger
            command((round == 1 ? "TRIGGER_NOW " : "TRIGGER ") + name + " " + perNodeAndRound);
            if (round == 2) {
                Instant now = Instant.now();
                ReplicationScheduling.schedule(client, ReplicationScheduling.jobDetail(name), TriggerBuilder
                        .newTrigger()
                        .withIdentity(ReplicationScheduling.triggerKey(name))
                        .forJob(key)
                        .startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(150)
                                .withRepeatCount(scheduled - 1).withMisfireHandlingInstructionNowWithExistingCount())
                        .build());
                for (int i = 1; i <= staggered; i++) {
                    client.scheduleJob(TriggerBuilder.newTrigger().forJob(key)
                            .startAt(Date.from(now.plusMillis(100L * i))).build());
                }
                firings += scheduled + staggered;
            }
            List<EventLog.Event> triggered = events.await(e -> e.type().equals("TRIGGERED"), round * NODES,
                    Duration.ofSeconds(20));
            int added = triggered.subList((round - 1) * NODES, round * NODES).stream()
                    .mapToInt(e -> Integer.parseInt(e.word(3))).sum();
            firings += added;
            events.await(e -> e.is("FINISHED", job), firings, Duration.ofSeconds(30)); // idle again
        }

        List<Run> executions = runs(job);
        List<Run> replications = replications(name);
        long distinctFirings = executions.stream().map(Run::fireKey).distinct().count();
        long duplicates = executions.size() - distinctFirings;
        Map<String, Long> executionsPerNode = executions.stream()
                .collect(Collectors.groupingBy(Run::node, TreeMap::new, Collectors.counting()));
        Map<String, Long> runsPerNode = replications.stream()
                .collect(Collectors.groupingBy(Run::node, TreeMap::new, Collectors.counting()));
        long skippedByLock = executions.stream()
                .filter(r -> ("SKIPPED " + RunOutcome.SkipReason.RUN_LOCK_HELD_ELSEWHERE).equals(r.outcome())).count();
        long skippedInProcess = executions.stream()
                .filter(r -> ("SKIPPED " + RunOutcome.SkipReason.IN_PROGRESS_IN_THIS_PROCESS).equals(r.outcome()))
                .count();
        System.out.println(engine + " burst: Quartz executions running at the same time (the #674 overlap):");
        int quartzOverlaps = overlaps(executions);
        int overlaps = overlaps(replications);
        System.out.printf("%s burst with JdbcRunLock: firings=%d executions=%d executionsPerNode=%s "
                        + "quartzOverlaps=%d skippedByLock=%d skippedInProcess=%d replicatorRuns=%d runsPerNode=%s "
                        + "overlaps=%d duplicates=%d in %d ms%n", engine, distinctFirings, executions.size(),
                executionsPerNode, quartzOverlaps, skippedByLock, skippedInProcess, replications.size(), runsPerNode,
                overlaps, duplicates, Duration.between(start, Instant.now()).toMillis());

        assertEquals(firings, distinctFirings, "every firing executed");
        assertEquals(0, duplicates, "no firing executed twice");
        assertEquals(0, overlaps, "the replicator never ran twice at once, on any nodes: " + replications);
        assertTrue(executions.stream().allMatch(r -> r.finished() != null
                        && (r.outcome().equals("OK") || r.outcome().startsWith("SKIPPED "))),
                "every execution ran or was skipped, none failed: " + executions);
        assertEquals(executions.size() - skippedByLock - skippedInProcess, replications.size(),
                "every execution not skipped ran the replicator once");
        assertTrue(replications.stream().allMatch(r -> r.finished() != null));
    }

    @Test
    @Order(4)
    void aRunOnAKilledNodeIsRecoveredByAnotherNode() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO IT_FLAGS VALUES ('" + ClusterNode.BLOCK_FLAG + "', FALSE)");
        }
        ReplicationScheduling.triggerNow(client, "slow");

        EventLog.Event blocking = events.await(e -> e.type().equals("BLOCKING"), 1, Duration.ofSeconds(20)).get(0);
        String victimId = blocking.word(1);
        assertFalse(ReplicationScheduling.triggerNow(client, "slow"), "a run is in progress on " + victimId);
        NodeProcess victim = nodes.stream().filter(n -> n.id().equals(victimId)).findFirst().orElseThrow();
        victim.process().destroyForcibly();
        assertTrue(victim.process().waitFor(10, TimeUnit.SECONDS));
        long killedAt = ExecutionRecorder.micros(Instant.now());

        EventLog.Event recovered = events.await(e -> e.is("FINISHED", SLOW_JOB), 1, Duration.ofSeconds(40)).get(0);

        List<Run> runs = runs(SLOW_JOB);
        System.out.printf("%s slow: killed=%s recoveredOn=%s recoveredAfter=%d ms executions=%s%n", engine, victimId,
                recovered.word(3), (runs.get(runs.size() - 1).started() - killedAt) / 1000, runs);
        assertEquals(2, runs.size(), "the killed run and its recovery: " + runs);
        Run killed = runs.get(0);
        Run recovery = runs.get(1);
        assertEquals(victimId, killed.node());
        assertNull(killed.finished(), "the killed run never finished");
        assertNotEquals(victimId, recovery.node());
        assertTrue(recovery.recovering(), "context.isRecovering() on the recovery");
        assertEquals(killed.fireKey(), recovery.fireKey(), "the recovery runs the same firing");
        assertTrue(recovery.started() > killedAt, "the recovery started after the node died");
        assertEquals("OK", recovery.outcome());
        assertEquals(0, overlaps(List.of(recovery)));
        assertEquals(STEADY_FIRINGS, runs("cloudhsm-dr.steady-2").size(), "no late duplicate of a steady firing");
    }
}
