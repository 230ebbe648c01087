package io.github.cloudhsmdr.testkit;

import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.Hsm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model's cluster lifecycle for restores: states on the virtual clock, HSMs, deletion, and the faults. */
class ClusterLifecycleTest {
    static final String WEST = "us-west-2";
    static final List<String> SUBNETS = List.of("subnet-0a1b2c3d", "subnet-0e1f2a3b");

    MutableClock clock;
    CloudHsmModel model;
    String source;
    Backup backup;

    @BeforeEach
    void setUp() {
        clock = MutableClock.at("2026-12-01T00:00:00Z");
        model = new CloudHsmModel(clock, 11);
        source = model.addCluster(WEST).clusterId();
        backup = model.addBackup(WEST, source, clock.instant().minus(Duration.ofHours(1)));
    }

    Cluster cluster(String id) {
        return model.describeClusters(WEST, Set.of(id), null, null).clusters().get(0);
    }

    Cluster restore() {
        return model.createCluster(WEST, backup.backupId(), "hsm2m.medium", SUBNETS, Map.of("k", "v"));
    }

    @Test
    void aRestoredClusterIsInitializedWithTheSourcesIdentityThenActiveWithAnHsm() {
        Cluster created = restore();
        assertEquals("CREATE_IN_PROGRESS", created.state());
        assertEquals(model.clusterCertificateOf(source), created.certificates().clusterCertificate(),
                "the backup cluster's certificate, already in the CreateCluster answer");
        assertNull(created.certificates().clusterCsr());
        assertEquals(Map.of("us-west-2a", SUBNETS.get(0), "us-west-2b", SUBNETS.get(1)), created.subnetMapping());
        assertEquals("FIPS", created.mode());

        clock.advance(Duration.ofMinutes(5));
        assertEquals("CREATE_IN_PROGRESS", cluster(created.clusterId()).state());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("INITIALIZED", cluster(created.clusterId()).state());

        Hsm hsm = model.createHsm(WEST, created.clusterId(), "us-west-2a");
        assertEquals("CREATE_IN_PROGRESS", hsm.state());
        assertEquals(SUBNETS.get(0), hsm.subnetId());
        clock.advance(Duration.ofMinutes(12));
        Cluster active = cluster(created.clusterId());
        assertEquals("ACTIVE", active.state());
        assertEquals("ACTIVE", active.hsms().get(0).state());
    }

    @Test
    void aClusterWithHsmsCannotBeDeletedAndADeletedOneGoesAwayAfterItsDelay() {
        Cluster c = restore();
        clock.advance(Duration.ofMinutes(6));
        Hsm hsm = model.createHsm(WEST, c.clusterId(), "us-west-2b");
        CloudHsmModelException refused = assertThrows(CloudHsmModelException.class,
                () -> model.deleteCluster(WEST, c.clusterId()));
        assertEquals(CloudHsmModelException.INVALID_REQUEST, refused.errorCode());

        assertEquals("DELETE_IN_PROGRESS", model.deleteHsm(WEST, c.clusterId(), hsm.hsmId()).state());
        clock.advance(Duration.ofMinutes(4));
        assertTrue(cluster(c.clusterId()).hsms().isEmpty());
        assertEquals("DELETE_IN_PROGRESS", model.deleteCluster(WEST, c.clusterId()).state());
        clock.advance(CloudHsmModel.DEFAULT_CLUSTER_DELETE_DELAY);
        assertTrue(model.describeClusters(WEST, Set.of(c.clusterId()), null, null).clusters().isEmpty());
        assertEquals("DELETED", model.clustersIn(WEST).stream().filter(x -> x.clusterId().equals(c.clusterId()))
                .findFirst().orElseThrow().state());
    }

    @Test
    void faultsFailStickLimitAndFailDeletionsOnce() {
        model.failNextClusterCreations(1);
        Cluster failed = restore();
        clock.advance(Duration.ofMinutes(6));
        assertEquals("DEGRADED", cluster(failed.clusterId()).state());
        assertNotNull(cluster(failed.clusterId()).stateMessage());

        model.stickNextClusterCreations(1);
        Cluster stuck = restore();
        clock.advance(Duration.ofDays(1));
        assertEquals("CREATE_IN_PROGRESS", cluster(stuck.clusterId()).state());

        model.clusterQuota(3);
        CloudHsmModelException quota = assertThrows(CloudHsmModelException.class, this::restore);
        assertEquals(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED, quota.errorCode());

        model.failNextClusterDeletions(1);
        assertEquals(CloudHsmModelException.INTERNAL_FAILURE, assertThrows(CloudHsmModelException.class,
                () -> model.deleteCluster(WEST, stuck.clusterId())).errorCode());
        assertEquals("DELETE_IN_PROGRESS", model.deleteCluster(WEST, stuck.clusterId()).state(), "only once");
    }

    @Test
    void anHsmNeedsAZoneOfTheClusterAndRespectsTheHsmQuota() {
        Cluster c = restore();
        assertThrows(CloudHsmModelException.class, () -> model.createHsm(WEST, c.clusterId(), "us-west-2a"),
                "not while CREATE_IN_PROGRESS");
        clock.advance(Duration.ofMinutes(6));
        assertEquals(CloudHsmModelException.INVALID_REQUEST, assertThrows(CloudHsmModelException.class,
                () -> model.createHsm(WEST, c.clusterId(), "us-west-2c")).errorCode());
        model.hsmQuota(1);
        model.createHsm(WEST, c.clusterId(), "us-west-2a");
        assertEquals(CloudHsmModelException.RESOURCE_LIMIT_EXCEEDED, assertThrows(CloudHsmModelException.class,
                () -> model.createHsm(WEST, c.clusterId(), "us-west-2b")).errorCode());
    }
}
