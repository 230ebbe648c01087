package io.github.cloudhsmdr.testkit.emulator;

import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.FaultInjector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2ClientBuilder;

import java.net.URI;
import java.util.Objects;

/**
 * JUnit 5 extension running a {@link CloudHsmEmulator}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static CloudHsmEmulatorExtension emulator = CloudHsmEmulatorExtension.create();
 * }</pre>
 *
 * <p>Registered on a static field, one emulator serves the whole class (started before all tests, stopped after
 * all); on an instance field, each test gets a fresh one. Each start builds a new emulator from the builder,
 * hence a new model unless the builder was given one. Requires {@code junit-jupiter-api} on the test
 * classpath (an optional dependency of the testkit).
 *
 * <p>Not thread-safe to (re)configure; the running emulator is.
 */
public final class CloudHsmEmulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final CloudHsmEmulator.Builder builder;
    private volatile CloudHsmEmulator emulator;
    private boolean perClass;

    private CloudHsmEmulatorExtension(CloudHsmEmulator.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** @return an extension running an emulator with the default settings of {@link CloudHsmEmulator#builder()}. */
    public static CloudHsmEmulatorExtension create() {
        return new CloudHsmEmulatorExtension(CloudHsmEmulator.builder());
    }

    /** @return an extension running emulators built by {@code builder}. */
    public static CloudHsmEmulatorExtension of(CloudHsmEmulator.Builder builder) {
        return new CloudHsmEmulatorExtension(builder);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (emulator == null) {
            emulator = builder.start();
            perClass = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emulator == null) {
            emulator = builder.start();
            perClass = false;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void stop() {
        CloudHsmEmulator e = emulator;
        emulator = null;
        if (e != null) {
            e.stop();
        }
    }

    /**
     * @return the running emulator
     * @throws IllegalStateException outside the tests the extension runs
     */
    public CloudHsmEmulator emulator() {
        CloudHsmEmulator e = emulator;
        if (e == null) {
            throw new IllegalStateException("The CloudHSM emulator runs only while the extension's tests run");
        }
        return e;
    }

    /** @return the running emulator's endpoint. */
    public URI endpoint() {
        return emulator().endpoint();
    }

    /** @return the running emulator's model. */
    public CloudHsmModel model() {
        return emulator().model();
    }

    /** @return the running emulator's fault injection. */
    public FaultInjector faults() {
        return emulator().faults();
    }

    /** @return the running emulator's request log. */
    public RequestLog requestLog() {
        return emulator().requestLog();
    }

    /** @return a client builder for {@code region} pointed at the running emulator. */
    public CloudHsmV2ClientBuilder clientBuilder(String region) {
        return emulator().clientBuilder(region);
    }
}
