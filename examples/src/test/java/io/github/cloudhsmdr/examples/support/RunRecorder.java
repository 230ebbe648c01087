package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.RecoveryPointReport;
import io.github.cloudhsmdr.ReplicationListener;
import io.github.cloudhsmdr.ReplicationPlan;
import io.github.cloudhsmdr.ReplicationReport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listener for tests of the hosts: records finished runs and events in order, and can hold a run right
 * after its plan was made until {@link #release()}.
 */
public final class RunRecorder implements ReplicationListener {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch planned = new CountDownLatch(1);
    private final CountDownLatch measured = new CountDownLatch(1);
    private final CountDownLatch release;
    private final List<String> events = new ArrayList<>();
    private final List<ReplicationReport> reports = new ArrayList<>();

    private RunRecorder(boolean hold) {
        this.release = new CountDownLatch(hold ? 1 : 0);
    }

    /** @return a recorder that lets runs go on. */
    public static RunRecorder recording() {
        return new RunRecorder(false);
    }

    /** @return a recorder that holds the first run after its plan until {@link #release()}. */
    public static RunRecorder holdingAfterPlan() {
        return new RunRecorder(true);
    }

    @Override
    public void onPlanCreated(ReplicationPlan plan) {
        planned.countDown();
        try {
            if (!release.await(20, TimeUnit.SECONDS)) {
                event("hold timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onRunFinished(ReplicationReport report) {
        synchronized (this) {
            reports.add(report);
        }
        event("run finished " + report.status());
        finished.countDown();
    }

    @Override
    public void onRecoveryPointsMeasured(RecoveryPointReport report) {
        measured.countDown();
    }

    /** @return true when recovery points were measured (the hosts measure after every run) within 20 s. */
    public boolean awaitMeasured() throws InterruptedException {
        return measured.await(20, TimeUnit.SECONDS);
    }

    /** Adds an event to the ordered log. */
    public synchronized void event(String event) {
        events.add(event);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized List<ReplicationReport> reports() {
        return List.copyOf(reports);
    }

    public void release() {
        release.countDown();
    }

    /** @return true when a run had its plan made within 20 s. */
    public boolean awaitPlanned() throws InterruptedException {
        return planned.await(20, TimeUnit.SECONDS);
    }

    /** @return true when a run finished within 20 s. */
    public boolean awaitFinished() throws InterruptedException {
        return finished.await(20, TimeUnit.SECONDS);
    }
}
