package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.ReplicationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** Calls every listener, so that a listener that throws never breaks a run. Thread-safe. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final List<ReplicationListener> listeners;

    Listeners(List<ReplicationListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void fire(String event, Consumer<ReplicationListener> call) {
        for (ReplicationListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} threw from {}; ignored", l.getClass().getName(), event, e);
            }
        }
    }
}
