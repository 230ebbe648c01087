package io.github.cloudhsmdr.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot application on a random port whose only cloudhsm-dr configuration is properties: it replicates on
 * its interval schedule through the real AWS SDK to the CloudHSM emulator, and its health and Prometheus
 * endpoints are read over HTTP. The replicator runs on the emulator's virtual clock; the test waits for the first
 * measured run on a latch (bounded), never for a fixed time.
 */
@SpringBootTest(classes = ScheduledReplicationOverHttpTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "cloudhsm-dr.replicators.prod-dr.source-region=us-east-1",
                "cloudhsm-dr.replicators.prod-dr.destination-regions=us-west-2,eu-west-1",
                "cloudhsm-dr.replicators.prod-dr.schedule.interval=500ms",
                "cloudhsm-dr.replicators.prod-dr.retention.keep-last=5",
                "management.endpoints.web.exposure.include=health,prometheus",
                "management.endpoint.health.show-details=always"})
class ScheduledReplicationOverHttpTest {
    static final MutableClock CLOCK = MutableClock.at("2026-11-01T12:00:00Z");
    static final CloudHsmEmulator EMULATOR = CloudHsmEmulator.builder().clock(CLOCK).seed(42)
            .sleeper(CLOCK::advance).start();
    static final String CLUSTER;

    static {
        CloudHsmModel model = EMULATOR.model().copyDelay(Duration.ZERO);
        CLUSTER = model.addCluster("us-east-1").clusterId();
        model.addBackup("us-east-1", CLUSTER, CLOCK.instant().minus(Duration.ofHours(26)));
        model.addBackup("us-east-1", CLUSTER, CLOCK.instant().minus(Duration.ofHours(2)));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        /** The store a user points at the emulator: endpoint override and static credentials. */
        @Bean(destroyMethod = "close")
        BackupStore emulatorStore() {
            return AwsBackupStore.builder().endpointOverride(EMULATOR.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                    .build();
        }

        @Bean
        CloudHsmDrReplicatorCustomizer virtualTime() {
            return (name, builder) -> builder.clock(CLOCK).sleeper(CLOCK::advance);
        }

        @Bean
        Measured measured() {
            return new Measured();
        }
    }

    /** An application listener: counts measurements, which the task makes right after each run. */
    static final class Measured implements ReplicationListener {
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public void onRecoveryPointsMeasured(RecoveryPointReport report) {
            first.countDown();
        }
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Measured measured;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void replicatesOnItsScheduleAndShowsHealthAndMetricsOverHttp() throws Exception {
        assertTrue(measured.first.await(60, TimeUnit.SECONDS), "no scheduled run was measured within 60 s");

        HttpResponse<String> health = get("/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode replicator = new ObjectMapper().readTree(health.body())
                .path("components").path("cloudhsmDr").path("components").path("prod-dr");
        assertEquals("UP", replicator.path("status").asText(), health.body());
        assertEquals("OK", replicator.path("details").path("worst").asText(), health.body());
        assertEquals("OK", replicator.path("details").path("points").path(CLUSTER + " us-west-2").path("status")
                .asText(), health.body());

        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertEquals(200, prometheus.statusCode());
        String ours = Arrays.stream(prometheus.body().split("\n")).filter(l -> l.startsWith("cloudhsm_dr_"))
                .collect(Collectors.joining("\n"));
        System.out.println("--- cloudhsm-dr lines of /actuator/prometheus ---\n" + ours);
        for (String region : new String[] {"us-west-2", "eu-west-1"}) {
            assertTrue(ours.contains("cloudhsm_dr_copies_total{cluster=\"" + CLUSTER + "\",outcome=\"COPIED\",region=\""
                    + region + "\",replicator=\"prod-dr\"} 2.0"), ours);
            assertTrue(ours.contains("cloudhsm_dr_recovery_point_status{cluster=\"" + CLUSTER + "\",region=\""
                    + region + "\",replicator=\"prod-dr\",role=\"destination\"} 0.0"), ours);
        }
        assertTrue(ours.contains("cloudhsm_dr_recovery_point_age_seconds{cluster=\"" + CLUSTER
                + "\",region=\"us-west-2\",replicator=\"prod-dr\",role=\"destination\"} 7200.0"), ours);
        assertTrue(ours.contains("cloudhsm_dr_runs_total{replicator=\"prod-dr\",status=\"SUCCESS\"}"), ours);
        String lastSuccess = "cloudhsm_dr_run_last_success_timestamp_seconds{replicator=\"prod-dr\"} ";
        assertEquals(CLOCK.instant().getEpochSecond(), Double.parseDouble(Arrays.stream(ours.split("\n"))
                .filter(l -> l.startsWith(lastSuccess)).findFirst().orElseThrow().substring(lastSuccess.length())),
                1.0, "runs end at the virtual clock's time");
    }
}
