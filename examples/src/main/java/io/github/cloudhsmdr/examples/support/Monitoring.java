package io.github.cloudhsmdr.examples.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.micrometer.RecoveryPointHealth;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a long-running host shows its operators: the replicator's Micrometer meters in Prometheus text on
 * {@code /metrics} and its health on {@code /health}, served by the JDK's HTTP server on 127.0.0.1 only (put a
 * scraping agent or a reverse proxy next to it; nothing here is meant for the open network).
 *
 * <p>{@code /health} answers 200 with {@code "status":"UP"} when the worst recovery point is OK or WARN, 503 with
 * {@code "DOWN"} when it is CRITICAL, MISSING or UNKNOWN, and 200 with {@code "UNKNOWN"} before the first
 * measurement (the hosts measure right after every run), like Spring Boot's health endpoint.
 *
 * <p>Thread-safe.
 */
public final class Monitoring implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The option that turns the endpoints on. */
    public static final HostOptions.Option PORT = new HostOptions.Option("monitoring-port", "PORT",
            "serve /metrics (Prometheus) and /health on 127.0.0.1:PORT; 0 picks a free port (default: off)");

    private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ReplicationMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private Monitoring(ReplicationMetrics metrics, PrometheusMeterRegistry registry, HttpServer server) {
        this.metrics = metrics;
        this.registry = registry;
        this.server = server;
    }

    /**
     * Starts the endpoints when {@code --monitoring-port} is given; otherwise the meters are still recorded.
     *
     * @param settings       the host's options
     * @param replicatorName the replicator's name
     * @return the running endpoints; close them with the host
     * @throws ConfigurationException when the port is not a port number or cannot be bound
     */
    public static Monitoring start(Settings settings, String replicatorName) {
        ReplicationMetrics metrics = ReplicationMetrics.of(replicatorName);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Optional<String> port = settings.optional(PORT.key());
        if (port.isEmpty()) {
            return new Monitoring(metrics, registry, null);
        }
        int number;
        try {
            number = Integer.parseInt(port.get());
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 0 || number > 65535) {
            throw settings.invalid(PORT.key(), "'" + port.get() + "' is not a port: use 0 to 65535 (0: any free port)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), number), 0);
        } catch (IOException e) {
            throw new ConfigurationException(settings.nameOf(PORT.key()), "cannot listen on 127.0.0.1:" + number
                    + ": " + e.getMessage(), e);
        }
        Monitoring monitoring = new Monitoring(metrics, registry, server);
        server.createContext("/metrics", exchange -> monitoring.serve(exchange, "/metrics"));
        server.createContext("/health", exchange -> monitoring.serve(exchange, "/health"));
        server.start();
        LOG.info("replicator={} serves /metrics and /health on http://127.0.0.1:{}", replicatorName,
                server.getAddress().getPort());
        return monitoring;
    }

    /**
     * @param listeners the host's other listeners
     * @return the listener that records the meters and keeps the latest state, then them, for the replicator: the
     *         meters and {@code /health} are up to date by the time any other listener hears of a run or a
     *         measurement
     */
    public List<ReplicationListener> and(List<ReplicationListener> listeners) {
        List<ReplicationListener> all = new ArrayList<>();
        all.add(metrics);
        all.addAll(listeners);
        return all;
    }

    /** @return where the endpoints listen, if they were turned on. */
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(server).map(HttpServer::getAddress);
    }

    private void serve(HttpExchange exchange, String path) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found: " + exchange.getRequestURI().getPath());
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "use GET");
            } else if (path.equals("/metrics")) {
                respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            } else {
                Map<String, Object> health = new LinkedHashMap<>();
                Optional<RecoveryPointReport> points = metrics.lastRecoveryPoints();
                boolean down = points.map(RecoveryPointHealth::isDown).orElse(false);
                health.put("status", points.isEmpty() ? "UNKNOWN" : down ? "DOWN" : "UP");
                health.put("replicator", metrics.replicatorName());
                metrics.lastReport().ifPresent(r -> health.put("lastRun", r.status() + " at " + r.finishedAt()));
                points.ifPresentOrElse(p -> health.put("recoveryPoints", RecoveryPointHealth.details(p)),
                        () -> health.put("recoveryPoints", "not measured yet"));
                respond(exchange, down ? 503 : 200, "application/json", JSON.writeValueAsString(health));
            }
        } catch (UncheckedIOException e) {
            LOG.debug("monitoring request {} failed: {}", path, e.toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops the endpoints (at once: they serve snapshots only). Idempotent. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }

    @Override
    public String toString() {
        return "Monitoring[replicator=" + metrics.replicatorName() + ", address=" + address().orElse(null) + "]";
    }
}
