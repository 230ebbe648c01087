package io.github.cloudhsmdr.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} that never runs anything by itself: it records each scheduled task
 * with its delay, and the test runs them with {@link #runNext()}. No real time passes.
 */
final class ManualScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    /** A recorded one-shot task. */
    static final class Scheduled implements ScheduledFuture<Object> {
        final Runnable command;
        final long delayMillis;
        volatile boolean cancelled;
        volatile boolean done;

        Scheduled(Runnable command, long delayMillis) {
            this.command = command;
            this.delayMillis = delayMillis;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(delayMillis, o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    private final Deque<Scheduled> queue = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();
    private volatile boolean shutdown;

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Scheduled s = new Scheduled(command, unit.toMillis(delay));
        queue.add(s);
        delays.add(s.delayMillis);
        return s;
    }

    /** Runs the oldest task that is not cancelled, on the calling thread; returns false when none is left. */
    boolean runNext() {
        Scheduled next;
        synchronized (this) {
            do {
                next = queue.poll();
            } while (next != null && next.cancelled);
        }
        if (next == null) {
            return false;
        }
        try {
            next.command.run();
        } finally {
            next.done = true;
        }
        return true;
    }

    /** @return tasks scheduled and neither run nor cancelled. */
    synchronized List<Scheduled> pending() {
        return queue.stream().filter(s -> !s.cancelled).toList();
    }

    /** @return the delay of every task ever scheduled, in order. */
    synchronized List<Long> delays() {
        return List.copyOf(delays);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
