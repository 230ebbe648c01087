package io.github.cloudhsmdr.internal.retry;

/**
 * The outcome of a call run by the {@link Retrier}: its value or its failure, and how many attempts it took.
 *
 * @param value    the value, {@code null} when the call failed (or returned {@code null})
 * @param attempts how many attempts were made, at least 1
 * @param failure  why the call failed, or {@code null} when it succeeded
 * @param <T>      the value type
 */
public record Attempted<T>(T value, int attempts, RetryFailedException failure) {

    public Attempted {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }

    /** @return true when the call succeeded. */
    public boolean succeeded() {
        return failure == null;
    }
}
