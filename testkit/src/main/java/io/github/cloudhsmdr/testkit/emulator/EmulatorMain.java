package io.github.cloudhsmdr.testkit.emulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link CloudHsmEmulator} as a standalone process until it is killed, and prints its endpoint.
 *
 * <pre>
 * java -cp ... io.github.cloudhsmdr.testkit.emulator.EmulatorMain [--host 127.0.0.1] [--port 0] [--seed 42]
 *     [--regions us-east-1,us-west-2] [--seed-demo-data] [--access-policy policy.json] [--rate-limit 20:20]
 * </pre>
 *
 * <p>The first line on standard output is {@code endpoint=http://host:port}. {@code --regions} lists the regions
 * of the demo: the first is where {@code --seed-demo-data} puts clusters and backups ({@link DemoData}); the
 * server itself answers every valid region. {@code --access-policy} puts an IAM identity policy (JSON, e.g. one
 * printed by {@code IamPolicies}) in force ({@link AccessPolicy#fromJson(String)}); without it everything is
 * allowed. {@code --rate-limit RATE:BURST} gives every region a token bucket of {@code BURST} requests refilled at
 * {@code RATE} requests per second ({@link CloudHsmEmulator.Builder#rateLimit(double, int)}); without it there is
 * no limit. The command line is read with picocli: {@code --help} prints the usage; a bad argument exits with
 * status 2 after a message naming the option, the value and what is allowed, and the usage.
 */
public final class EmulatorMain {
    /** The exit status of a bad command line. */
    static final int USAGE = 2;

    private EmulatorMain() {
    }

    /** Options of the command line. */
    record Options(String host, int port, long seed, List<String> regions, boolean seedDemoData, boolean help,
                   AccessPolicy accessPolicy, RateLimiter.Limit rateLimit) {
        Options(String host, int port, long seed, List<String> regions, boolean seedDemoData, boolean help,
                AccessPolicy accessPolicy) {
            this(host, port, seed, regions, seedDemoData, help, accessPolicy, null);
        }
    }

    /** The options as picocli reads them. */
    @Command(name = "EmulatorMain", sortOptions = false, usageHelpAutoWidth = true,
            description = "Runs the CloudHSM v2 emulator until the process is stopped; the first line on standard "
                    + "output is endpoint=http://HOST:PORT.",
            footerHeading = "%n", footer = "Exit status 2 on a bad command line.")
    static final class Spec {
        @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "address to listen on (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", converter = PortConverter.class,
                description = "port to listen on, 0 to 65535; 0 picks a free one (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
                description = "seed of the generated ids and the injected faults (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--regions", paramLabel = "REGION", split = ",", defaultValue = "us-east-1,us-west-2",
                converter = RegionConverter.class,
                description = "regions of the demo; --seed-demo-data fills the first (default: ${DEFAULT-VALUE})")
        List<String> regions = new ArrayList<>();

        @Option(names = "--seed-demo-data",
                description = "put two clusters with a backup a day into the first of --regions")
        boolean seedDemoData;

        @Option(names = "--access-policy", paramLabel = "FILE", converter = AccessPolicyConverter.class,
                description = "put this IAM identity policy (JSON) in force (default: everything is allowed)")
        AccessPolicy accessPolicy;

        @Option(names = "--rate-limit", paramLabel = "RATE:BURST", converter = RateLimitConverter.class,
                description = "a token bucket per region: BURST requests at once, refilled at RATE requests per "
                        + "second, e.g. 20:20 (default: no limit)")
        RateLimiter.Limit rateLimit;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
        boolean help;
    }

    /** A port: a whole number from 0 to 65535. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // answered below, as a value out of range is
            }
            throw new TypeConversionException("'" + value + "' is not a port: expected a whole number from 0 to 65535 "
                    + "(0 picks a free port)");
        }
    }

    /** One CloudHSM region id such as {@code us-east-1}; the option splits its list at commas. */
    static final class RegionConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String region = value.trim();
            if (!RateLimiter.REGION.matcher(region).matches()) {
                throw new TypeConversionException("'" + region + "' is not a CloudHSM region id such as us-east-1");
            }
            return region;
        }
    }

    /** {@code RATE:BURST}: requests per second, a number greater than 0, and a whole burst of at least 1. */
    static final class RateLimitConverter implements ITypeConverter<RateLimiter.Limit> {
        private static final String ALLOWED = "RATE:BURST, requests per second (a number greater than 0) and the "
                + "most at once (a whole number of at least 1), e.g. 20:20";

        @Override
        public RateLimiter.Limit convert(String value) {
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw new TypeConversionException("'" + value + "' is not " + ALLOWED);
            }
            double rate;
            int burst;
            try {
                rate = Double.parseDouble(value.substring(0, colon));
                burst = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not " + ALLOWED);
            }
            try {
                return new RateLimiter.Limit(rate, burst);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }

    /** A file holding an IAM identity policy the emulator understands. */
    static final class AccessPolicyConverter implements ITypeConverter<AccessPolicy> {
        @Override
        public AccessPolicy convert(String file) {
            String json;
            try {
                json = Files.readString(Path.of(file));
            } catch (IOException | RuntimeException e) {
                throw new TypeConversionException("cannot read '" + file + "': " + e);
            }
            try {
                return AccessPolicy.fromJson(json);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + file + "' is not a policy the emulator understands: "
                        + e.getMessage());
            }
        }
    }

    /**
     * @return the command line of {@code spec}: a single-valued option given twice takes its last value (as before
     *         picocli read it); {@code --regions} given twice adds to its list
     */
    static CommandLine commandLine(Spec spec) {
        return new CommandLine(spec).setOverwrittenOptionsAllowed(true);
    }

    /**
     * Parses the command line.
     *
     * @throws ParameterException naming the option, the value and what is allowed
     */
    static Options parse(String... args) {
        Spec spec = new Spec();
        CommandLine line = commandLine(spec);
        line.parseArgs(args);
        return new Options(spec.host, spec.port, spec.seed, List.copyOf(spec.regions), spec.seedDemoData,
                line.isUsageHelpRequested(),
                spec.accessPolicy != null ? spec.accessPolicy : AccessPolicy.allowAll(), spec.rateLimit);
    }

    /** Prints the usage picocli generates from the options. */
    static void usage(PrintStream out) {
        commandLine(new Spec()).usage(out);
    }

    /**
     * Parses {@code args} or, when they are bad, prints the message, suggestions and usage to {@code err}.
     *
     * @return the options, or {@code null} after a bad command line (exit with {@link #USAGE})
     */
    static Options parseOrExplain(String[] args, PrintStream err) {
        try {
            return parse(args);
        } catch (ParameterException e) {
            err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            e.getCommandLine().usage(err);
            return null;
        }
    }

    /** Builds, seeds (when asked) and starts the emulator the options describe. */
    static CloudHsmEmulator start(Options o) {
        CloudHsmEmulator.Builder builder = CloudHsmEmulator.builder().host(o.host()).port(o.port()).seed(o.seed())
                .accessPolicy(o.accessPolicy());
        if (o.rateLimit() != null) {
            builder.rateLimit(o.rateLimit().requestsPerSecond(), o.rateLimit().burst());
        }
        CloudHsmEmulator emulator = builder.build();
        if (o.seedDemoData()) {
            DemoData.seed(emulator.model(), o.regions().get(0));
        }
        return emulator.start();
    }

    /**
     * Starts the emulator, prints its endpoint and waits until the process is stopped; exits with status 2 on a
     * bad command line.
     *
     * @param args the command line
     * @throws InterruptedException when the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Options o = parseOrExplain(args, System.err);
        if (o == null) {
            System.exit(USAGE);
            return;
        }
        if (o.help()) {
            usage(System.out);
            return;
        }
        CloudHsmEmulator emulator = start(o);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            done.countDown();
        }, "cloudhsm-emulator-shutdown"));
        System.out.println("endpoint=" + emulator.endpoint());
        System.out.println("regions=" + String.join(",", o.regions()) + " seed=" + o.seed()
                + (o.seedDemoData() ? " demo-data=" + o.regions().get(0) : "")
                + (o.rateLimit() != null ? " rate-limit=" + o.rateLimit() + " per region" : ""));
        System.out.flush();
        done.await();
    }
}
