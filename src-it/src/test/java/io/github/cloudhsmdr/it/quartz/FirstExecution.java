package io.github.cloudhsmdr.it.quartz;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

import java.util.concurrent.CompletableFuture;

/** Completes with the first finished firing seen by a scheduler; keeps the last firing's exception. */
final class FirstExecution implements JobListener {
    final CompletableFuture<JobExecutionContext> context = new CompletableFuture<>();
    volatile JobExecutionException exception;

    @Override
    public String getName() {
        return "first-execution";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext c) {
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext c) {
    }

    @Override
    public void jobWasExecuted(JobExecutionContext c, JobExecutionException e) {
        exception = e;
        context.complete(c);
    }
}
