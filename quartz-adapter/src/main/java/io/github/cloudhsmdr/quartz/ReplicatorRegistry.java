package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.scheduling.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The replicators a Quartz scheduler can run, by name: the live objects a {@link ReplicationJob} looks up.
 *
 * <p>Quartz persists a job's {@link org.quartz.JobDataMap} (with a JDBC job store, in the database, as
 * strings when {@code org.quartz.jobStore.useProperties=true}), so the job data holds only the replicator's
 * name, and the replicator itself lives in this registry, stored in the scheduler's
 * {@link org.quartz.SchedulerContext} under {@link #CONTEXT_KEY}. The SchedulerContext is never persisted:
 * <b>every node</b> of a cluster must register the same replicators at start-up, before
 * {@link org.quartz.Scheduler#start()}. {@link ReplicationScheduling#registry(org.quartz.Scheduler)}
 * installs a registry on a scheduler, or returns the one already there.
 *
 * <p>Each replicator is run through its own {@link ReplicationTask}, whose in-process guard keeps two runs
 * of one replicator from overlapping in this JVM even when several jobs or triggers name it.
 *
 * <p><b>Across the cluster: a run lock.</b> Register each replicator with a {@link RunLock} shared by the
 * nodes ({@link #register(BackupReplicator, RunLock)} with a {@code JdbcRunLock} (cloudhsm-dr-runlock-jdbc)
 * on the job store's database, or {@link #register(ReplicationTask)} for every lock setting) and every run
 * first takes lock {@code <replicator name>}; a firing that finds it held elsewhere is skipped. This closes
 * the gap Quartz leaves when several triggers of one job are due together (see {@link ReplicationScheduling}).
 * Register the replicator with the same lock settings on every node.
 *
 * <p>Thread-safe. The registry does not own the replicators: it never closes them.
 */
public final class ReplicatorRegistry {
    /** The key under which a scheduler's {@link org.quartz.SchedulerContext} holds its registry. */
    public static final String CONTEXT_KEY = "io.github.cloudhsmdr.quartz.ReplicatorRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatorRegistry.class);

    private final ConcurrentMap<String, ReplicationTask> tasks = new ConcurrentHashMap<>();

    /** Creates an empty registry. */
    public ReplicatorRegistry() {
    }

    /**
     * Registers {@code replicator} under its {@link BackupReplicator#name()}, without a run lock (the
     * in-process guard only). Registering the same object again changes nothing; registering another
     * replicator with the same name replaces the earlier one.
     *
     * @return this registry
     * @throws NullPointerException when {@code replicator} or its name is null
     */
    public ReplicatorRegistry register(BackupReplicator replicator) {
        return register(replicator, RunLock.NONE);
    }

    /**
     * Registers {@code replicator} under its {@link BackupReplicator#name()}; every run first takes
     * {@code runLock} under that name, for at most {@link ReplicationTask#DEFAULT_LOCK_AT_MOST_FOR} (use
     * {@link #register(ReplicationTask)} for other lock settings). Registering the same object with the same
     * lock again changes nothing; anything else under the same name replaces the earlier registration.
     *
     * @return this registry
     * @throws NullPointerException when an argument or the replicator's name is null
     */
    public ReplicatorRegistry register(BackupReplicator replicator, RunLock runLock) {
        Objects.requireNonNull(replicator, "replicator");
        Objects.requireNonNull(runLock, "runLock");
        String name = Objects.requireNonNull(replicator.name(), "replicator.name()");
        tasks.compute(name, (n, existing) -> existing != null && existing.replicator() == replicator
                && existing.runLock() == runLock && existing.lockName().equals(name)
                && existing.lockAtMostFor().equals(ReplicationTask.DEFAULT_LOCK_AT_MOST_FOR)
                && existing.lockAtLeastFor().isZero() && existing.measuresRecoveryPoints()
                ? existing : ReplicationTask.builder(replicator).runLock(runLock).build());
        LOG.debug("replicator={} registered with runLock={}; registered={}", name, runLock, names());
        return this;
    }

    /**
     * Registers {@code task} under its replicator's name, e.g. one built with
     * {@code ReplicationTask.builder(replicator).runLock(lock).lockAtMostFor(...)}. Registering the same task
     * again changes nothing; anything else under the same name replaces the earlier registration.
     *
     * @return this registry
     * @throws NullPointerException when {@code task} is null
     */
    public ReplicatorRegistry register(ReplicationTask task) {
        Objects.requireNonNull(task, "task");
        tasks.put(task.name(), task);
        LOG.debug("replicator={} registered with runLock={}; registered={}", task.name(), task.runLock(), names());
        return this;
    }

    /**
     * Removes the replicator registered under {@code name}; later firings for it fail until one is
     * registered again.
     *
     * @return the replicator that was removed, if any
     */
    public Optional<BackupReplicator> unregister(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(tasks.remove(name)).map(ReplicationTask::replicator);
    }

    /** @return the replicator registered under {@code name}, if any. */
    public Optional<BackupReplicator> find(String name) {
        return task(name).map(ReplicationTask::replicator);
    }

    /** @return the task (overlap guard and counters) of the replicator registered under {@code name}, if any. */
    public Optional<ReplicationTask> task(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(tasks.get(name));
    }

    /** @return the registered names, sorted; a snapshot. */
    public SortedSet<String> names() {
        return new TreeSet<>(tasks.keySet());
    }

    @Override
    public String toString() {
        return "ReplicatorRegistry" + names();
    }
}
