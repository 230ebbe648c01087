package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.Sleeper;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a run of the command line gets from its surroundings, so tests can run it on a virtual clock.
 *
 * @param clock           the clock of the replicator, the restorer and the output
 * @param sleeper         how waits pass
 * @param environment     the environment variables (option defaults)
 * @param terminal        true when the program runs on a terminal ({@link System#console()}): progress in
 *                        {@code auto} mode
 */
record Context(Clock clock, Sleeper sleeper, Map<String, String> environment, boolean terminal) {
    Context {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        environment = Map.copyOf(environment);
    }

    /** @return the context of the real program */
    static Context system() {
        return new Context(Clock.systemUTC(), Sleeper.SYSTEM, System.getenv(), System.console() != null);
    }
}
