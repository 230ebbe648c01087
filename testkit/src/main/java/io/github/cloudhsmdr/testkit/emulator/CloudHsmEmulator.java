package io.github.cloudhsmdr.testkit.emulator;

import com.sun.net.httpserver.HttpServer;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2ClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * An emulator of the AWS CloudHSM v2 control-plane API on loopback: the real wire protocol (AWS JSON 1.1,
 * {@code POST /} with {@code X-Amz-Target: BaldrApiService.<Operation>}) served from one
 * {@link CloudHsmModel}, so a real {@code CloudHsmV2Client} with {@code endpointOverride(endpoint())} talks to
 * it as to AWS.
 *
 * <p>Served operations: DescribeBackups, CopyBackupToRegion, DeleteBackup, RestoreBackup,
 * ModifyBackupAttributes, TagResource, UntagResource, ListTags, DescribeClusters, CreateCluster,
 * DeleteCluster. Any other target is answered {@code UnknownOperationException}.
 *
 * <p>One server serves every region: the region of a request is the one in the SigV4 credential scope of its
 * {@code Authorization} header ({@code Credential=AKID/20260101/<region>/cloudhsm/aws4_request}). Signatures
 * are not verified. The front end answers like an AWS JSON service, all with HTTP 400: no
 * {@code Authorization} (or not SigV4) → {@code MissingAuthenticationTokenException}; missing
 * Credential/Signature/SignedHeaders or date, or a malformed scope → {@code IncompleteSignatureException};
 * a scope with an invalid region or a service other than {@code cloudhsm} → {@code InvalidSignatureException};
 * missing or unknown target → {@code UnknownOperationException}; a body that is not a JSON object or a member
 * of the wrong JSON type → {@code SerializationException}. Those front-end errors carry the
 * {@code com.amazon.coral.service#} namespace in {@code __type}, CloudHSM's own errors
 * {@code com.amazonaws.baldr#}, throttling {@code com.amazon.coral.availability#}; every error also has the
 * header {@code x-amzn-ErrorType}, every response {@code x-amzn-RequestId}. An unexpected failure inside the
 * emulator is answered {@code CloudHsmInternalFailureException} (500), never a stack trace.
 *
 * <p>Controls: the {@link #model() model} (seed clusters and backups, clock, copy delay and completion,
 * visibility delay), {@link #faults() fault injection} (seeded), an {@link #accessPolicy(AccessPolicy) access
 * policy}, a {@link #rateLimit(String, double, int) rate limit per region}, and the {@link #requestLog() request
 * log}.
 *
 * <p>The access policy is evaluated per operation on the resource's region-scoped ARN with the tags the
 * operation carries ({@code aws:RequestTag}, {@code aws:TagKeys}) and the resource's tags ({@code aws:ResourceTag}).
 * Where AWS does not document the check, the emulator assumes: CopyBackupToRegion with tags also needs
 * {@code cloudhsm:TagResource} on the <em>source</em> backup's ARN in the source region (or, by
 * {@link #copyTagCheck(CopyTagCheck)}, on a backup ARN of the destination region), with the tags the copy
 * gets (its {@code TagList}, or the source's tags when there is none) as request tags; CreateCluster with tags
 * needs {@code cloudhsm:TagResource} on {@code arn:...:cluster/*} of the request's region. A request on a
 * resource that does not exist, denied only for lack of resource tags, is answered not-found. Latency faults wait through the {@link Sleeper} given to
 * the builder, so tests can record instead of sleeping.
 *
 * <p><b>Rate limit.</b> Like AWS, which limits the control-plane API per account and region, the emulator can
 * limit the requests each region serves: {@link Builder#rateLimit(double, int)} gives every region its own token
 * bucket, {@link #rateLimit(String, double, int)} sets or overrides one region's at runtime, {@link #noRateLimit()}
 * removes every limit (the default is none). A bucket holds at most {@code burst} tokens, starts full and refills
 * continuously at {@code requestsPerSecond}; each request takes one token. A request that finds the bucket empty
 * is answered as AWS answers it, HTTP 400 {@code ThrottlingException} with
 * {@code com.amazon.coral.availability#ThrottlingException} in {@code __type} (so the SDK's
 * {@code isThrottlingException()} is true), takes no token, and changes nothing: the bucket is checked after the
 * front-end checks and before the injected latency, injected faults, the access policy and the model, so a refused
 * request is answered at once, as AWS refuses quickly, without waiting the injected latency. Refused requests are
 * in the {@link #requestLog() request log} like any error, with error code {@code ThrottlingException}, and
 * counted by {@link #rateLimited()}; they are not injected faults. Every request counts, whatever its operation; CopyBackupToRegion counts against the
 * <em>source</em> region, whose endpoint it is sent to. Refills follow the ticker given to
 * {@link Builder#ticker(LongSupplier)} (default {@link System#nanoTime()}), so tests advance time instead of
 * sleeping:
 *
 * <pre>{@code
 * AtomicLong nanos = new AtomicLong();
 * CloudHsmEmulator emulator = CloudHsmEmulator.builder().rateLimit(2.0, 3).ticker(nanos::get).start();
 * // three requests to us-east-1 are served, the fourth is throttled; after
 * nanos.addAndGet(500_000_000L); // half a second: one more token
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server and releases withheld responses.
 */
public final class CloudHsmEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudHsmEmulator.class);

    static {
        // The JDK server writes a response's headers and body in two segments; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK (~40 ms per request). The JDK reads this property once, when
        // its first HttpServer is created; an explicit setting by the application is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final CloudHsmModel model;
    private final FaultInjector faults;
    private final RequestLog requestLog = new RequestLog();
    private final Sleeper sleeper;
    private final String host;
    private final int requestedPort;
    private final Set<CountDownLatch> held = ConcurrentHashMap.newKeySet();
    private final RateLimiter rateLimiter;
    private volatile AccessPolicy accessPolicy;
    private volatile CopyTagCheck copyTagCheck = CopyTagCheck.SOURCE_BACKUP;

    /**
     * Where the {@code cloudhsm:TagResource} check implied by a CopyBackupToRegion with tags is evaluated. AWS
     * lists TagResource as a dependent action of CopyBackupToRegion but does not document on which resource, so
     * a policy can be tested under both readings.
     */
    public enum CopyTagCheck {
        /** On the source backup's ARN in the source region, with the source's tags as resource tags (default). */
        SOURCE_BACKUP,
        /**
         * On a backup ARN of the destination region ({@code arn:...:<destination>:<account>:backup/*}: the copy's
         * id is not known yet), without resource tags.
         */
        DESTINATION_REGION
    }

    private HttpServer server;
    private ExecutorService executor;
    private URI endpoint;
    private boolean started;
    private volatile boolean stopped;

    private CloudHsmEmulator(Builder b) {
        this.model = b.model != null ? b.model : new CloudHsmModel(b.clock != null ? b.clock : Clock.systemUTC(), b.seed);
        this.faults = new FaultInjector(b.seed);
        this.sleeper = b.sleeper;
        this.host = b.host;
        this.requestedPort = b.port;
        this.accessPolicy = b.accessPolicy;
        this.rateLimiter = new RateLimiter(b.ticker, b.rateLimit);
    }

    /** @return a builder: loopback, ephemeral port, a new model on the system clock, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts the server.
     *
     * @return this emulator
     * @throws IllegalStateException when already started or stopped
     * @throws UncheckedIOException  when the address cannot be bound
     */
    public synchronized CloudHsmEmulator start() {
        if (started) {
            throw new IllegalStateException("The emulator was already started; build a new one to start again");
        }
        started = true;
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cloudhsm-emulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
            s.createContext("/", new EmulatorHandler(this));
            s.setExecutor(pool);
            s.start();
            this.server = s;
            this.executor = pool;
            this.endpoint = URI.create("http://" + hostForUri(host) + ":" + s.getAddress().getPort());
        } catch (IOException e) {
            pool.shutdownNow();
            stopped = true;
            throw new UncheckedIOException("Cannot bind the CloudHSM emulator to " + host + ":" + requestedPort, e);
        }
        LOG.debug("CloudHSM emulator started endpoint={} seed={}", endpoint, faults.seed());
        return this;
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** @return the base URI to give {@code endpointOverride}, e.g. {@code http://127.0.0.1:54321}. */
    public synchronized URI endpoint() {
        requireStarted();
        return endpoint;
    }

    /** @return the bound port. */
    public synchronized int port() {
        requireStarted();
        return endpoint.getPort();
    }

    /** @return true between {@link #start()} and {@link #stop()}. */
    public synchronized boolean isRunning() {
        return started && !stopped;
    }

    /** @return the model every request is served from. */
    public CloudHsmModel model() {
        return model;
    }

    /** @return the fault injection of this emulator, seeded with the builder's seed. */
    public FaultInjector faults() {
        return faults;
    }

    /** @return the log of every request served. */
    public RequestLog requestLog() {
        return requestLog;
    }

    /** @return the access policy in force. */
    public AccessPolicy accessPolicy() {
        return accessPolicy;
    }

    /** @return where the TagResource check of a copy with tags is evaluated. */
    public CopyTagCheck copyTagCheck() {
        return copyTagCheck;
    }

    /**
     * Chooses where the TagResource check of a copy with tags is evaluated; takes effect for the next request.
     *
     * @param check the resource the check is made on
     * @return this emulator
     */
    public CloudHsmEmulator copyTagCheck(CopyTagCheck check) {
        this.copyTagCheck = Objects.requireNonNull(check, "check");
        return this;
    }

    /** Replaces the access policy; takes effect for the next request. */
    public CloudHsmEmulator accessPolicy(AccessPolicy policy) {
        this.accessPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * Sets or replaces the rate limit of one region, at runtime: the region gets a new, full bucket of
     * {@code burst} tokens refilled at {@code requestsPerSecond}; other regions keep theirs. Takes effect for the
     * next request; see the class documentation.
     *
     * @param region            the region, e.g. {@code us-east-1}
     * @param requestsPerSecond the sustained rate, a finite number greater than 0
     * @param burst             the most requests served at once after a quiet period, at least 1
     * @return this emulator
     * @throws IllegalArgumentException naming the argument when the region is not a region id, the rate is not
     *                                  positive and finite, or the burst is less than 1
     */
    public CloudHsmEmulator rateLimit(String region, double requestsPerSecond, int burst) {
        rateLimiter.region(region, new RateLimiter.Limit(requestsPerSecond, burst));
        return this;
    }

    /**
     * Sets the rate limit of every region that has none of its own (see {@link #rateLimit(String, double, int)}),
     * at runtime: each region gets a new, full bucket of its own.
     *
     * @param requestsPerSecond the sustained rate per region, a finite number greater than 0
     * @param burst             the most requests a region serves at once after a quiet period, at least 1
     * @return this emulator
     * @throws IllegalArgumentException naming the argument when the rate is not positive and finite or the burst
     *                                  is less than 1
     */
    public CloudHsmEmulator rateLimit(double requestsPerSecond, int burst) {
        rateLimiter.everyRegion(new RateLimiter.Limit(requestsPerSecond, burst));
        return this;
    }

    /**
     * Removes every rate limit (the one of every region and those of single regions); takes effect for the next
     * request.
     *
     * @return this emulator
     */
    public CloudHsmEmulator noRateLimit() {
        rateLimiter.none();
        return this;
    }

    /** @return how many requests the rate limit refused since the emulator was built */
    public long rateLimited() {
        return rateLimiter.refused();
    }

    /**
     * A client builder for {@code region} pointed at this emulator: static credentials
     * {@code AKIDEXAMPLE}/{@code secret}, the URL-connection HTTP client, endpoint override. The caller builds,
     * may override more settings, and closes the client.
     */
    public CloudHsmV2ClientBuilder clientBuilder(String region) {
        Objects.requireNonNull(region, "region");
        return CloudHsmV2Client.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    void hold(CountDownLatch latch) {
        held.add(latch);
        if (stopped) {
            latch.countDown();
        }
    }

    void release(CountDownLatch latch) {
        held.remove(latch);
    }

    /** Stops the server, releases withheld responses and ends its threads. Idempotent. */
    public void stop() {
        HttpServer s;
        ExecutorService pool;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            s = server;
            pool = executor;
        }
        held.forEach(CountDownLatch::countDown);
        if (s != null) {
            s.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.debug("CloudHSM emulator stopped endpoint={} requests={}", endpoint, requestLog.size());
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void requireStarted() {
        if (!started || endpoint == null) {
            throw new IllegalStateException("The emulator is not started; call start() first");
        }
    }

    @Override
    public String toString() {
        return "CloudHsmEmulator[" + (endpoint == null ? "not started" : endpoint) + "]";
    }

    /** Builder of {@link CloudHsmEmulator}; not thread-safe. */
    public static final class Builder {
        private CloudHsmModel model;
        private Clock clock;
        private long seed = 42L;
        private String host = "127.0.0.1";
        private int port;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private AccessPolicy accessPolicy = AccessPolicy.allowAll();
        private RateLimiter.Limit rateLimit;
        private LongSupplier ticker = System::nanoTime;

        private Builder() {
        }

        /**
         * Limits the requests of every region, each region with its own token bucket of {@code burst} tokens
         * refilled at {@code requestsPerSecond} (default: no limit). A request that finds its region's bucket empty
         * is answered HTTP 400 {@code ThrottlingException}; see {@link CloudHsmEmulator}.
         *
         * @param requestsPerSecond the sustained rate per region, a finite number greater than 0
         * @param burst             the most requests a region serves at once after a quiet period, at least 1
         * @return this builder
         * @throws IllegalArgumentException naming the argument when the rate is not positive and finite or the
         *                                  burst is less than 1
         */
        public Builder rateLimit(double requestsPerSecond, int burst) {
            this.rateLimit = new RateLimiter.Limit(requestsPerSecond, burst);
            return this;
        }

        /**
         * The time source of the rate limit's refills, in nanoseconds like {@link System#nanoTime()} (the
         * default); give a settable one in tests, so they advance time instead of sleeping.
         *
         * @param nanoTime the ticker
         * @return this builder
         */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Serves this model (e.g. one shared with an {@code InMemoryBackupStore}); default a new one. */
        public Builder model(CloudHsmModel model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The clock of the model the emulator creates (default the system clock); not with {@link #model}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seed of the fault injection and of the ids of a model the emulator creates (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The address to bind (default {@code 127.0.0.1}). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The port to bind, 0 (the default) for an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How latency faults wait (default real sleeping); give a recording sleeper in tests. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The access policy in force at start (default {@link AccessPolicy#allowAll()}). */
        public Builder accessPolicy(AccessPolicy policy) {
            this.accessPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @return a new, not yet started emulator; each call creates a new model unless {@link #model} was given
         * @throws IllegalStateException when both a model and a clock were given
         */
        public CloudHsmEmulator build() {
            if (model != null && clock != null) {
                throw new IllegalStateException("Give either a model or a clock, not both: the model has its own clock");
            }
            return new CloudHsmEmulator(this);
        }

        /** @return a new emulator, started. */
        public CloudHsmEmulator start() {
            return build().start();
        }
    }
}
