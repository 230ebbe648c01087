package io.github.cloudhsmdr.spi;

/**
 * The {@code Certificates} a cluster reports in DescribeClusters (PEM text as the service returns it). Any field
 * may be {@code null}: the CSR exists only while the cluster is UNINITIALIZED, and a cluster restored from a
 * backup reports the cluster certificate of the cluster the backup was taken from.
 *
 * @param clusterCertificate              signed by the issuing CA of the cluster's owner, or {@code null}
 * @param clusterCsr                      the certificate signing request (UNINITIALIZED only), or {@code null}
 * @param hsmCertificate                  issued by the HSM hardware, or {@code null}
 * @param awsHardwareCertificate          issued by AWS CloudHSM, or {@code null}
 * @param manufacturerHardwareCertificate issued by the hardware manufacturer, or {@code null}
 */
public record ClusterCertificates(String clusterCertificate, String clusterCsr, String hsmCertificate,
        String awsHardwareCertificate, String manufacturerHardwareCertificate) {

    /** No certificate at all. */
    public static final ClusterCertificates NONE = new ClusterCertificates(null, null, null, null, null);
}
