package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.BackupFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeBackupsResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * A service that answers a NextToken it already gave makes every paginator read the same pages forever; each
 * listing must stop at the first repeated token and fail as a bad response. The stubs stop repeating after
 * {@value #CUT_OFF} requests so that a listing without the check ends (and the test fails) instead of hanging.
 */
class RepeatedNextTokenTest {
    private static final String REGION = "us-east-1";
    private static final int CUT_OFF = 200;

    private CloudHsmV2Client client;
    private AwsBackupStore store;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() {
        client = AwsBackupStoreTest.mockClient();
        store = AwsBackupStore.builder().clients(Map.of(REGION, client)).build();
    }

    /** "t1", then "t2", then "t1" again and again until the cut-off. */
    private String nextToken(String sent) {
        int n = requests.incrementAndGet();
        if (n >= CUT_OFF) {
            return null;
        }
        return "t1".equals(sent) ? "t2" : "t1";
    }

    private void assertBadResponse(String operation, BackupServiceException e) {
        assertEquals(ServiceErrorKind.BAD_RESPONSE, e.kind(), e.getMessage());
        assertEquals(operation, e.operation());
        assertTrue(e.getMessage().contains("NextToken 't1'"), e.getMessage());
        assertEquals(3, requests.get(), "stops at the first repeated token");
    }

    @Test
    void describeBackupsFailsAsBadResponseOnARepeatedNextToken() {
        when(client.describeBackups(any(DescribeBackupsRequest.class))).thenAnswer(inv -> {
            DescribeBackupsRequest r = inv.getArgument(0);
            return DescribeBackupsResponse.builder().nextToken(nextToken(r.nextToken())).build();
        });

        assertBadResponse("DescribeBackups", assertThrows(BackupServiceException.class,
                () -> store.describeBackups(REGION, BackupFilter.ALL)));
    }

    @Test
    void describeClustersFailsAsBadResponseOnARepeatedNextToken() {
        when(client.describeClusters(any(DescribeClustersRequest.class))).thenAnswer(inv -> {
            DescribeClustersRequest r = inv.getArgument(0);
            return DescribeClustersResponse.builder().nextToken(nextToken(r.nextToken())).build();
        });

        assertBadResponse("DescribeClusters", assertThrows(BackupServiceException.class,
                () -> store.describeClusters(REGION, Set.of())));
    }

}
