package io.github.cloudhsmdr.examples.quartz;

import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.examples.support.ConfigurationException;
import io.github.cloudhsmdr.examples.support.DemoEmulator;
import io.github.cloudhsmdr.examples.support.RunRecorder;
import io.github.cloudhsmdr.examples.support.Scrape;
import io.github.cloudhsmdr.quartz.ReplicationScheduling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Trigger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuartzHostTest {
    private final DemoEmulator demo = DemoEmulator.onSystemClock();

    @AfterEach
    void stop() {
        demo.close();
    }

    private QuartzHost start(RunRecorder recorder, String... more) {
        List<String> a = new ArrayList<>(List.of("--source-region", "us-east-1", "--destination-regions",
                "us-west-2,eu-west-1", "--latest", "--name", "quartz-test", "--endpoint", demo.endpoint()));
        a.addAll(List.of(more));
        return QuartzHost.start(QuartzHost.OPTIONS.parse(a.toArray(String[]::new)), Clock.systemUTC(), Sleeper.SYSTEM,
                List.of(recorder));
    }

    @Test
    void servesPrometheusMetricsAndHealthOnTheMonitoringPortAfterEachFiring() throws Exception {
        RunRecorder recorder = RunRecorder.recording();
        QuartzHost host = start(recorder, "--run-now", "--monitoring-port", "0");
        try {
            InetSocketAddress address = host.monitoring().address().orElseThrow();
            assertTrue(recorder.awaitMeasured(), "the firing did not measure recovery points");

            String ours = Scrape.cloudHsmDrLines(Scrape.get(address, "/metrics").body());
            assertTrue(ours.contains("cloudhsm_dr_runs_total{replicator=\"quartz-test\",status=\"SUCCESS\"} 1.0"),
                    ours);
            assertTrue(ours.contains("cloudhsm_dr_recovery_point_status{cluster="), ours);
            HttpResponse<String> health = Scrape.get(address, "/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().replaceAll("\\s", "").startsWith("{\"status\":\"DOWN\""), health.body());
        } finally {
            host.close();
        }
    }

    @Test
    void runsOnceAtStartAndThenEveryHourOnTheHourByDefault() throws Exception {
        RunRecorder recorder = RunRecorder.recording();
        Instant before = Instant.now();
        QuartzHost host = start(recorder, "--run-now");
        try {
            assertTrue(recorder.awaitFinished(), "the run-now firing did not finish");
            assertEquals(RunStatus.SUCCESS, recorder.reports().get(0).status());
            assertEquals(2, demo.copiesIn("us-west-2").size());
            assertEquals(2, demo.copiesIn("eu-west-1").size());

            Instant next = host.nextRun().orElseThrow();
            ZonedDateTime nextUtc = next.atZone(ZoneId.of("UTC"));
            assertEquals(0, nextUtc.getMinute());
            assertEquals(0, nextUtc.getSecond());
            assertTrue(next.isAfter(before) && !next.isAfter(before.plus(Duration.ofHours(1))), next.toString());
            Trigger trigger = host.scheduler().getTrigger(ReplicationScheduling.triggerKey("quartz-test"));
            assertEquals("0 0 * * * ?", ((CronTrigger) trigger).getCronExpression());
            assertTrue(host.isRunning());
        } finally {
            host.close();
        }
        assertFalse(host.isRunning());
        assertTrue(host.scheduler().isShutdown());
    }

    @Test
    void cronRunsInTheGivenTimeZone() throws Exception {
        QuartzHost host = start(RunRecorder.recording(), "--cron", "0 30 2 * * ?", "--time-zone", "Europe/Berlin");
        try {
            ZonedDateTime next = host.nextRun().orElseThrow().atZone(ZoneId.of("Europe/Berlin"));
            assertEquals(2, next.getHour());
            assertEquals(30, next.getMinute());
            assertEquals(0, demo.copiesIn("us-west-2").size(), "nothing runs before the first firing");
        } finally {
            host.close();
        }
    }

    @Test
    void closeLetsARunningReplicationFinishFirst() throws Exception {
        RunRecorder recorder = RunRecorder.holdingAfterPlan();
        QuartzHost host = start(recorder, "--run-now", "--cron", "0 0 0 1 1 ? 2099");   // only the run-now firing
        assertTrue(recorder.awaitPlanned(), "no run started");

        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            host.close();
            recorder.event("closed");
            closed.countDown();
        });
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (host.scheduler().isStarted() && !host.scheduler().isInStandbyMode()) {   // close() has begun
            assertTrue(System.nanoTime() < deadline, "close() did not put the scheduler in standby");
            Thread.yield();
        }
        assertEquals(1, closed.getCount(), "close returned while a run was in progress");
        recorder.release();

        assertTrue(closed.await(20, TimeUnit.SECONDS), "close did not return");
        assertEquals(List.of("run finished SUCCESS", "closed"), recorder.events());
        assertTrue(host.scheduler().isShutdown());
    }

    @Test
    void badCronNamesTheOptionAndTheExpression() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> start(RunRecorder.recording(), "--cron", "every hour"));
        assertTrue(e.getMessage().startsWith("--cron: cronExpression 'every hour' for replicator 'quartz-test' is not a "
                + "valid Quartz cron expression"), e.getMessage());
    }

    @Test
    void badTimeZoneIsNamed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> start(RunRecorder.recording(), "--time-zone", "Mars/Olympus"));
        assertTrue(e.getMessage().startsWith("--time-zone: 'Mars/Olympus' is not a time zone"), e.getMessage());
    }

    @Test
    void launchExitsWith64AndNamesTheBadOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = QuartzHost.launch(new String[] {"--source-region", "us-east-1", "--destination-regions",
                "us-west-2", "--every", "1h"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(64, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("QuartzHost: --every: is not an option of QuartzHost"),
                err.toString(StandardCharsets.UTF_8));
    }
}
