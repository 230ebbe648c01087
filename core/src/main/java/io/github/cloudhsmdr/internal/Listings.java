package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * The cheapest way to learn what a region holds. A region can be asked in two ways: listed whole (one call per
 * page of {@link BackupStore#maxBackupsPerPage()} backups, a chain of calls since each page names the next) or
 * filtered on the source backups of interest (one call per {@link BackupStore#maxFilterIdsPerRequest()} ids,
 * sent side by side). Which is cheaper depends on how much the region holds, which this class remembers from
 * the last whole listing of each region (a replicator keeps one instance across its runs). Thread-safe.
 */
final class Listings {
    private final int pageSize;
    private final int idsPerRequest;
    private final int parallelism;
    /** Backups in a region at its last whole listing, or at least this many when a listing was given up. */
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    /** Source backups the last plan looked for; -1 before the first plan. */
    private volatile int lastCandidates = -1;

    /**
     * @param store       the store whose page size and filter size set the costs
     * @param parallelism how many filtered calls to one region are started side by side (the pacer decides how
     *                    many go out at once)
     */
    Listings(BackupStore store, int parallelism) {
        this.pageSize = Math.max(1, store.maxBackupsPerPage());
        this.idsPerRequest = Math.max(1, store.maxFilterIdsPerRequest());
        this.parallelism = parallelism;
    }

    /** @return the calls a whole listing of {@code size} backups costs (an empty region is one call) */
    long wholeCost(long size) {
        return size <= 0 ? 1 : (size - 1) / pageSize + 1;
    }

    /** @return the calls a lookup filtered on {@code ids} source backups costs, about one page each */
    long filteredCost(int ids) {
        return ids <= 0 ? 0 : (ids - 1L) / idsPerRequest + 1;
    }

    /** @return how many backups {@code region} held at its last whole listing (or at least), if it was listed */
    OptionalLong knownSize(String region) {
        Long size = sizes.get(region);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** Remembers the size of a whole listing of {@code region}. */
    void listedWhole(String region, int backups) {
        sizes.put(region, (long) backups);
    }

    /** Remembers that {@code region} holds more than a whole listing given up after {@code pages} pages. */
    void gaveUp(String region, int pages) {
        sizes.merge(region, (long) pages * pageSize + 1, Math::max);
    }

    /** Remembers how many source backups a plan looked for, to predict the next plan's lookups. */
    void candidates(int count) {
        lastCandidates = count;
    }

    /**
     * Whether a whole listing of {@code region} should go on after {@code pagesRead} pages (0: whether to start
     * it), given the lookup it would replace. With a known size, it goes on while the pages left cost no more
     * than the lookup; without one, it goes on until it has cost as much as the lookup (so it never costs more
     * than twice the cheaper way). {@code candidates} is -1 while the source is still being read: the listing
     * goes on meanwhile, unless the last plan says the lookup will be cheaper.
     */
    boolean keepListing(String region, int pagesRead, int candidates) {
        int looked = candidates >= 0 ? candidates : lastCandidates;
        if (looked < 0) {
            return true;
        }
        long lookup = filteredCost(looked);
        OptionalLong size = knownSize(region);
        if (size.isPresent()) {
            long total = Math.max(wholeCost(size.getAsLong()), pagesRead + 1L);
            return total - pagesRead <= lookup;
        }
        return candidates < 0 || pagesRead < lookup;
    }

    /**
     * The copies of {@code sourceBackupIds} in {@code region}, asked the cheaper way: a whole listing when the
     * region's known size makes it cheaper than a filtered lookup, else the filtered lookup in parts side by side.
     * A whole listing is cut down to the copies of those backups (by SourceBackup, else the provenance tag).
     *
     * @param added backups the region has gained since its size was learnt (copies started since)
     * @throws CallFailedException when a listing fails
     */
    List<Backup> copiesOf(StoreCalls calls, RunTasks tasks, String region, Collection<String> sourceBackupIds,
            int added) {
        return cheaper(calls, tasks, region, sourceBackupIds, added, BackupFilter::sourceBackupIds,
                Backup::originBackup);
    }

    /**
     * The backups {@code backupIds} of {@code region}, asked the cheaper way (as {@link #copiesOf}).
     *
     * @throws CallFailedException when a listing fails
     */
    List<Backup> backups(StoreCalls calls, RunTasks tasks, String region, Collection<String> backupIds) {
        return cheaper(calls, tasks, region, backupIds, 0, BackupFilter::backupIds, Backup::backupId);
    }

    private List<Backup> cheaper(StoreCalls calls, RunTasks tasks, String region, Collection<String> ids, int added,
            Function<List<String>, BackupFilter> filter, Function<Backup, String> key) {
        if (ids.isEmpty()) {
            return List.of();
        }
        OptionalLong size = knownSize(region);
        if (size.isPresent() && wholeCost(size.getAsLong() + added) < filteredCost(ids.size())) {
            List<Backup> all = calls.listBackups(region, null, BackupFilter.ALL);
            listedWhole(region, all.size());
            Set<String> wanted = Set.copyOf(ids);
            return all.stream().filter(b -> key.apply(b) != null && wanted.contains(key.apply(b))).toList();
        }
        return filtered(calls, tasks, region, ids, filter);
    }

    /**
     * The copies of {@code sourceBackupIds} in {@code region}, with one filtered listing per
     * {@link BackupStore#maxFilterIdsPerRequest()} ids, side by side; a backup listed by two parts counts once.
     *
     * @throws CallFailedException when a listing fails
     */
    List<Backup> filtered(StoreCalls calls, RunTasks tasks, String region, Collection<String> sourceBackupIds) {
        return filtered(calls, tasks, region, sourceBackupIds, BackupFilter::sourceBackupIds);
    }

    private List<Backup> filtered(StoreCalls calls, RunTasks tasks, String region, Collection<String> values,
            Function<List<String>, BackupFilter> filter) {
        List<String> ids = new ArrayList<>(new TreeSet<>(values));
        List<List<String>> parts = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += idsPerRequest) {
            parts.add(ids.subList(i, Math.min(ids.size(), i + idsPerRequest)));
        }
        Map<String, Backup> byId = new LinkedHashMap<>();
        tasks.map(parts, parallelism, part -> calls.listBackups(region, null, filter.apply(part)))
                .forEach(listing -> listing.forEach(b -> byId.putIfAbsent(b.backupId(), b)));
        return new ArrayList<>(byId.values());
    }

    /**
     * Lists {@code region} whole while {@code goOn} allows (asked before each page after the first with the pages
     * read so far), remembering its size when the listing ends.
     *
     * @return the listing, or {@code null} when {@code goOn} stopped it
     * @throws CallFailedException when a page fails for good
     */
    List<Backup> wholeWhile(StoreCalls calls, String region, IntPredicate goOn) {
        int[] pages = {0};
        List<Backup> all = calls.listBackupsWhile(region, null, BackupFilter.ALL, p -> {
            pages[0] = p;
            return goOn.test(p);
        });
        if (all == null) {
            gaveUp(region, pages[0]);
        } else {
            listedWhole(region, all.size());
        }
        return all;
    }
}
