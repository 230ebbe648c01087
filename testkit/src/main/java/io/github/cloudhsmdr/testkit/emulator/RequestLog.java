package io.github.cloudhsmdr.testkit.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every request the emulator answered (or left unanswered), in arrival order of completion, for tests and
 * benchmarks to count. Thread-safe.
 */
public final class RequestLog {

    /**
     * One request.
     *
     * @param operation  the operation named by {@code X-Amz-Target} (e.g. {@code DescribeBackups}), or
     *                   {@code null} when the target was missing
     * @param region     the region of the SigV4 credential scope, or {@code null} when it could not be read
     * @param httpStatus the HTTP status answered, or {@code 0} when no response was sent
     * @param errorCode  the error code answered (e.g. {@code ThrottlingException}), {@code null} on success;
     *                   for a request left unanswered, {@link #NO_RESPONSE}
     * @param time       when the request arrived, on the emulator's clock
     */
    public record Entry(String operation, String region, int httpStatus, String errorCode, Instant time) {
        /** @return true when the request was answered with HTTP 200. */
        public boolean succeeded() {
            return httpStatus == 200;
        }
    }

    /** The error code recorded for a request whose connection was closed or held without a response. */
    public static final String NO_RESPONSE = "NoResponse";

    private final List<Entry> entries = new ArrayList<>();

    /** Creates an empty log. */
    public RequestLog() {
    }

    /** Appends one entry. */
    public synchronized void record(Entry entry) {
        entries.add(Objects.requireNonNull(entry, "entry"));
    }

    /** @return a snapshot of every entry. */
    public synchronized List<Entry> requests() {
        return List.copyOf(entries);
    }

    /** @return the number of requests for {@code operation} in {@code region}. */
    public long count(String operation, String region) {
        return count(e -> Objects.equals(operation, e.operation()) && Objects.equals(region, e.region()));
    }

    /** @return the number of requests for {@code operation} in any region. */
    public long count(String operation) {
        return count(e -> Objects.equals(operation, e.operation()));
    }

    /** @return the number of requests answered with {@code errorCode} (or {@link #NO_RESPONSE}). */
    public long countErrors(String errorCode) {
        return count(e -> Objects.equals(errorCode, e.errorCode()));
    }

    /** @return the number of requests matching {@code predicate}. */
    public synchronized long count(Predicate<Entry> predicate) {
        return entries.stream().filter(predicate).count();
    }

    /** @return the number of requests logged. */
    public synchronized int size() {
        return entries.size();
    }

    /** Forgets every entry. */
    public synchronized void clear() {
        entries.clear();
    }
}
