package io.github.cloudhsmdr.quartz;

import io.github.cloudhsmdr.drill.RestoreDrill;
import io.github.cloudhsmdr.drill.RestoreDrillTask;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The restore drills a Quartz scheduler can run, by name: the live objects a {@link RestoreDrillJob} looks up in
 * the scheduler's {@link SchedulerContext} under {@link #CONTEXT_KEY}. Like the {@link ReplicatorRegistry}, it is
 * never persisted: every node registers the same drills before {@link Scheduler#start()}. Each drill runs through
 * its own {@link RestoreDrillTask}, so two firings of one drill never overlap in a JVM; register it with a task
 * holding a shared {@link io.github.cloudhsmdr.scheduling.RunLock} to keep nodes apart too. Thread-safe.
 */
public final class DrillRegistry {
    /** The key under which a scheduler's {@link SchedulerContext} holds its drill registry. */
    public static final String CONTEXT_KEY = "io.github.cloudhsmdr.quartz.DrillRegistry";

    private final ConcurrentMap<String, RestoreDrillTask> tasks = new ConcurrentHashMap<>();

    /** Creates an empty registry. */
    public DrillRegistry() {
    }

    /**
     * @param scheduler the scheduler
     * @return the registry in the scheduler's context, installed there when missing
     * @throws SchedulerException when the context cannot be read
     */
    public static DrillRegistry of(Scheduler scheduler) throws SchedulerException {
        SchedulerContext context = scheduler.getContext();
        synchronized (context) {
            Object existing = context.get(CONTEXT_KEY);
            if (existing instanceof DrillRegistry registry) {
                return registry;
            }
            DrillRegistry registry = new DrillRegistry();
            context.put(CONTEXT_KEY, registry);
            return registry;
        }
    }

    /** Registers {@code drill} under its name with an in-process guard only. @return this registry */
    public DrillRegistry register(RestoreDrill drill) {
        return register(RestoreDrillTask.of(drill));
    }

    /** Registers the task's drill under its name (e.g. a task with a run lock). @return this registry */
    public DrillRegistry register(RestoreDrillTask task) {
        Objects.requireNonNull(task, "task");
        tasks.put(task.drill().name(), task);
        return this;
    }

    /** @return the task of drill {@code name}, if registered */
    public Optional<RestoreDrillTask> task(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    /** @return the registered names */
    public SortedSet<String> names() {
        return new TreeSet<>(tasks.keySet());
    }
}
