package io.github.cloudhsmdr;

import java.time.Duration;

/**
 * Waits for a duration. Injected wherever the library waits (backoff, polling for READY), so tests run on
 * virtual time and never sleep for real.
 */
@FunctionalInterface
public interface Sleeper {

    /** The real sleeper: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
}
