package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.Failure;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.internal.retry.Attempted;
import io.github.cloudhsmdr.internal.retry.Retrier;
import io.github.cloudhsmdr.internal.retry.RetryBudget;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Runs the store calls of one run (a plan, an apply, a measurement): each call is paced per region and
 * retried under the run's one time budget; a call that fails for good comes out as
 * {@link CallFailedException} carrying the {@link io.github.cloudhsmdr.Failure} for the report.
 */
final class StoreCalls {
    private final BackupStore store;
    private final Retrier retrier;
    private final RetryBudget budget;
    private final RegionPacer pacer;

    StoreCalls(BackupStore store, Retrier retrier, RetryBudget budget, RegionPacer pacer) {
        this.store = store;
        this.retrier = retrier;
        this.budget = budget;
        this.pacer = pacer;
    }

    /**
     * Lists every backup in {@code region} matching {@code filter}, page by page: a page that fails is retried
     * on its own, so a long listing does not start over from its first page after each failure. A NextToken the
     * listing has already followed would make it read the same pages forever: the listing fails as
     * {@link ServiceErrorKind#BAD_RESPONSE} instead.
     *
     * @param resourceId the backup or cluster the listing is about, for messages, or {@code null}
     * @throws CallFailedException when a page fails for good, or the service repeats a NextToken
     */
    List<Backup> listBackups(String region, String resourceId, BackupFilter filter) {
        return listBackupsWhile(region, resourceId, filter, pages -> true);
    }

    /**
     * Like {@link #listBackups}, but asks {@code goOn} before each page after the first, with the number of pages
     * read so far, whether to read on.
     *
     * @return every backup, or {@code null} when {@code goOn} stopped the listing before its end
     * @throws CallFailedException when a page fails for good, or the service repeats a NextToken
     */
    List<Backup> listBackupsWhile(String region, String resourceId, BackupFilter filter, IntPredicate goOn) {
        List<Backup> all = new ArrayList<>();
        Set<String> followed = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            // a repeated token is a bad answer even when the listing would stop here, so it is checked first
            if (token != null && !followed.add(token)) {
                BackupServiceException e = new BackupServiceException(ServiceErrorKind.BAD_RESPONSE,
                        "DescribeBackups", region, resourceId, null, "the service repeated NextToken '" + token
                        + "' after " + (followed.size() + 1) + " pages; the listing would never end", null);
                throw new CallFailedException(Failure.of(e, "DescribeBackups", 1), e);
            }
            if (pages > 0 && !goOn.test(pages)) {
                return null;
            }
            String pageToken = token;
            BackupPage page = call("DescribeBackups", region, resourceId,
                    () -> store.describeBackupsPage(region, filter, pageToken));
            all.addAll(page.backups());
            token = page.nextToken();
            pages++;
        } while (token != null);
        return all;
    }

    /**
     * Lists the clusters in {@code region}.
     *
     * @throws CallFailedException when the listing fails for good
     */
    List<Cluster> describeClusters(String region) {
        return call("DescribeClusters", region, null, () -> store.describeClusters(region, Set.of()));
    }

    /**
     * @param operation  the API operation, for messages and pacing
     * @param region     the region the call goes to
     * @param resourceId the backup or cluster involved, or {@code null}
     * @param body       the call
     * @throws CallFailedException when the call fails for good
     */
    <T> T call(String operation, String region, String resourceId, Supplier<T> body) {
        return callAttempts(operation, region, resourceId, attempt -> body.get());
    }

    /**
     * Like {@link #call}, but the body is told the attempt number (from 1), so a call that is not idempotent
     * can look up whether an earlier, ambiguous attempt took effect before sending again.
     */
    <T> T callAttempts(String operation, String region, String resourceId, IntFunction<T> body) {
        Attempted<T> result = retrier.execute(budget, operation, region,
                attempt -> pacer.run(operation, region, () -> body.apply(attempt)));
        if (result.succeeded()) {
            return result.value();
        }
        throw new CallFailedException(result.failure().toFailure(), result.failure().lastError());
    }
}
