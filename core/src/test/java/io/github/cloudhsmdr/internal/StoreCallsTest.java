package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.RetryPolicy;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.internal.retry.Retrier;
import io.github.cloudhsmdr.internal.retry.RetryListener;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupPage;
import io.github.cloudhsmdr.spi.BackupStore;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Page-by-page listings: a repeated NextToken, and a listing its caller stops part-way. */
class StoreCallsTest {
    private static final String REGION = "us-west-2";

    private final BackupStore store = Mockito.mock(BackupStore.class);
    private final StoreCalls calls = calls(store);

    private static StoreCalls calls(BackupStore store) {
        Retrier retrier = new Retrier(RetryPolicy.defaults(), duration -> { }, new Random(1), RetryListener.NONE);
        return new StoreCalls(store, retrier, retrier.startBudget(), new RegionPacer(1, duration -> { }));
    }

    /** Every page, whatever its token, points at the page "loop". */
    private void everyPagePointsAtTheSameToken() {
        when(store.describeBackupsPage(eq(REGION), any(), any()))
                .thenReturn(new BackupPage(List.<Backup>of(), "loop"));
    }

    @Test
    void aRepeatedTokenFailsTheListingAsABadResponse() {
        everyPagePointsAtTheSameToken();

        CallFailedException e = assertThrows(CallFailedException.class,
                () -> calls.listBackups(REGION, null, BackupFilter.ALL));

        assertEquals(ServiceErrorKind.BAD_RESPONSE, e.failure().kind());
        assertTrue(e.failure().message().contains("NextToken 'loop'"), e.failure().message());
        verify(store, times(2)).describeBackupsPage(eq(REGION), any(), any());
    }

    @Test
    void aRepeatedTokenIsABadResponseEvenWhenTheCallerWouldStopThere() {
        // the caller would give the listing up after two pages; the second page's token was already followed, so
        // the answer is bad, and a listing that ended quietly here would hide it until the next listing met it
        everyPagePointsAtTheSameToken();

        CallFailedException e = assertThrows(CallFailedException.class,
                () -> calls.listBackupsWhile(REGION, null, BackupFilter.ALL, pages -> pages < 2));

        assertEquals(ServiceErrorKind.BAD_RESPONSE, e.failure().kind());
        verify(store, times(2)).describeBackupsPage(eq(REGION), any(), any());
    }

    @Test
    void aListingItsCallerStopsEndsWithoutTheRestOfItsPages() {
        when(store.describeBackupsPage(eq(REGION), any(), any())).thenAnswer(call -> {
            String token = call.getArgument(2);
            int page = token == null ? 1 : Integer.parseInt(token) + 1;
            return new BackupPage(List.<Backup>of(), String.valueOf(page));
        });

        assertNull(calls.listBackupsWhile(REGION, null, BackupFilter.ALL, pages -> pages < 3));
        verify(store, times(3)).describeBackupsPage(eq(REGION), any(), any());
        verify(store, times(1)).describeBackupsPage(eq(REGION), any(), eq(null));
        verify(store, times(0)).describeBackupsPage(anyString(), any(), eq("3"));
    }
}
