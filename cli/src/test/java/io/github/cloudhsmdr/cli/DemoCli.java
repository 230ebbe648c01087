package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.testkit.MutableClock;
import io.github.cloudhsmdr.testkit.emulator.CloudHsmEmulator;
import io.github.cloudhsmdr.testkit.emulator.DemoData;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line against a started emulator holding {@link DemoData} in us-east-1 (two clusters, a backup a day
 * for two weeks), on a virtual clock that waits advance. Runs commands through picocli's {@code execute} with
 * captured streams.
 */
final class DemoCli implements AutoCloseable {
    static final String SOURCE = "us-east-1";
    /** The virtual clock's start: the newest demo backups are 23 h and 22 h old. */
    static final String START = "2026-11-28T02:00:00Z";

    final MutableClock clock = MutableClock.at(START);
    final CloudHsmEmulator emulator = CloudHsmEmulator.builder().clock(clock).seed(7L).build();
    final List<Cluster> clusters = DemoData.seed(emulator.model(), SOURCE);
    final Map<String, String> environment = new HashMap<>();
    boolean terminal;

    String out = "";
    String err = "";

    DemoCli() {
        emulator.start();
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CloudHsmDr root = new CloudHsmDr(new Context(clock, clock::advance, environment, terminal));
        int code = CloudHsmDr.execute(root, args, new PrintWriter(o), new PrintWriter(e));
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** Runs and returns the JSON document on stdout, checked against the command's schema. */
    JsonNode runJson(String... args) {
        run(args);
        return Schemas.validated(out);
    }

    String endpoint() {
        return emulator.endpoint().toString();
    }

    String cluster(int i) {
        return clusters.get(i).clusterId();
    }

    /** The replicator options most tests use, then {@code more}. */
    String[] replicator(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--source-region", SOURCE,
                "--destination-regions", "us-west-2,eu-west-1", "--look-back", "7d", "--name", "cli-test",
                "--endpoint-url", endpoint()));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    List<Backup> copiesIn(String region) {
        return emulator.model().backupsIn(region).stream().filter(b -> b.sourceBackup() != null).toList();
    }

    long copiesIn(String region, BackupState state) {
        return copiesIn(region).stream().filter(b -> b.state() == state).count();
    }

    List<Cluster> clustersIn(String region) {
        return emulator.model().describeClusters(region, Set.of(), null, null).clusters();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
