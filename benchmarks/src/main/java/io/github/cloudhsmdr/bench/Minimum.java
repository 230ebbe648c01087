package io.github.cloudhsmdr.bench;

import java.time.Duration;

/**
 * The least a correct run needs, derived from the seeded data ({@link Shape}): requests, and the critical path
 * for an injected latency. The figures the benchmark divides by.
 *
 * <p>Notation: {@code C} clusters, {@code N = C·B} READY backups in the source region, {@code R} destination
 * regions, each holding {@code H} copies before the run and receiving {@code k} new ones ({@code k = N} in a first
 * run, 0 in a no-op run), {@code K = R·k} copies in all, latency {@code L} per request. The service's page sizes
 * are those the {@code aws} module asks for: DescribeBackups {@code MaxResults} 50, DescribeClusters 25, and a
 * {@code sourceBackupIds} / {@code backupIds} filter carries at most 20 values per request.
 * {@code pages(x) = max(1, ⌈x/50⌉)}: a listing costs one request even when empty.
 *
 * <p>Requests of a correct run (the smallest it can be):
 * <pre>
 *   ⌈C/25⌉                                   DescribeClusters in the source (which clusters exist)
 * + pages(N)                                 the source's READY backups, listed whole
 * + R · inventory                            what each destination holds:
 *       without retention  min(pages(H), ⌈N/20⌉)   listed whole or looked up by sourceBackupIds, whichever is less
 *       with retention     pages(H)                retention must see every copy, not only the candidates' ones
 * + R · k                                    one CopyBackupToRegion per copy
 * + R · locate                               the new copies' ids (CopyBackupToRegion answers none):
 *       k = 0: 0, else min(pages(H + k), ⌈k/20⌉)
 * + R · 1 with retention                     DescribeClusters in each destination (retention never touches the
 *                                            backups of clusters that live there)
 * </pre>
 * Not counted: re-checking a destination just before copying (the plan is milliseconds old inside one run),
 * deletions (the benchmark's retention keeps everything).
 *
 * <p>Critical path, with every independent request in flight at once: the longest chain of requests that each need
 * the answer of the one before, in the run above. A paged listing is a chain of its pages; a lookup by
 * {@code sourceBackupIds} needs the source listed first (its chain is {@code pages(N) + 1}); chunks of one lookup
 * are independent.
 * <pre>
 *   plan     = max(⌈C/25⌉, pages(N), inventory chain)        inventory chain = pages(H) when listed whole,
 *                                                            pages(N) + 1 when looked up
 *   no-op run:   L · plan
 *   copy phase:  ⌈K / W⌉ · L with W copies in flight; with a rate limit of r requests/s at the source region's
 *                endpoint, where every CopyBackupToRegion goes: K / r
 *   first run:   L · plan + copy phase + L · locate chain     locate chain = pages(H + k) when listed whole, 1 when
 *                                                            looked up
 * </pre>
 */
final class Minimum {
    static final int BACKUPS_PAGE = 50;
    static final int CLUSTERS_PAGE = 25;
    static final int FILTER_VALUES = 20;

    private Minimum() {
    }

    static long ceil(long x, long per) {
        return (x + per - 1) / per;
    }

    /** @return the requests of a full listing of {@code backups} backups */
    static long pages(long backups) {
        return Math.max(1, ceil(backups, BACKUPS_PAGE));
    }

    static long clusterPages(long clusters) {
        return Math.max(1, ceil(clusters, CLUSTERS_PAGE));
    }

    private static long inventory(long candidates, long held, boolean retention) {
        return retention ? pages(held) : Math.min(pages(held), ceil(candidates, FILTER_VALUES));
    }

    private static boolean inventoryListedWhole(long candidates, long held, boolean retention) {
        return retention || pages(held) <= ceil(candidates, FILTER_VALUES);
    }

    private static long locate(long held, long made) {
        return made == 0 ? 0 : Math.min(pages(held + made), ceil(made, FILTER_VALUES));
    }

    /**
     * @param held      copies each destination holds before the run
     * @param made      copies the run makes in each destination
     * @param retention whether a retention policy is configured
     * @return the requests of a correct run
     */
    static long requests(Shape s, long held, long made, boolean retention) {
        long n = s.backups();
        long r = s.destinations();
        return clusterPages(s.clusters()) + pages(n) + r * inventory(n, held, retention) + r * made
                + r * locate(held, made) + (retention ? r : 0);
    }

    /** @return the chain of the planning requests, in requests */
    static long planChain(Shape s, long held, boolean retention) {
        long n = s.backups();
        long inventoryChain = inventoryListedWhole(n, held, retention) ? pages(held) : pages(n) + 1;
        return Math.max(clusterPages(s.clusters()), Math.max(pages(n), inventoryChain));
    }

    /** @return the chain of the requests that find a run's new copies, in requests */
    static long locateChain(long held, long made) {
        if (made == 0) {
            return 0;
        }
        return pages(held + made) <= ceil(made, FILTER_VALUES) ? pages(held + made) : 1;
    }

    /** @return the critical path of a run that copies nothing */
    static Duration noOpCriticalPath(Shape s, boolean retention, Duration latency) {
        return latency.multipliedBy(planChain(s, s.backups(), retention));
    }

    /** @return the critical path of the copy phase of a first run with {@code inFlight} copies at once */
    static Duration copyPhase(Shape s, int inFlight, Duration latency) {
        return latency.multipliedBy(ceil(s.copies(), inFlight));
    }

    /** @return the critical path of the copy phase of a first run at {@code rate} requests per second */
    static Duration copyPhase(Shape s, double rate) {
        return Duration.ofNanos(Math.round(s.copies() / rate * 1e9));
    }

    /** @return the critical path of a first run whose copy phase takes {@code copyPhase} */
    static Duration firstRun(Shape s, boolean retention, Duration latency, Duration copyPhase) {
        return latency.multipliedBy(planChain(s, 0, retention) + locateChain(0, s.backups())).plus(copyPhase);
    }
}
