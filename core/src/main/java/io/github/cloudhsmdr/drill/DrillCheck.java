package io.github.cloudhsmdr.drill;

import java.util.Objects;

/**
 * One verification of a drill and its result.
 *
 * @param name   what was checked
 * @param status PASS, FAIL or SKIPPED
 * @param detail the observed values, or why the check was skipped or failed
 */
public record DrillCheck(Name name, Status status, String detail) {

    /** The checks a drill makes, each with what it proves. */
    public enum Name {
        /** A cluster was created from the newest READY copy and reached a restored state. */
        RESTORED_STATE("the copy is accepted by CreateCluster in this region and a cluster comes up from it "
                + "(INITIALIZED or ACTIVE, not UNINITIALIZED: it carries the backup's cluster identity)"),
        /** The restored cluster's HSM type is the backup's. */
        HSM_TYPE("the restored cluster runs on the HSM type the backup was taken on"),
        /** The restored cluster's mode is the backup's. */
        MODE("the restored cluster keeps the backup's FIPS / NON_FIPS mode"),
        /** The restored cluster's certificate is the source cluster's. */
        CLUSTER_CERTIFICATE("the restored cluster presents the source cluster's certificate, signed by the owner's "
                + "CA: clients that trust the original cluster will trust the restored HSMs"),
        /** With an HSM: the HSM and the cluster turned ACTIVE. */
        HSM_ACTIVE("an HSM restored from the backup comes up and the cluster turns ACTIVE: the full recovery"),
        /** The measured recovery time is within the objective. */
        RTO("the measured recovery time is within the configured objective"),
        /** Everything the drill created is deleted. */
        TEARDOWN("the drill leaves nothing behind that costs money or could be mistaken for a production cluster");

        private final String proves;

        Name(String proves) {
            this.proves = proves;
        }

        /** @return what a passing check of this kind proves */
        public String proves() {
            return proves;
        }
    }

    /** The result of one check. */
    public enum Status {
        /** The check passed. */
        PASS,
        /** The check failed. */
        FAIL,
        /** The check could not be made; the detail says why. */
        SKIPPED
    }

    public DrillCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    static DrillCheck pass(Name name, String detail) {
        return new DrillCheck(name, Status.PASS, detail);
    }

    static DrillCheck fail(Name name, String detail) {
        return new DrillCheck(name, Status.FAIL, detail);
    }

    static DrillCheck skipped(Name name, String detail) {
        return new DrillCheck(name, Status.SKIPPED, detail);
    }
}
