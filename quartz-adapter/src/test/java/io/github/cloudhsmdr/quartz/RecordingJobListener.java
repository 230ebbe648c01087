package io.github.cloudhsmdr.quartz;

import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every finished firing so a test can wait for it instead of sleeping. */
final class RecordingJobListener implements JobListener {

    /** One finished firing. */
    record Execution(JobExecutionContext context, JobExecutionException exception) {
        Object result() {
            return context.getResult();
        }
    }

    private final BlockingQueue<Execution> executions = new LinkedBlockingQueue<>();

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        executions.add(new Execution(context, jobException));
    }

    /** Waits (up to 10 s) for the next finished firing. */
    Execution next() throws InterruptedException {
        Execution e = executions.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no firing finished within 10 s");
        }
        return e;
    }
}
