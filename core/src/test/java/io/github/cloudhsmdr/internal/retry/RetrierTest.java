package io.github.cloudhsmdr.internal.retry;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.internal.retry.RetryFailedException.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrierTest {
    private static final Logger LOG = LoggerFactory.getLogger(RetrierTest.class);
    private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
    private static final RetryPolicy NO_JITTER = RetryPolicy.builder().jitter(0.0).build();

    private final VirtualTime time = new VirtualTime(START);

    private Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, time, new Random(1), RetryListener.NONE);
    }

    private static BackupServiceException error(ServiceErrorKind kind) {
        return new BackupServiceException(kind, "DescribeBackups", "us-east-1", null, kind.name(), "boom", null);
    }

    /** A call that fails {@code failures} times with {@code kind}, then answers "ok". */
    private static final class Flaky {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final ServiceErrorKind kind;

        Flaky(int failures, ServiceErrorKind kind) {
            this.failures = failures;
            this.kind = kind;
        }

        String get() {
            if (calls.incrementAndGet() <= failures) {
                throw error(kind);
            }
            return "ok";
        }
    }

    @Test
    void transientErrorsAreRetriedUpToMaxAttemptsThenFailWithThatManyAttempts() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        Flaky flaky = new Flaky(Integer.MAX_VALUE, ServiceErrorKind.INTERNAL_FAILURE);

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                flaky::get);

        assertFalse(outcome.succeeded());
        assertEquals(5, flaky.calls.get());
        assertEquals(5, outcome.attempts());
        assertEquals(StopReason.ATTEMPTS_EXHAUSTED, outcome.failure().reason());
        assertEquals(4, time.sleeps().size());
        Failure failure = outcome.failure().toFailure();
        assertEquals(ServiceErrorKind.INTERNAL_FAILURE, failure.kind());
        assertEquals(5, failure.attempts());
        assertEquals("DescribeBackups", failure.operation());
    }

    @Test
    void succeedsAfterTransientErrorsAndSaysHowManyAttemptsItTook() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        Flaky flaky = new Flaky(2, ServiceErrorKind.NETWORK);

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "CopyBackupToRegion", "us-east-1",
                flaky::get);

        assertTrue(outcome.succeeded());
        assertEquals("ok", outcome.value());
        assertEquals(3, outcome.attempts());
        assertNull(outcome.failure());
        assertEquals(2, time.sleeps().size());
    }

    @ParameterizedTest
    @EnumSource(value = ServiceErrorKind.class, names = {"ACCESS_DENIED", "INVALID_REQUEST", "TAG",
            "RESOURCE_LIMIT_EXCEEDED", "RESOURCE_NOT_FOUND", "BAD_RESPONSE", "UNKNOWN"})
    void permanentErrorsFailAtOnce(ServiceErrorKind kind) {
        Retrier retrier = retrier(RetryPolicy.defaults());
        Flaky flaky = new Flaky(Integer.MAX_VALUE, kind);

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DeleteBackup", "us-east-1", flaky::get);

        assertEquals(1, flaky.calls.get());
        assertEquals(1, outcome.attempts());
        assertEquals(StopReason.NOT_RETRYABLE, outcome.failure().reason());
        assertEquals(kind, outcome.failure().kind());
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void anExceptionThatIsNotAServiceErrorIsNotRetried() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        IllegalStateException bug = new IllegalStateException("bug");
        AtomicInteger calls = new AtomicInteger();

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "ListTags", "us-east-1", () -> {
            calls.incrementAndGet();
            throw bug;
        });

        assertEquals(1, calls.get());
        assertSame(bug, outcome.failure().lastError());
        assertEquals(ServiceErrorKind.UNKNOWN, outcome.failure().toFailure().kind());
        assertEquals(1, outcome.failure().toFailure().attempts());
    }

    @Test
    void throttlingWaitsLongerThanOtherTransientErrors() {
        Retrier throttled = retrier(NO_JITTER.toBuilder().maxAttempts(4).build());
        throttled.execute(throttled.startBudget(), "DescribeBackups", "us-east-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.THROTTLING)::get);
        List<Duration> throttledWaits = time.sleeps();

        VirtualTime other = new VirtualTime(START);
        Retrier failing = new Retrier(NO_JITTER.toBuilder().maxAttempts(4).build(), other, new Random(1),
                RetryListener.NONE);
        failing.execute(failing.startBudget(), "DescribeBackups", "us-east-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.SERVICE_ERROR)::get);

        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), throttledWaits);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), other.sleeps());
    }

    @Test
    void waitsGrowExponentiallyUpToMaxBackoff() {
        Retrier retrier = retrier(NO_JITTER.toBuilder().maxAttempts(9).multiplier(3.0)
                .initialBackoff(Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(20)).build());

        retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.NETWORK)::get);

        assertEquals(List.of(500L, 1500L, 4500L, 13500L, 20000L, 20000L, 20000L, 20000L),
                time.sleeps().stream().map(Duration::toMillis).toList());
        assertEquals(START.plusMillis(100_000), time.instant(), "the clock moved by the waits only");
    }

    @Test
    void jitterOnlyShortensWaitsAndStaysWithinItsBounds() {
        long seed = new Random().nextLong();
        LOG.info("jitterOnlyShortensWaitsAndStaysWithinItsBounds seed={}", seed);
        RetryPolicy policy = RetryPolicy.builder().jitter(0.3).maxBackoff(Duration.ofSeconds(60)).build();
        Backoff backoff = new Backoff(policy, new Random(seed));
        Backoff unjittered = new Backoff(policy.toBuilder().jitter(0.0).build(), new Random(seed));
        int shortened = 0;
        for (int round = 0; round < 200; round++) {
            for (int n = 1; n <= 8; n++) {
                long base = unjittered.waitAfter(n, error(ServiceErrorKind.NETWORK)).toMillis();
                long wait = backoff.waitAfter(n, error(ServiceErrorKind.NETWORK)).toMillis();
                assertTrue(wait <= base, "seed " + seed + ": wait " + wait + " above base " + base);
                assertTrue(wait >= (long) Math.floor(base * 0.7), "seed " + seed + ": wait " + wait
                        + " below 70% of " + base);
                assertTrue(wait <= 60_000, "seed " + seed + ": above maxBackoff");
                if (wait < base) {
                    shortened++;
                }
            }
        }
        assertTrue(shortened > 1000, "seed " + seed + ": jitter changed only " + shortened + " of 1600 waits");
    }

    @Test
    void seededJitterIsReproducible() {
        List<Long> first = waitsWithSeed(42);
        List<Long> again = waitsWithSeed(42);
        List<Long> other = waitsWithSeed(43);

        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    private static List<Long> waitsWithSeed(long seed) {
        VirtualTime t = new VirtualTime(START);
        Retrier retrier = new Retrier(RetryPolicy.builder().maxAttempts(6).build(), t, new Random(seed),
                RetryListener.NONE);
        retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.THROTTLING)::get);
        return t.sleeps().stream().map(Duration::toMillis).toList();
    }

    @Test
    void theTimeBudgetStopsRetriesWithTheLastError() {
        Retrier retrier = retrier(NO_JITTER.toBuilder().maxAttempts(10).maxTotalTime(Duration.ofSeconds(10))
                .build());
        Flaky flaky = new Flaky(Integer.MAX_VALUE, ServiceErrorKind.INTERNAL_FAILURE);

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                flaky::get);

        // waits 1 + 2 + 4 = 7 s; the next (8 s) would end at 15 s, after the 10 s budget
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), time.sleeps());
        assertEquals(4, outcome.attempts());
        assertEquals(4, flaky.calls.get());
        assertEquals(StopReason.BUDGET_EXHAUSTED, outcome.failure().reason());
        assertEquals(ServiceErrorKind.INTERNAL_FAILURE, outcome.failure().kind());
    }

    @Test
    void theBudgetIsSharedByEveryCallOfARunAndRenewedForTheNextRun() {
        Retrier retrier = retrier(NO_JITTER.toBuilder().maxAttempts(10).maxTotalTime(Duration.ofSeconds(10))
                .build());
        RetryBudget run = retrier.startBudget();

        retrier.execute(run, "DescribeBackups", "us-east-1", new Flaky(3, ServiceErrorKind.NETWORK)::get);
        assertEquals(Duration.ofSeconds(3), run.remaining(), "1 + 2 + 4 s spent");
        Attempted<String> second = retrier.execute(run, "DescribeBackups", "us-west-2",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.NETWORK)::get);

        assertEquals(3, second.attempts(), "1 s and 2 s fit in the 3 s left, 4 s does not");
        assertEquals(StopReason.BUDGET_EXHAUSTED, second.failure().reason());

        Attempted<String> nextRun = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-west-2",
                new Flaky(3, ServiceErrorKind.NETWORK)::get);
        assertTrue(nextRun.succeeded(), "a new run has the whole budget again");
        assertEquals(4, nextRun.attempts());
    }

    @Test
    void theListenerIsToldBeforeEachRetryAndCannotBreakTheCall() {
        List<String> events = new ArrayList<>();
        Retrier retrier = new Retrier(NO_JITTER.toBuilder().maxAttempts(3).build(), time, new Random(1),
                (operation, region, attempt, error, wait) -> {
                    events.add(operation + " " + region + " " + attempt + " " + error.kind() + " " + wait
                            + " slept " + time.sleeps().size());
                    throw new IllegalStateException("listener bug");
                });

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "CopyBackupToRegion", "eu-west-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.THROTTLING)::get);

        assertEquals(List.of("CopyBackupToRegion eu-west-1 1 THROTTLING PT2S slept 0",
                "CopyBackupToRegion eu-west-1 2 THROTTLING PT4S slept 1"), events);
        assertEquals(3, outcome.attempts());
    }

    @Test
    void anInterruptedWaitStopsRetrying() {
        AtomicInteger calls = new AtomicInteger();
        Retrier retrier = new Retrier(RetryPolicy.defaults(), duration -> {
            throw new InterruptedException("stop");
        }, new Random(1), RetryListener.NONE);
        try {
            Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                    () -> {
                        calls.incrementAndGet();
                        throw error(ServiceErrorKind.NETWORK);
                    });

            assertEquals(1, calls.get());
            assertEquals(StopReason.INTERRUPTED, outcome.failure().reason());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anAlreadyInterruptedThreadDoesNotRetry() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        Flaky flaky = new Flaky(Integer.MAX_VALUE, ServiceErrorKind.NETWORK);
        Thread.currentThread().interrupt();
        try {
            Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                    flaky::get);

            assertEquals(1, flaky.calls.get());
            assertEquals(StopReason.INTERRUPTED, outcome.failure().reason());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFailureNamesTheOperationTheRegionAndTheAttempts() {
        Retrier retrier = retrier(RetryPolicy.defaults());

        RetryFailedException e = retrier.execute(retrier.startBudget(), "ListTags", "us-east-1",
                new Flaky(Integer.MAX_VALUE, ServiceErrorKind.ACCESS_DENIED)::get).failure();

        assertEquals(1, e.attempts());
        assertEquals("ListTags", e.operation());
        assertEquals("us-east-1", e.region());
        assertTrue(e.getMessage().startsWith("ListTags in us-east-1 failed after 1 attempt (not retryable): "),
                e.getMessage());
        assertTrue(e.getMessage().contains("ACCESS_DENIED"), e.getMessage());
    }

    @Test
    void theCallIsToldTheNumberOfItsAttempt() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        List<Integer> seen = new ArrayList<>();

        Attempted<Integer> outcome = retrier.execute(retrier.startBudget(), "CopyBackupToRegion", "us-east-1",
                attempt -> {
                    seen.add(attempt);
                    if (attempt < 3) {
                        throw error(ServiceErrorKind.NETWORK);
                    }
                    return attempt;
                });

        assertEquals(List.of(1, 2, 3), seen);
        assertEquals(3, outcome.value());
    }

    @Test
    void noneMakesOneAttempt() {
        Retrier retrier = retrier(RetryPolicy.none());
        Flaky flaky = new Flaky(Integer.MAX_VALUE, ServiceErrorKind.THROTTLING);

        Attempted<String> outcome = retrier.execute(retrier.startBudget(), "DescribeBackups", "us-east-1",
                flaky::get);

        assertEquals(1, flaky.calls.get());
        assertEquals(1, outcome.attempts());
        assertEquals(StopReason.ATTEMPTS_EXHAUSTED, outcome.failure().reason());
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void oneRetrierServesConcurrentCalls() throws InterruptedException {
        Retrier retrier = retrier(RetryPolicy.builder().maxAttempts(3).build());
        RetryBudget run = retrier.startBudget();
        List<Thread> threads = new ArrayList<>();
        List<Attempted<String>> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            Flaky flaky = new Flaky(2, ServiceErrorKind.NETWORK);
            threads.add(new Thread(() -> outcomes.add(retrier.execute(run, "DescribeBackups", "us-east-1",
                    flaky::get))));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        assertEquals(8, outcomes.size());
        outcomes.forEach(o -> assertEquals(3, o.attempts()));
        outcomes.forEach(o -> assertTrue(o.succeeded()));
    }
}
