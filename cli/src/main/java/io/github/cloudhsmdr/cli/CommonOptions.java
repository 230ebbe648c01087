package io.github.cloudhsmdr.cli;

import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The options every command has: where to connect, how long to take, what to print. */
final class CommonOptions {
    /** How progress is shown. */
    enum ProgressMode {
        /** when standard error is a terminal */
        auto,
        /** always */
        always,
        /** never */
        never
    }

    @Option(names = "--endpoint-url", paramLabel = "URL", converter = Converters.EndpointConverter.class,
            description = "send every call to this endpoint, e.g. the emulator's http://127.0.0.1:PORT")
    URI endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "credentials from this AWS profile (default: the SDK's default chain)")
    String profile;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.PositiveDurationConverter.class,
            defaultValue = "30s", description = "longest time one AWS call may take (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = Converters.PositiveDurationConverter.class,
            description = "stop the whole command after this long (exit 2); also caps --wait-for-ready")
    Duration deadline;

    @Option(names = "--config", paramLabel = "FILE",
            description = "read option defaults from this properties file (key=value, keys as the long options "
                    + "without --)")
    Path config;

    @Option(names = "--json", description = "print the result as one JSON document (see the schemas)")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print no result text, progress or logs; errors and --json "
            + "output still go out")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "more detail on stderr: progress with retries and INFO "
            + "logs; -vv adds DEBUG logs of every AWS call")
    boolean[] verbose = new boolean[0];

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "progress on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: when stderr is "
                    + "a terminal)")
    ProgressMode progress;

    /** @return 0 normal, 1 for -v, 2 for -vv; -1 for --quiet */
    int verbosity() {
        return quiet ? -1 : Math.min(verbose.length, 2);
    }
}
