package io.github.cloudhsmdr.scheduling;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part every {@link RunLock.Lease} shares: the lock's name and a {@link #close()} that releases once, however
 * often and from however many threads it is called. Implementations of {@link RunLock} extend it and say in
 * {@link #release()} how their store lets the lock go. Thread-safe.
 */
public abstract class AbstractLease implements RunLock.Lease {
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param name the name of the lock this lease holds */
    protected AbstractLease(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    /**
     * Releases the lock (or shortens it to its {@code lockAtLeastFor}); called once, by the first {@link #close()}.
     *
     * @throws io.github.cloudhsmdr.CloudHsmDrException when the lock's store cannot be written
     */
    protected abstract void release();
}
