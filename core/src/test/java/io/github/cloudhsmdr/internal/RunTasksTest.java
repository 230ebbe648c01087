package io.github.cloudhsmdr.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunTasksTest {

    @Test
    void mapKeepsTheItemsOrderAndRunsSideBySide() throws InterruptedException {
        CountDownLatch allStarted = new CountDownLatch(4);
        try (RunTasks tasks = new RunTasks("t", false)) {
            List<Integer> out = tasks.map(List.of(1, 2, 3, 4), 4, i -> {
                allStarted.countDown();
                try {
                    // every item waits for all four to have started: only true parallelism gets through
                    assertTrue(allStarted.await(30, TimeUnit.SECONDS), "the items ran one after another");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return i * 10;
            });
            assertEquals(List.of(10, 20, 30, 40), out);
        }
    }

    @Test
    void theFirstFailureIsRethrownAsItWasOnceEveryItemEnded() {
        List<Integer> ended = Collections.synchronizedList(new ArrayList<>());
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        try (RunTasks tasks = new RunTasks("t", false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tasks.map(IntStream.range(0, 20).boxed().toList(), 3, i -> {
                        if (i == 5) {
                            throw boom;
                        }
                        ended.add(i);
                        return i;
                    }));
            assertSame(boom, e);
        }
        assertEquals(19, ended.size(), "the other items ran to their end");
    }

    @Test
    void inlineTasksRunInTheCallersThreadInOrder() {
        List<String> order = new ArrayList<>();
        Thread caller = Thread.currentThread();
        try (RunTasks tasks = new RunTasks("t", true)) {
            tasks.start(() -> order.add("a"));
            tasks.map(List.of("b", "c", "d"), 8, s -> {
                assertSame(caller, Thread.currentThread());
                return order.add(s);
            });
            tasks.start(() -> order.add("e"));
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), order);
    }

    @Test
    void anInterruptedCallerStopsTheItemsAndReportsAFailureWithTheFlagKept() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch itemInterrupted = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        try (RunTasks tasks = new RunTasks("t", false)) {
            Thread caller = new Thread(() -> {
                try {
                    tasks.map(List.of(1, 2), 2, i -> {
                        started.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            itemInterrupted.countDown();
                        }
                        return i;
                    });
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            assertTrue(started.await(30, TimeUnit.SECONDS));
            caller.interrupt();
            caller.join(30_000);
            assertTrue(itemInterrupted.await(30, TimeUnit.SECONDS), "the running items were interrupted");
        }
        RunTasks.InterruptedRunException e = assertInstanceOf(RunTasks.InterruptedRunException.class, thrown.get());
        assertEquals("interrupted while waiting for the run's calls", e.failure().message());
        assertTrue(flagKept.get());
    }

    @Test
    void startEachRunsAtMostParallelismItemsAtOnceAndKeepsTheItemsOrder() throws Exception {
        // each item waits until two items run at once: with a limit of 2 the pairs meet at once; without a limit
        // the six items start together and more than two run at the same time
        CountDownLatch twoRunning = new CountDownLatch(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (RunTasks tasks = new RunTasks("t", false)) {
            Map<String, Future<String>> futures = tasks.startEach(List.of("a", "b", "c", "d", "e", "f"), 2, s -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                twoRunning.countDown();
                try {
                    assertTrue(twoRunning.await(30, TimeUnit.SECONDS), "the items ran one after another");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                running.decrementAndGet();
                return s.toUpperCase(Locale.ROOT);
            });
            assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(futures.keySet()));
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures.values()) {
                out.add(RunTasks.join(f));
            }
            assertEquals(List.of("A", "B", "C", "D", "E", "F"), out);
        }
        assertEquals(2, most.get(), "items running at once");
    }
}
