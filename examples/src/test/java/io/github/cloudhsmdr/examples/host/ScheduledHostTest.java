package io.github.cloudhsmdr.examples.host;

import io.github.cloudhsmdr.RunStatus;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.examples.support.ConfigurationException;
import io.github.cloudhsmdr.examples.support.DemoEmulator;
import io.github.cloudhsmdr.examples.support.RunRecorder;
import io.github.cloudhsmdr.examples.support.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduledHostTest {
    private final DemoEmulator demo = DemoEmulator.onSystemClock();

    @AfterEach
    void stop() {
        demo.close();
    }

    private String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("--source-region", "us-east-1", "--destination-regions",
                "us-west-2,eu-west-1", "--latest", "--name", "host-test", "--endpoint", demo.endpoint()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private ScheduledHost start(RunRecorder recorder, String... more) {
        return ScheduledHost.start(ScheduledHost.OPTIONS.parse(args(more)), Clock.systemUTC(), Sleeper.SYSTEM,
                List.of(recorder));
    }

    @Test
    void firstRunStartsAtOnceAndCloseStopsTheSchedule() throws Exception {
        RunRecorder recorder = RunRecorder.recording();
        ScheduledHost host = start(recorder, "--every", "60m", "--jitter", "0");
        try {
            assertTrue(recorder.awaitFinished(), "no run finished");
            assertEquals(RunStatus.SUCCESS, recorder.reports().get(0).status());
            assertEquals(2, demo.copiesIn("us-west-2").size());
            assertEquals(2, demo.copiesIn("eu-west-1").size());
            assertTrue(host.isRunning());
        } finally {
            host.close();
        }
        assertFalse(host.isRunning());
        assertEquals(1, host.task().completedRuns());
        assertEquals(1, recorder.reports().size());
    }

    @Test
    void servesPrometheusMetricsAndHealthOnTheMonitoringPortAfterEachRun() throws Exception {
        RunRecorder recorder = RunRecorder.recording();
        ScheduledHost host = start(recorder, "--every", "60m", "--jitter", "0", "--monitoring-port", "0");
        InetSocketAddress address = host.monitoring().address().orElseThrow();
        try {
            assertTrue(recorder.awaitMeasured(), "recovery points were not measured after the run");

            HttpResponse<String> metrics = Scrape.get(address, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String ours = Scrape.cloudHsmDrLines(metrics.body());
            assertTrue(ours.contains("cloudhsm_dr_runs_total{replicator=\"host-test\",status=\"SUCCESS\"} 1.0"), ours);
            assertTrue(ours.contains("outcome=\"COPIED\",region=\"us-west-2\",replicator=\"host-test\"} 1.0"), ours);
            // the emulator runs on the real clock: copies stay CREATE_IN_PROGRESS for 10 minutes, so MISSING (3)
            assertTrue(ours.contains("cloudhsm_dr_recovery_point_worst_status{replicator=\"host-test\"} 3.0"), ours);
            assertTrue(metrics.body().contains("process_start_time_seconds"), "uptime meters for the alert rules");

            HttpResponse<String> health = Scrape.get(address, "/health");
            assertEquals(503, health.statusCode(), health.body());
            String body = health.body().replaceAll("\\s", "");
            assertTrue(body.startsWith("{\"status\":\"DOWN\",\"replicator\":\"host-test\""), health.body());
            assertTrue(body.contains("\"worst\":\"MISSING\""), health.body());
            assertEquals(404, Scrape.get(address, "/metrics/x").statusCode());
        } finally {
            host.close();
        }
        assertThrows(java.io.IOException.class, () -> Scrape.get(address, "/health"), "closed with the host");
    }

    @Test
    void aMonitoringPortThatIsNoPortIsAUsageErrorNamingTheOption() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> start(RunRecorder.recording(), "--monitoring-port", "70000"));
        assertTrue(e.getMessage().contains("--monitoring-port"), e.getMessage());
        assertTrue(e.getMessage().contains("0 to 65535"), e.getMessage());
    }

    @Test
    void closeLetsARunningRunFinishFirst() throws Exception {
        RunRecorder recorder = RunRecorder.holdingAfterPlan();
        ScheduledHost host = start(recorder, "--jitter", "0");
        assertTrue(recorder.awaitPlanned(), "no run started");

        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            host.close();
            recorder.event("closed");
            closed.countDown();
        });
        closer.start();
        awaitStopped(host);   // close() has begun: the schedule is stopped, the run is still held
        assertEquals(1, closed.getCount(), "close returned while a run was in progress");
        recorder.release();

        assertTrue(closed.await(20, TimeUnit.SECONDS), "close did not return");
        assertEquals(List.of("run finished SUCCESS", "closed"), recorder.events());
        assertEquals(2, demo.copiesIn("us-west-2").size());
    }

    @Test
    void badScheduleOptionsAreNamed() {
        assertOptionError("--every: '0' is zero", "--every", "0");
        assertOptionError("--jitter: 'lots' is not a duration", "--jitter", "lots");
        assertOptionError("--cron: is not an option of ScheduledHost", "--cron", "0 0 * * * ?");
        assertOptionError("--look-back: --latest and --look-back 3d contradict each other", "--look-back", "3d");
    }

    @Test
    void launchExitsWith64AndNamesTheBadOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ScheduledHost.launch(new String[] {"--source-region", "us-east-1", "--every", "1x"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(64, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ScheduledHost: --destination-regions: is required"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheScheduleAndReplicatorOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ScheduledHost.launch(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Usage: ScheduledHost [OPTIONS]"), text);
        assertTrue(text.contains("--every=DURATION") && text.contains("--destination-regions=R1,R2"), text);
    }

    /** The real thing: a separate JVM, stopped with SIGTERM after its first run. */
    @Test
    void sigtermStopsTheProcessAfterTheRunningRunAndClosesEverything() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ScheduledHost.class.getName()));
        command.addAll(List.of(args("--every", "60m", "--jitter", "0")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        CountDownLatch runFinished = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.contains("Replication run finished")) {
                        runFinished.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (output) {
                    output.add("reading failed: " + e);
                }
            }
        });
        reader.start();
        try {
            assertTrue(runFinished.await(60, TimeUnit.SECONDS), () -> "no run finished: " + snapshot(output));
            assertTrue(process.isAlive(), "the host should keep running between runs");

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

            assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> "did not stop: " + snapshot(output));
            reader.join(5_000);
            assertEquals(143, process.exitValue(), () -> snapshot(output));
            String text = snapshot(output);
            assertTrue(text.contains("ScheduledHost stopped after 1 runs"), text);
            assertTrue(text.contains("status=SUCCESS"), text);
            assertEquals(2, demo.copiesIn("us-west-2").size());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits, without sleeping, until close() has stopped the schedule. */
    private static void awaitStopped(ScheduledHost host) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (host.isRunning()) {
            assertTrue(System.nanoTime() < deadline, "close() did not stop the schedule");
            Thread.yield();
        }
    }

    private static String snapshot(List<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private void assertOptionError(String expected, String... more) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> start(RunRecorder.recording(), more));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: " + e.getMessage());
    }
}
