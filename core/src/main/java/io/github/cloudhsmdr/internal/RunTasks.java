package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.ServiceErrorKind;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The threads of one run (a plan, an apply): work that waits on different regions, or on different calls to
 * one region, runs side by side, and the per-region limits of {@link RegionPacer} decide how many calls really
 * go out at once. Every task carries the caller's logging context (the run id). Closing stops the threads.
 *
 * <p>A run allowed one destination and one call per region at a time runs its tasks in the caller's thread, one
 * after another in a fixed order, so that a seeded test replays the same calls in the same order.
 */
final class RunTasks implements AutoCloseable {
    private final ExecutorService pool;

    /** @return the tasks of one run of {@code config}'s replicator */
    static RunTasks of(ReplicatorConfig config) {
        return new RunTasks(config.name(),
                config.maxConcurrentDestinations() == 1 && config.maxConcurrentCallsPerRegion() == 1);
    }

    /**
     * @param replicatorName names the threads
     * @param inline         runs every task in the caller's thread, at once
     */
    RunTasks(String replicatorName, boolean inline) {
        if (inline) {
            this.pool = null;
            return;
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cloudhsm-dr-" + replicatorName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code body} on a thread of the run, with the caller's logging context. Cancelling the future
     * interrupts the thread.
     */
    <T> Future<T> start(Supplier<T> body) {
        if (pool == null) {
            FutureTask<T> task = new FutureTask<>(body::get);
            task.run();
            return task;
        }
        Map<String, String> context = MDC.getCopyOfContextMap();
        return pool.submit(() -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return body.get();
            } finally {
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            }
        });
    }

    /**
     * Starts {@code body} for every item, at most {@code parallelism} running at once (the others wait for a
     * slot on their own threads), and returns each item's future, in the items' order, without waiting for them.
     */
    <T, R> Map<T, Future<R>> startEach(List<T> items, int parallelism, Function<T, R> body) {
        Semaphore slots = new Semaphore(Math.max(1, parallelism));
        Map<T, Future<R>> futures = new LinkedHashMap<>();
        for (T item : items) {
            futures.put(item, start(() -> {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedRunException(e);
                }
                try {
                    return body.apply(item);
                } finally {
                    slots.release();
                }
            }));
        }
        return futures;
    }

    /**
     * Applies {@code body} to every item, at most {@code parallelism} at once, and returns the results in the
     * items' order. The first exception thrown by a body is rethrown as it was, once every item has ended. When
     * the caller is interrupted while it waits, the items still running are interrupted and an
     * {@link InterruptedRunException} is thrown, with the interrupt flag kept.
     */
    <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> body) {
        if (items.size() <= 1 || parallelism <= 1 || pool == null) {
            return items.stream().map(body).toList();
        }
        List<R> results = new ArrayList<>(items.size());
        items.forEach(i -> results.add(null));
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(parallelism, items.size()); w++) {
            workers.add(start(() -> {
                for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                    R r = body.apply(items.get(i));
                    synchronized (results) {
                        results.set(i, r);
                    }
                }
                return null;
            }));
        }
        RuntimeException first = null;
        for (Future<Void> w : workers) {
            try {
                join(w);
            } catch (InterruptedRunException e) {
                workers.forEach(x -> x.cancel(true));
                throw e;
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        synchronized (results) {
            return new ArrayList<>(results);
        }
    }

    /**
     * Waits for {@code future} and returns its value; an exception of the task is rethrown as it was thrown
     * (unchecked), an interrupt is kept and reported as an {@link InterruptedRunException}.
     */
    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new InterruptedRunException(e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    /**
     * The thread that waited for the run's tasks was interrupted (its interrupt flag is set again): a call that
     * failed for good, so that the plan or the pair reports it like any other failure.
     */
    static final class InterruptedRunException extends CallFailedException {
        private static final long serialVersionUID = 1L;

        InterruptedRunException(InterruptedException cause) {
            super(new Failure(ServiceErrorKind.UNKNOWN, "Replicate", "interrupted while waiting for the run's calls",
                    0), cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
