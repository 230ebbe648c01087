package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
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
     * Registers {@code replicator} under its {@link BackupReplicator#name()}. Registering the same object
     * again changes nothing; registering another replicator with the same name replaces the earlier one.
     *
     * @return this registry
     * @throws NullPointerException when {@code replicator} or its name is null
     */
    public ReplicatorRegistry register(BackupReplicator replicator) {
        Objects.requireNonNull(replicator, "replicator");
        String name = Objects.requireNonNull(replicator.name(), "replicator.name()");
        tasks.compute(name, (n, existing) -> existing != null && existing.replicator() == replicator
                ? existing : ReplicationTask.of(replicator));
        LOG.debug("replicator={} registered; registered={}", name, names());
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
