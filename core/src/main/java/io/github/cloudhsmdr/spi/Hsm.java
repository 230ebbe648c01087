package io.github.cloudhsmdr.spi;

import java.util.Objects;

/**
 * One HSM of a cluster, as DescribeClusters and CreateHsm report it. Fields but {@code hsmId} may be {@code null}.
 *
 * @param hsmId            the HSM id, {@code hsm-…}
 * @param clusterId        the cluster it belongs to
 * @param availabilityZone its availability zone
 * @param subnetId         its subnet
 * @param eniId            its elastic network interface, or {@code null}
 * @param eniIp            the interface's IP address, or {@code null}
 * @param state            {@code CREATE_IN_PROGRESS}, {@code ACTIVE}, {@code DEGRADED}, {@code DELETE_IN_PROGRESS},
 *                         {@code DELETED} (kept as text: the set grows)
 * @param stateMessage     the service's explanation of the state, or {@code null}
 */
public record Hsm(String hsmId, String clusterId, String availabilityZone, String subnetId, String eniId,
        String eniIp, String state, String stateMessage) {

    public Hsm {
        Objects.requireNonNull(hsmId, "hsmId");
    }
}
