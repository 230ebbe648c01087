package io.github.cloudhsmdr.testkit.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

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
 * no limit. Exit status 2 on bad arguments.
 */
public final class EmulatorMain {
    private static final Pattern REGION =
            Pattern.compile("[a-z]{2}(-(gov))?-(east|west|north|south|central){1,2}-\\d");

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

    /** Parses the command line; throws {@link IllegalArgumentException} naming the bad option. */
    static Options parse(String... args) {
        String host = "127.0.0.1";
        int port = 0;
        long seed = 42L;
        List<String> regions = List.of("us-east-1", "us-west-2");
        boolean demo = false;
        boolean help = false;
        AccessPolicy policy = AccessPolicy.allowAll();
        RateLimiter.Limit rateLimit = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host":
                    host = value(args, ++i, a);
                    break;
                case "--port":
                    port = parseInt(value(args, ++i, a), a);
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
                    }
                    break;
                case "--seed":
                    try {
                        seed = Long.parseLong(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed must be a whole number, was '" + args[i] + "'", e);
                    }
                    break;
                case "--regions":
                    List<String> r = new ArrayList<>();
                    for (String s : value(args, ++i, a).split(",")) {
                        String t = s.trim();
                        if (!REGION.matcher(t).matches()) {
                            throw new IllegalArgumentException("--regions holds '" + t
                                    + "', which is not a CloudHSM region id such as us-east-1");
                        }
                        r.add(t);
                    }
                    regions = List.copyOf(r);
                    break;
                case "--access-policy":
                    policy = readPolicy(value(args, ++i, a));
                    break;
                case "--rate-limit":
                    rateLimit = rateLimit(value(args, ++i, a));
                    break;
                case "--seed-demo-data":
                    demo = true;
                    break;
                case "--help":
                case "-h":
                    help = true;
                    break;
                default:
                    throw new IllegalArgumentException("Unknown option '" + a + "'");
            }
        }
        return new Options(host, port, seed, regions, demo, help, policy, rateLimit);
    }

    private static RateLimiter.Limit rateLimit(String v) {
        int colon = v.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--rate-limit must be RATE:BURST (requests per second and the most at "
                    + "once, e.g. 20:20), was '" + v + "'");
        }
        double rate;
        int burst;
        try {
            rate = Double.parseDouble(v.substring(0, colon));
            burst = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rate-limit must be RATE:BURST with a number of requests per second "
                    + "and a whole burst, e.g. 20:20, was '" + v + "'", e);
        }
        try {
            return new RateLimiter.Limit(rate, burst);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rate-limit '" + v + "': " + e.getMessage(), e);
        }
    }

    private static AccessPolicy readPolicy(String file) {
        String json;
        try {
            json = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--access-policy cannot read '" + file + "': " + e, e);
        }
        try {
            return AccessPolicy.fromJson(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--access-policy '" + file + "' is not a policy the emulator "
                    + "understands: " + e.getMessage(), e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseInt(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + v + "'", e);
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: EmulatorMain [--host 127.0.0.1] [--port 0] [--seed 42] "
                + "[--regions us-east-1,us-west-2] [--seed-demo-data] [--access-policy policy.json] "
                + "[--rate-limit RATE:BURST]");
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
     * Starts the emulator, prints its endpoint and waits until the process is stopped.
     *
     * @param args the command line
     * @throws InterruptedException when the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage(System.err);
            System.exit(2);
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
