package io.github.cloudhsmdr.examples.support;

import java.io.PrintStream;

/** Starts a long-running host program from its command line: parse, start, and close it on SIGTERM. */
public final class HostLauncher {
    /** The exit status after a bad option (EX_USAGE of BSD's sysexits.h). */
    public static final int USAGE_ERROR = 64;

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
     * @return 0 when started (or after {@code --help}), {@link #USAGE_ERROR} on a usage error (the message names
     *         the option)
     */
    public static int launch(String program, HostOptions options, String[] args, PrintStream out, PrintStream err,
            Starter starter) {
        AutoCloseable host;
        try {
            Settings settings = options.parse(args);
            if (settings.has(HostOptions.HELP)) {
                out.print(options.usage());
                return 0;
            }
            host = starter.start(settings);
        } catch (ConfigurationException e) {
            err.println(program + ": " + e.getMessage());
            err.println("Run '" + program + " --help' for usage.");
            return USAGE_ERROR;
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
