package io.github.cloudhsmdr.bench;

import io.github.cloudhsmdr.spi.BackupStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a {@link BackupStore} to time its copy phase: from the start of the first {@code copyBackupToRegion} to the
 * end of the last, as the engine sees them (attempts and the waits between them included). Every other call
 * passes through untouched. A dynamic proxy, so methods added to the port later pass through as well.
 */
final class TimedStore {
    private final AtomicLong firstCopyStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastCopyEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong copyCalls = new AtomicLong();
    private final BackupStore store;

    TimedStore(BackupStore delegate) {
        this.store = (BackupStore) Proxy.newProxyInstance(BackupStore.class.getClassLoader(),
                new Class<?>[] {BackupStore.class}, (proxy, method, args) -> {
                    boolean copy = method.getName().equals("copyBackupToRegion");
                    long start = System.nanoTime();
                    if (copy) {
                        firstCopyStart.accumulateAndGet(start, Math::min);
                        copyCalls.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (copy) {
                            lastCopyEnd.accumulateAndGet(System.nanoTime(), Math::max);
                        }
                    }
                });
    }

    /** @return the store to give the replicator */
    BackupStore store() {
        return store;
    }

    /** @return the copy calls made through this store, attempts included */
    long copyCalls() {
        return copyCalls.get();
    }

    /** @return the copy phase in nanoseconds, 0 when nothing was copied */
    long copyPhaseNanos() {
        long start = firstCopyStart.get();
        return start == Long.MAX_VALUE ? 0 : lastCopyEnd.get() - start;
    }
}
