package io.github.cloudhsmdr.internal.retry;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.internal.retry.RetryFailedException.StopReason;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Runs calls to the store under a {@link RetryPolicy}: transient {@link BackupServiceException}s are retried with
 * backoff, everything else fails at once, and every outcome says how many attempts it took.
 *
 * <h2>How resilience4j is used</h2>
 * The decision to retry is resilience4j-retry's: each call runs in a {@link Retry#context()} of a {@link Retry}
 * built from the policy ({@code maxAttempts}, {@code retryOnException} = transient service errors), and
 * {@link Retry.Context#onRuntimeError(RuntimeException)} rethrows when the error is not retryable or the attempts
 * are used up. The waiting is not: resilience4j 2.4 sleeps with {@code Thread.sleep} through a single static,
 * JVM-wide sleep function ({@code RetryImpl.setSleepFunction}), which a library must not replace. So the
 * {@link Retry} is configured with an interval of zero, and the retrier computes the wait itself with
 * {@link Backoff} (an {@code IntervalBiFunction} of the policy), checks it against the run's {@link RetryBudget},
 * tells the {@link RetryListener} and waits through the injected {@link Sleeper}. Tests therefore run on
 * virtual time.
 *
 * <p>Thread-safe: one retrier serves every thread of every run; each run passes its own {@link RetryBudget}.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final RetryListener listener;
    private final Backoff backoff;
    private final Retry retry;

    /**
     * @param policy   the retry policy
     * @param sleeper  waits between attempts
     * @param random   the source of jitter; seed it to reproduce the waits
     * @param listener told before each retry
     */
    public Retrier(RetryPolicy policy, Sleeper sleeper, Random random, RetryListener listener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.backoff = new Backoff(policy, Objects.requireNonNull(random, "random"));
        this.retry = Retry.of("cloudhsm-dr", RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(Retrier::isRetryable)
                // waits are made by this class through the Sleeper, see the class documentation
                .intervalBiFunction((attempt, outcome) -> 0L)
                .build());
    }

    /** @return the policy. */
    public RetryPolicy policy() {
        return policy;
    }

    /** @return a new retry budget for one run. */
    public RetryBudget startBudget() {
        return RetryBudget.of(policy.maxTotalTime());
    }

    /**
     * Runs {@code call} until it succeeds or the retrier stops.
     *
     * @return the value and the number of attempts, or the failure; never throws for a failed call
     */
    public <T> Attempted<T> execute(RetryBudget budget, String operation, String region, Supplier<T> call) {
        Objects.requireNonNull(call, "call");
        return execute(budget, operation, region, attempt -> call.get());
    }

    /**
     * Runs {@code call} until it succeeds or the retrier stops. The call is given the number of the attempt, from
     * 1, so a mutating call can look up whether an earlier, ambiguous attempt took effect before sending again.
     *
     * @return the value and the number of attempts, or the failure; never throws for a failed call
     */
    public <T> Attempted<T> execute(RetryBudget budget, String operation, String region, IntFunction<T> call) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        Retry.Context<T> context = retry.context();
        int attempt = 0;
        while (true) {
            attempt++;
            T value;
            try {
                value = call.apply(attempt);
            } catch (RuntimeException error) {
                StopReason stop = decide(context, error, attempt);
                if (stop != null) {
                    return failed(operation, region, attempt, stop, error);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return failed(operation, region, attempt, StopReason.INTERRUPTED, error);
                }
                Duration wait = backoff.waitAfter(attempt, error);
                if (!budget.tryReserve(wait)) {
                    return failed(operation, region, attempt, StopReason.BUDGET_EXHAUSTED, error);
                }
                BackupServiceException transientError = (BackupServiceException) error;
                LOG.debug("Retrying operation={} region={} attempt={} kind={} wait={}", operation, region, attempt,
                        transientError.kind(), wait);
                notifyListener(operation, region, attempt, transientError, wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return failed(operation, region, attempt, StopReason.INTERRUPTED, error);
                }
                continue;
            }
            context.onComplete();
            return new Attempted<>(value, attempt, null);
        }
    }

    /** @return why to stop after {@code error}, or {@code null} to retry. */
    private StopReason decide(Retry.Context<?> context, RuntimeException error, int attempt) {
        try {
            context.onRuntimeError(error);
            return null;
        } catch (RuntimeException rethrown) {
            if (!isRetryable(error)) {
                return StopReason.NOT_RETRYABLE;
            }
            if (attempt >= policy.maxAttempts()) {
                return StopReason.ATTEMPTS_EXHAUSTED;
            }
            // resilience4j rethrows a retryable error early only when its (zero) sleep was interrupted
            return StopReason.INTERRUPTED;
        }
    }

    private static <T> Attempted<T> failed(String operation, String region, int attempts, StopReason reason,
            RuntimeException error) {
        return new Attempted<>(null, attempts, new RetryFailedException(operation, region, attempts, reason, error));
    }

    private void notifyListener(String operation, String region, int attempt, BackupServiceException error,
            Duration wait) {
        try {
            listener.onRetry(operation, region, attempt, error, wait);
        } catch (RuntimeException e) {
            LOG.warn("Retry listener failed for operation={} region={} attempt={}: {}", operation, region, attempt,
                    e.toString());
        }
    }

    static boolean isRetryable(Throwable error) {
        return error instanceof BackupServiceException e && e.isTransient();
    }
}
