package io.github.cloudhsmdr.examples.support;

import java.io.PrintStream;

/** Starts a long-running host program from its command line: parse, start, and close it on SIGTERM. */
public final class HostLauncher {
    private HostLauncher() {
    }

    /** Starts a host from its parsed settings. */
    @FunctionalInterface
    public interface Starter {
        /**
         * @throws ConfigurationException when a setting is not allowed
         */
        AutoCloseable start(Settings settings);
    }

    /**
     * Parses {@code args}, prints the usage for {@code --help}, starts the host and installs a shutdown hook
     * that closes it.
     *
     * @return 0 when started (or after {@code --help}), 64 on a usage error (the message names the option)
     */
    public static int launch(String program, HostOptions options, String[] args, PrintStream out, PrintStream err,
            Starter starter) {
        AutoCloseable host;
        try {
            Settings settings = options.parse(args);
            if (settings.has("help")) {
                out.print(options.usage());
                return 0;
            }
            host = starter.start(settings);
        } catch (ConfigurationException e) {
            err.println(program + ": " + e.getMessage());
            err.println("Run '" + program + " --help' for usage.");
            return 64;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                host.close();
            } catch (Exception e) {
                err.println(program + ": closing failed: " + e);
            }
        }, "cloudhsm-dr-shutdown"));
        return 0;
    }
}
