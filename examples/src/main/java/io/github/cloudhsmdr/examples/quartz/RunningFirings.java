package io.github.cloudhsmdr.examples.quartz;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counts the firings in progress so that a shutdown can wait for them without polling. Thread-safe. */
final class RunningFirings implements JobListener {
    private final String name;
    private int running;

    RunningFirings(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public synchronized void jobToBeExecuted(JobExecutionContext context) {
        running++;
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        // a vetoed firing never started: jobToBeExecuted was not called for it
    }

    @Override
    public synchronized void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        running--;
        notifyAll();
    }

    /** @return how many firings are running. */
    synchronized int running() {
        return running;
    }

    /**
     * Waits until no firing runs, at most {@code timeout}.
     *
     * @return true when none runs
     * @throws InterruptedException when the waiting thread is interrupted
     */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
