package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostOptionsTest {

    @Test
    void theHostsTakeEveryReplicatorSetting() {
        Set<String> options = HostOptions.REPLICATOR.stream().map(HostOptions.Option::key)
                .collect(Collectors.toSet());
        List<String> missing = ReplicatorSettings.ALL.stream().map(Setting::key).filter(k -> !options.contains(k))
                .toList();
        assertEquals(List.of(), missing, "settings the hosts do not take as options");
    }
}
