package io.github.cloudhsmdr.examples.support;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads a host's monitoring endpoints over real HTTP, as Prometheus or a load balancer would. */
public final class Scrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrape() {
    }

    /** GETs {@code path} from {@code address}. */
    public static HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the lines of Prometheus text that belong to cloudhsm-dr's meters. */
    public static String cloudHsmDrLines(String prometheusText) {
        return Arrays.stream(prometheusText.split("\n")).filter(l -> l.startsWith("cloudhsm_dr_"))
                .collect(Collectors.joining("\n"));
    }
}
