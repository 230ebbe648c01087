package io.github.cloudhsmdr.it.quartz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The event lines of every node, in arrival order; tests wait on it for events instead of sleeping. */
final class EventLog {

    /** One {@code EVENT} line: its words after {@code EVENT}. */
    record Event(List<String> words) {
        String type() {
            return words.get(0);
        }

        String word(int i) {
            return words.get(i);
        }

        boolean is(String type, String job) {
            return type().equals(type) && words.size() > 1 && words.get(1).equals(job);
        }

        @Override
        public String toString() {
            return String.join(" ", words);
        }
    }

    private final List<Event> events = new ArrayList<>();

    synchronized void add(String line) {
        events.add(new Event(List.of(line.trim().split(" +"))));
        notifyAll();
    }

    /**
     * Waits until at least {@code count} events match, and returns the matching ones.
     *
     * @throws AssertionError when they do not arrive within {@code timeout}
     */
    synchronized List<Event> await(Predicate<Event> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Event> found = events.stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("waited " + timeout + " for " + count + " matching events, saw "
                        + found.size() + "; all events: " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }
}
