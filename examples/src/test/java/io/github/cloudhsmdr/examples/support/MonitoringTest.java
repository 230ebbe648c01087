package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.ReplicationListener;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class MonitoringTest {

    @Test
    void theMetersHearOfARunOrAMeasurementBeforeTheHostsOtherListeners() {
        // listeners are called in order: a listener that reacts to a measurement (a test that then scrapes
        // /metrics, an alert hook) finds the meters and /health already up to date
        ReplicationListener other = new ReplicationListener() { };
        try (Monitoring monitoring = Monitoring.start(Settings.ofOptions(Map.of()), "t")) {
            List<ReplicationListener> all = monitoring.and(List.of(other));
            assertEquals(2, all.size());
            assertSame(other, all.get(1), "the host's listener comes after the meters");
        }
    }
}
