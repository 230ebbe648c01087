package io.github.cloudhsmdr.aws;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ServiceErrorKind;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.ClusterCertificates;
import io.github.cloudhsmdr.spi.Hsm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2Client;
import software.amazon.awssdk.services.cloudhsmv2.model.Certificates;
import software.amazon.awssdk.services.cloudhsmv2.model.CloudHsmResourceLimitExceededException;
import software.amazon.awssdk.services.cloudhsmv2.model.ClusterState;
import software.amazon.awssdk.services.cloudhsmv2.model.CreateHsmRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.CreateHsmResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteClusterRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteClusterResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteHsmRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DeleteHsmResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.HsmState;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The operations restore drills add to the port: CreateHsm, DeleteHsm, DeleteCluster and the cluster's fields. */
class AwsBackupStoreDrillOperationsTest {
    private static final String REGION = "us-west-2";

    private CloudHsmV2Client client;
    private AwsBackupStore store;

    @BeforeEach
    void setUp() {
        client = mock(CloudHsmV2Client.class);
        when(client.describeClustersPaginator(any(DescribeClustersRequest.class))).thenCallRealMethod();
        store = AwsBackupStore.builder().clients(Map.of(REGION, client)).build();
    }

    private static software.amazon.awssdk.services.cloudhsmv2.model.Hsm sdkHsm(HsmState state) {
        return software.amazon.awssdk.services.cloudhsmv2.model.Hsm.builder().hsmId("hsm-abcdefghijk")
                .clusterId("cluster-aaaaaaaaaaa").availabilityZone("us-west-2a").subnetId("subnet-0a1b2c3d")
                .eniId("eni-1").eniIp("10.0.0.5").state(state).build();
    }

    @Test
    void describeClustersMapsModeCertificatesSubnetsAndHsms() {
        when(client.describeClusters(any(DescribeClustersRequest.class))).thenReturn(
                DescribeClustersResponse.builder().clusters(software.amazon.awssdk.services.cloudhsmv2.model.Cluster
                        .builder().clusterId("cluster-aaaaaaaaaaa").state(ClusterState.ACTIVE).mode("NON_FIPS")
                        .stateMessage("fine").subnetMapping(Map.of("us-west-2a", "subnet-0a1b2c3d"))
                        .certificates(Certificates.builder().clusterCertificate("PEM").build())
                        .hsms(sdkHsm(HsmState.ACTIVE)).build()).build());

        Cluster c = store.describeClusters(REGION, Set.of()).get(0);

        assertEquals("NON_FIPS", c.mode());
        assertEquals("fine", c.stateMessage());
        assertEquals("us-west-2a", c.availabilityZoneOf("subnet-0a1b2c3d").orElseThrow());
        assertEquals(new ClusterCertificates("PEM", null, null, null, null), c.certificates());
        assertEquals(List.of(new Hsm("hsm-abcdefghijk", "cluster-aaaaaaaaaaa", "us-west-2a", "subnet-0a1b2c3d",
                "eni-1", "10.0.0.5", "ACTIVE", null)), c.hsms());
    }

    @Test
    void createsAnHsmInTheZone() {
        when(client.createHsm(any(CreateHsmRequest.class)))
                .thenReturn(CreateHsmResponse.builder().hsm(sdkHsm(HsmState.CREATE_IN_PROGRESS)).build());
        Hsm hsm = store.createHsm(REGION, "cluster-aaaaaaaaaaa", "us-west-2a");
        assertEquals("CREATE_IN_PROGRESS", hsm.state());
        verify(client).createHsm(CreateHsmRequest.builder().clusterId("cluster-aaaaaaaaaaa")
                .availabilityZone("us-west-2a").build());
    }

    @Test
    void aQuotaErrorOnCreateHsmIsResourceLimitExceeded() {
        when(client.createHsm(any(CreateHsmRequest.class))).thenThrow(CloudHsmResourceLimitExceededException.builder()
                .message("quota").statusCode(400).build());
        BackupServiceException e = assertThrows(BackupServiceException.class,
                () -> store.createHsm(REGION, "cluster-aaaaaaaaaaa", "us-west-2a"));
        assertEquals(ServiceErrorKind.RESOURCE_LIMIT_EXCEEDED, e.kind());
        assertEquals("CreateHsm", e.operation());
    }

    @Test
    void deletesAnHsmByIdAndTheCluster() {
        when(client.deleteHsm(any(DeleteHsmRequest.class))).thenReturn(DeleteHsmResponse.builder()
                .hsmId("hsm-abcdefghijk").build());
        when(client.deleteCluster(any(DeleteClusterRequest.class))).thenReturn(DeleteClusterResponse.builder().build());

        store.deleteHsm(REGION, "cluster-aaaaaaaaaaa", "hsm-abcdefghijk");
        Cluster c = store.deleteCluster(REGION, "cluster-aaaaaaaaaaa");

        verify(client).deleteHsm(DeleteHsmRequest.builder().clusterId("cluster-aaaaaaaaaaa").hsmId("hsm-abcdefghijk")
                .build());
        assertEquals("DELETE_IN_PROGRESS", c.state(), "an answer without a cluster reads as deletion in progress");
    }
}
