package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostOptionsTest {
    private static final HostOptions OPTIONS = new HostOptions("TestHost", List.of(
            new HostOptions.Option("every", "DURATION", "from the end of one run to the start of the next"),
            new HostOptions.Option("run-now", null, "also run once right after start"),
            HostOptions.SHUTDOWN_TIMEOUT));

    @Test
    void theHostsTakeEveryReplicatorSetting() {
        Set<String> options = HostOptions.REPLICATOR.stream().map(HostOptions.Option::key)
                .collect(Collectors.toSet());
        List<String> missing = ReplicatorSettings.ALL.stream().map(Setting::key).filter(k -> !options.contains(k))
                .toList();
        assertEquals(List.of(), missing, "settings the hosts do not take as options");
    }

    @Test
    void readsAValueGivenAsTheNextArgumentOrAfterAnEqualsSign() {
        Settings s = OPTIONS.parse("--every", "30m", "--shutdown-timeout=2m", "--copy-tags=team=dr,env=prod",
                "--source-region", "us-east-1");
        assertEquals(Duration.ofMinutes(30), s.duration("every").orElseThrow());
        assertEquals(Duration.ofMinutes(2), HostOptions.shutdownTimeout(s));
        assertEquals("team=dr,env=prod", s.optional("copy-tags").orElseThrow(), "only the first = separates");
        assertEquals("us-east-1", s.optional("source-region").orElseThrow());
        assertFalse(s.has("run-now"));
        assertFalse(s.has(HostOptions.HELP));
    }

    @Test
    void aFlagIsTrueWhenGivenAndTakesNoValue() {
        assertTrue(OPTIONS.parse("--run-now").bool("run-now", false));
        assertOptionError("--run-now: is a flag and takes no value, got 'false': give --run-now alone",
                "--run-now=false");
        assertOptionError("yes: unexpected argument: TestHost takes only options, --option VALUE or --option=VALUE",
                "--run-now", "yes");
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        String needs = "--every: needs a value: give --every DURATION or --every=DURATION";
        assertOptionError(needs, "--every");
        assertOptionError(needs, "--every", "--run-now");
    }

    @Test
    void anOptionGivenTwiceIsNamed() {
        assertOptionError("--every: is given twice: give it once", "--every", "1m", "--every=2m");
        assertOptionError("--run-now: is given twice: give it once", "--run-now", "--run-now");
    }

    @Test
    void anUnknownOptionIsNamedWithTheOptionsItMayHaveMeant() {
        assertOptionError("--cron: is not an option of TestHost: TestHost --help lists them", "--cron", "0 0 * * * ?");
        assertOptionError("--cron: is not an option of TestHost", "--cron=0 0 * * * ?");
        assertOptionError("--evry: is not an option of TestHost; did you mean --every?", "--evry", "1m");
    }

    @Test
    void latestWithLookBackIsRefusedNamingBoth() {
        Settings s = OPTIONS.parse("--source-region", "us-east-1", "--destination-regions", "us-west-2", "--latest",
                "--look-back", "3d");
        ConfigurationException e = assertThrows(ConfigurationException.class, s::replicatorSettings);
        assertEquals("--look-back: --latest and --look-back 3d contradict each other: give one of them",
                e.getMessage());
        assertEquals("--look-back", e.setting());
    }

    @Test
    void helpIsAskedForWithHOrHelpEvenNextToOtherOptions() {
        assertTrue(OPTIONS.parse("--help").has(HostOptions.HELP));
        assertTrue(OPTIONS.parse("-h").has(HostOptions.HELP));
        assertTrue(OPTIONS.parse("--every", "1m", "--help").has(HostOptions.HELP));
    }

    @Test
    void theUsageListsEveryOptionInOrderWithItsValueAndDefault() {
        String usage = OPTIONS.usage();
        assertTrue(usage.startsWith("Usage: TestHost [OPTIONS]"), usage);
        List<String> names = List.of("--source-region=REGION", "--destination-regions=R1,R2", "--look-back=DURATION",
                "--latest", "--max-concurrent-calls-per-region=N", "--endpoint=URL", "--every=DURATION", "--run-now",
                "--shutdown-timeout=DURATION", "-h, --help");
        int at = 0;
        for (String name : names) {
            int next = usage.indexOf(name, at);
            assertTrue(next >= 0, name + " (in this order) in\n" + usage);
            at = next;
        }
        assertTrue(usage.contains("(default: 14d)"), "the look-back's default from the shared setting:\n" + usage);
        assertTrue(usage.contains("Exit status 64 on a bad option."), usage);
    }

    @Test
    void aHostWithAnOptionOfTheSameNameAsAnotherIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HostOptions("TestHost",
                List.of(new HostOptions.Option("name", "NAME", "a second --name"))));
        assertTrue(e.getMessage().startsWith("option --name of TestHost is given twice"), e.getMessage());
    }

    @Test
    void launchPrintsTheUsageOnHelpAndExitsWith64NamingABadOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HostLauncher.Starter refuse = settings -> {
            throw new AssertionError("started");
        };
        assertEquals(0, HostLauncher.launch("TestHost", OPTIONS, new String[] {"-h"}, print(out), print(err), refuse));
        assertEquals(OPTIONS.usage(), out.toString(StandardCharsets.UTF_8));

        assertEquals(HostLauncher.USAGE_ERROR, HostLauncher.launch("TestHost", OPTIONS,
                new String[] {"--every", "1m", "--every", "2m"}, print(out), print(err), refuse));
        assertEquals("TestHost: --every: is given twice: give it once\nRun 'TestHost --help' for usage.\n",
                err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static void assertOptionError(String expected, String... args) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> OPTIONS.parse(args));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' at the start of: "
                + e.getMessage());
        assertEquals(expected.substring(0, expected.indexOf(':')), e.setting(), "the option named");
    }
}
