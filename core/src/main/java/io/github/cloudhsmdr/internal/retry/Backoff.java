package io.github.cloudhsmdr.internal.retry;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * The waits of a {@link RetryPolicy}, as a resilience4j {@link IntervalBiFunction}: exponential from the initial
 * (or, after throttling, the throttling) backoff, capped at the maximum, then shortened by a random share of up to
 * the jitter factor. The random source is injected so a seed reproduces the waits; resilience4j's own
 * {@code IntervalFunction.ofExponentialRandomBackoff} draws from {@code Math.random()} and cannot be seeded.
 * Thread-safe when the random source is ({@link Random} is).
 */
final class Backoff implements IntervalBiFunction<Object> {
    private final RetryPolicy policy;
    private final Random random;

    Backoff(RetryPolicy policy, Random random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param failedAttempts how many attempts have failed so far, from 1
     * @param error          the last error
     * @return the wait before the next attempt, in milliseconds
     */
    @Override
    public Long apply(Integer failedAttempts, Either<Throwable, Object> error) {
        Throwable e = error != null && error.isLeft() ? error.getLeft() : null;
        return waitAfter(failedAttempts, e).toMillis();
    }

    /** @return the wait after {@code failedAttempts} failed attempts, the last with {@code error}. */
    Duration waitAfter(int failedAttempts, Throwable error) {
        long base = baseMillis(failedAttempts, isThrottling(error));
        if (policy.jitter() == 0.0 || base == 0) {
            return Duration.ofMillis(base);
        }
        double shortenBy = policy.jitter() * random.nextDouble();
        return Duration.ofMillis((long) Math.floor(base * (1.0 - shortenBy)));
    }

    /** @return the wait before jitter: first × multiplier^(failedAttempts - 1), at most maxBackoff. */
    long baseMillis(int failedAttempts, boolean throttled) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
        }
        long first = (throttled ? policy.throttlingBackoff() : policy.initialBackoff()).toMillis();
        long max = policy.maxBackoff().toMillis();
        double grown = first * Math.pow(policy.multiplier(), failedAttempts - 1.0);
        return grown >= max ? max : (long) grown;
    }

    static boolean isThrottling(Throwable error) {
        return error instanceof BackupServiceException e && e.kind() == ServiceErrorKind.THROTTLING;
    }
}
