package io.github.cloudhsmdr.scheduling;

import java.time.Duration;
import java.util.Optional;

/** {@link RunLock#NONE}: always acquired, releasing does nothing. */
final class NoRunLock implements RunLock {
    static final NoRunLock INSTANCE = new NoRunLock();

    private NoRunLock() {
    }

    @Override
    public Optional<Lease> tryAcquire(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        RunLocks.checkArguments(name, lockAtMostFor, lockAtLeastFor);
        return Optional.of(new Lease() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "RunLock.NONE lease[" + name + "]";
            }
        });
    }

    @Override
    public String toString() {
        return "RunLock.NONE";
    }
}
