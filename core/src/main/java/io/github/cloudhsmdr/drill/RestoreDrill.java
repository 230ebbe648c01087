package io.github.cloudhsmdr.drill;

import io.github.cloudhsmdr.BackupServiceException;
import io.github.cloudhsmdr.ClusterRestorer;
import io.github.cloudhsmdr.Sleeper;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupStore;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CreateClusterRequest;
import io.github.cloudhsmdr.spi.Hsm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A restore drill: proves that a DR region can bring a cluster back from the newest READY copy, and measures how
 * long it takes.
 *
 * <ol>
 *   <li><b>Leftovers first.</b> Clusters in the region tagged {@link #DRILL_TAG} = this drill's name (left by a
 *       drill that crashed) are torn down, as {@link #cleanup()} does.</li>
 *   <li><b>Restore.</b> The newest READY backup of the source cluster in the region is chosen by
 *       {@link ClusterRestorer#newestRestorable(String, String)} (the restorer's rules apply unchanged), and
 *       CreateCluster is called with it as SourceBackupId, the drill's subnets and three tags:
 *       {@link #DRILL_TAG} (the drill's name), {@link #DRILL_ID_TAG} (this run's id) and {@link #DRILL_SOURCE_TAG}.
 *       DescribeClusters is polled with backoff on the injected clock until the cluster leaves CREATE_IN_PROGRESS.
 *       A cluster created from a backup needs no initialization or activation: it comes up INITIALIZED (or ACTIVE;
 *       Terraform's AWS provider waits for ACTIVE after a restore), never UNINITIALIZED, and reports the
 *       certificate of the backup's cluster (AWS CloudHSM user guide, "Creating clusters from backups":
 *       https://docs.aws.amazon.com/cloudhsm/latest/userguide/create-cluster-from-backup.html; the API reference,
 *       "Certificates": the CSR exists only while the cluster is UNINITIALIZED,
 *       https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_Certificates.html; hashicorp/terraform-provider-aws
 *       internal/service/cloudhsmv2/cluster.go, waitClusterActive for clusters with source_backup_identifier).</li>
 *   <li><b>Verify</b> without HSM credentials, from DescribeClusters: the restored state; HSM type and mode equal
 *       the backup's; the cluster certificate's SHA-256 fingerprint equals the source cluster's (read in the source
 *       region when it answers) or, when the source region cannot be read, the one the last passing drill recorded
 *       in the {@link DrillRecordStore}. See {@link DrillCheck.Name#proves()}.</li>
 *   <li><b>Optional HSM</b> ({@link Builder#withHsm(boolean)}, off by default: an HSM is billed by the hour):
 *       CreateHsm in the availability zone of the first subnet, then wait until the HSM and the cluster are
 *       ACTIVE: the full recovery time.</li>
 *   <li><b>Always tear down</b>: every HSM, then the cluster, also after a failure, a timeout or an interrupt, with
 *       retries until {@link Builder#teardownTimeout(Duration)}. Nothing is deleted unless DescribeClusters shows
 *       it carrying {@link #DRILL_TAG} = this drill's name, and the drill's own cluster also this run's
 *       {@link #DRILL_ID_TAG}.</li>
 * </ol>
 *
 * <p>Failures never throw out of {@link #run()}: they are in the {@link DrillReport}. Two drills with the same name
 * must not run at the same time (the second would tear down the first's cluster as a leftover): run them through
 * one {@link RestoreDrillTask}, with a {@link io.github.cloudhsmdr.scheduling.RunLock} across hosts.
 *
 * <p>Built drills are immutable and thread-safe; the builder is not.
 */
public final class RestoreDrill {
    /** Tag on every drill cluster; its value is the drill's name. Only clusters carrying it are ever deleted. */
    public static final String DRILL_TAG = "cloudhsm-dr:drill";
    /** Tag with the id of the drill run that created the cluster. */
    public static final String DRILL_ID_TAG = "cloudhsm-dr:drill-id";
    /** Tag with the source cluster whose backup the drill cluster restores. */
    public static final String DRILL_SOURCE_TAG = "cloudhsm-dr:drill-source-cluster";
    /** The HSM type used when neither the builder nor the backup names one. */
    public static final String DEFAULT_HSM_TYPE = "hsm2m.medium";

    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrill.class);
    private static final Set<String> CREATING = Set.of("CREATE_IN_PROGRESS", "INITIALIZE_IN_PROGRESS");
    private static final Set<String> RESTORED = Set.of("INITIALIZED", "ACTIVE");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/=+\\-@]{1,64}");
    private static final Pattern CLUSTER_ID = Pattern.compile("cluster-[2-7a-zA-Z]{11,16}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-(gov))?-(east|west|north|south|central){1,2}-\\d");
    private static final Pattern HSM_TYPE = Pattern.compile("((p|)hsm[0-9][a-z.]*\\.[a-zA-Z]+)");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz234567";

    private final BackupStore store;
    private final String name;
    private final String sourceClusterId;
    private final String sourceRegion;
    private final String region;
    private final List<String> subnetIds;
    private final String hsmType;
    private final boolean withHsm;
    private final Duration rtoObjective;
    private final Duration restoreTimeout;
    private final Duration hsmTimeout;
    private final Duration teardownTimeout;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final DrillRecordStore records;
    private final Clock clock;
    private final Sleeper sleeper;
    private final List<DrillListener> listeners;
    private final Random random;

    private RestoreDrill(Builder b) {
        this.store = b.store;
        this.name = b.name;
        this.sourceClusterId = b.sourceClusterId;
        this.sourceRegion = b.sourceRegion;
        this.region = b.region;
        this.subnetIds = List.copyOf(b.subnetIds);
        this.hsmType = b.hsmType;
        this.withHsm = b.withHsm;
        this.rtoObjective = b.rtoObjective;
        this.restoreTimeout = b.restoreTimeout;
        this.hsmTimeout = b.hsmTimeout;
        this.teardownTimeout = b.teardownTimeout;
        this.firstPoll = b.firstPoll;
        this.maxPoll = b.maxPoll;
        this.records = b.records;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.listeners = List.copyOf(b.listeners);
        this.random = b.seed == null ? new Random() : new Random(b.seed);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the drill's name, the value of {@link #DRILL_TAG} on its clusters */
    public String name() {
        return name;
    }

    /** @return the DR region the drill restores in */
    public String region() {
        return region;
    }

    /** @return the source cluster whose backups the drill restores */
    public String sourceClusterId() {
        return sourceClusterId;
    }

    /** @return true when the drill adds an HSM */
    public boolean withHsm() {
        return withHsm;
    }

    /**
     * Runs the drill: leftovers, restore, checks, optional HSM, teardown. Never throws for a service failure; an
     * interrupt stops the waiting, the teardown still runs, and the thread's interrupt flag is set again at the end.
     *
     * @return the report
     */
    public DrillReport run() {
        Run r = new Run(newId());
        LOG.debug("Restore drill starting drillId={} sourceCluster={} region={} withHsm={}", r.id, sourceClusterId,
                region, withHsm);
        fire(l -> l.onDrillStarted(r.id, sourceClusterId, region));
        boolean interrupted = false;
        try {
            r.leftovers.addAll(tearDownLeftovers());
            restoreAndVerify(r);
        } catch (InterruptedException e) {
            interrupted = true;
            r.problems.add("interrupted during the drill (" + r.phase + "): tearing down what it created");
        } catch (DrillFailure e) {
            r.problems.add(e.getMessage());
        } catch (BackupServiceException e) {
            r.problems.add(r.phase + " failed (" + e.kind() + "): " + e.getMessage());
        } catch (RuntimeException e) {
            r.problems.add("unexpected error during " + r.phase + ": " + e);
            LOG.debug("Restore drill drillId={} unexpected error", r.id, e);
        }
        // an interrupt must not stop the teardown: clear the flag for its (bounded) waits, set it again afterwards
        interrupted |= Thread.interrupted();
        try {
            tearDownOwn(r);
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
        DrillReport report = finish(r);
        if (report.status() == DrillStatus.PASS) {
            LOG.info("{}", report.summary());
        } else {
            LOG.warn("{}", report.summary());
        }
        fire(l -> l.onDrillFinished(report));
        return report;
    }

    /**
     * Tears down every cluster in the drill's region that carries {@link #DRILL_TAG} = this drill's name: the
     * leftovers of drills that crashed or were killed before their teardown. Clusters without the tag are never
     * touched. Do not call it while a drill of this name runs.
     *
     * @return one teardown per leftover found
     * @throws BackupServiceException when the region's clusters cannot be listed
     */
    public List<Teardown> cleanup() {
        try {
            return tearDownLeftovers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------------ phases

    private List<Teardown> tearDownLeftovers() throws InterruptedException {
        List<Teardown> done = new ArrayList<>();
        for (Cluster c : store.describeClusters(region, Set.of())) {
            if (name.equals(c.tags().get(DRILL_TAG)) && !"DELETED".equals(c.state())) {
                String drillId = c.tags().get(DRILL_ID_TAG);
                LOG.info("Restore drill {}: tearing down leftover cluster={} of drill {} in region={} (state {})", name,
                        c.clusterId(), drillId, region, c.state());
                Teardown t = tearDown(c.clusterId(), drillId);
                done.add(t);
                fire(l -> l.onLeftover(t));
            }
        }
        return done;
    }

    private void restoreAndVerify(Run r) throws InterruptedException {
        r.phase = "the choice of the backup";
        Optional<Backup> newest;
        try {
            newest = ClusterRestorer.of(store, clock).newestRestorable(region, sourceClusterId);
        } catch (BackupServiceException e) {
            throw new DrillFailure("cannot list the backups in " + region + ": " + e.getMessage());
        }
        if (newest.isEmpty()) {
            throw new DrillFailure("no READY backup of " + sourceClusterId + " in " + region
                    + ": this region cannot restore the cluster");
        }
        Backup backup = newest.get();
        r.backup = backup;
        r.backupAge = backup.createTimestamp() == null ? null : Duration.between(backup.createTimestamp(), clock.instant());
        String type = hsmType != null ? hsmType : backup.hsmType() != null ? backup.hsmType() : DEFAULT_HSM_TYPE;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(DRILL_TAG, name);
        tags.put(DRILL_ID_TAG, r.id);
        tags.put(DRILL_SOURCE_TAG, sourceClusterId);

        r.phase = "CreateCluster";
        Instant requested = clock.instant();
        Cluster created;
        try {
            created = store.createCluster(new CreateClusterRequest(region, backup.backupId(), type, subnetIds, tags));
        } catch (BackupServiceException e) {
            r.check(DrillCheck.fail(DrillCheck.Name.RESTORED_STATE, "CreateCluster from " + backup.backupId()
                    + " failed: " + e.getMessage()));
            throw new DrillFailure("CreateCluster from " + backup.backupId() + " in " + region + " failed ("
                    + e.kind() + "): " + e.getMessage());
        }
        r.clusterId = created.clusterId();
        r.phase(DrillTimeline.Phase.REQUESTED, requested);

        r.phase = "the wait for the restored state";
        Cluster restored = waitForRestored(r, requested);
        r.phase(DrillTimeline.Phase.RESTORED, clock.instant());
        r.check(DrillCheck.pass(DrillCheck.Name.RESTORED_STATE, restored.state() + " after "
                + DrillReport.fmt(Duration.between(requested, clock.instant())) + ", from " + backup.backupId()));
        r.check(hsmType != null && !hsmType.equals(backup.hsmType())
                ? compare(DrillCheck.Name.HSM_TYPE, "HSM type", "requested", hsmType, restored.hsmType())
                : compare(DrillCheck.Name.HSM_TYPE, "HSM type", "backup", backup.hsmType(), restored.hsmType()));
        r.check(compare(DrillCheck.Name.MODE, "mode", "backup", backup.mode(), restored.mode()));
        r.phase = "the certificate check";
        r.check(certificateCheck(r, restored));

        if (withHsm) {
            r.phase = "CreateHsm";
            String subnet = subnetIds.get(0);
            String zone = restored.availabilityZoneOf(subnet).orElseThrow(() -> new DrillFailure("cluster "
                    + restored.clusterId() + " does not list subnet " + subnet + " in its subnet mapping "
                    + restored.subnetMapping() + ": cannot tell the availability zone for the HSM"));
            Hsm hsm;
            try {
                hsm = store.createHsm(region, restored.clusterId(), zone);
            } catch (BackupServiceException e) {
                r.check(DrillCheck.fail(DrillCheck.Name.HSM_ACTIVE, "CreateHsm in " + zone + " failed: "
                        + e.getMessage()));
                throw new DrillFailure("CreateHsm in " + zone + " for " + restored.clusterId() + " failed ("
                        + e.kind() + "): " + e.getMessage());
            }
            r.hsmId = hsm.hsmId();
            r.phase = "the wait for the HSM";
            waitForHsm(r, hsm.hsmId());
            r.phase(DrillTimeline.Phase.HSM_ACTIVE, clock.instant());
            r.check(DrillCheck.pass(DrillCheck.Name.HSM_ACTIVE, "HSM " + hsm.hsmId() + " in " + zone
                    + " and the cluster ACTIVE after " + DrillReport.fmt(r.timeline.restoredToHsmActive().orElse(null))));
        }
    }

    private Cluster waitForRestored(Run r, Instant requested) throws InterruptedException {
        Instant deadline = requested.plus(restoreTimeout);
        Duration interval = firstPoll;
        String last = "not yet listed";
        while (true) {
            Optional<Cluster> c = describe(r.clusterId);
            if (c.isPresent()) {
                String state = c.get().state();
                last = state + (c.get().stateMessage() == null ? "" : " (" + c.get().stateMessage() + ")");
                if (RESTORED.contains(state)) {
                    return c.get();
                }
                if (!CREATING.contains(state)) {
                    r.check(DrillCheck.fail(DrillCheck.Name.RESTORED_STATE, "cluster " + r.clusterId + " reached "
                            + last + " instead of INITIALIZED or ACTIVE"));
                    throw new DrillFailure("the restored cluster " + r.clusterId + " reached " + last
                            + ("UNINITIALIZED".equals(state) ? ": it did not take the backup's cluster identity" : ""));
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                r.check(DrillCheck.fail(DrillCheck.Name.RESTORED_STATE, "cluster " + r.clusterId + " still " + last
                        + " after " + DrillReport.fmt(restoreTimeout)));
                throw new DrillFailure("timed out after " + DrillReport.fmt(restoreTimeout) + " waiting for cluster "
                        + r.clusterId + " to be restored: still " + last);
            }
            interval = pause(interval, deadline);
        }
    }

    private void waitForHsm(Run r, String hsmId) throws InterruptedException {
        Instant deadline = clock.instant().plus(hsmTimeout);
        Duration interval = firstPoll;
        String last = "not yet listed";
        while (true) {
            Optional<Cluster> c = describe(r.clusterId);
            if (c.isPresent()) {
                Optional<Hsm> hsm = c.get().hsms().stream().filter(h -> h.hsmId().equals(hsmId)).findFirst();
                last = "cluster " + c.get().state() + ", HSM " + hsm.map(Hsm::state).orElse("not listed");
                if (hsm.isPresent() && "ACTIVE".equals(hsm.get().state()) && "ACTIVE".equals(c.get().state())) {
                    return;
                }
                if (hsm.isPresent() && !Set.of("CREATE_IN_PROGRESS", "ACTIVE").contains(hsm.get().state())) {
                    r.check(DrillCheck.fail(DrillCheck.Name.HSM_ACTIVE, "HSM " + hsmId + " reached "
                            + hsm.get().state() + (hsm.get().stateMessage() == null ? "" : " (" + hsm.get().stateMessage()
                            + ")")));
                    throw new DrillFailure("HSM " + hsmId + " of " + r.clusterId + " reached " + hsm.get().state());
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                r.check(DrillCheck.fail(DrillCheck.Name.HSM_ACTIVE, last + " after " + DrillReport.fmt(hsmTimeout)));
                throw new DrillFailure("timed out after " + DrillReport.fmt(hsmTimeout) + " waiting for HSM " + hsmId
                        + " and cluster " + r.clusterId + " to be ACTIVE: " + last);
            }
            interval = pause(interval, deadline);
        }
    }

    /** Compares a field of the restored cluster with the backup's (or, for an HSM type given, the requested one). */
    private static DrillCheck compare(DrillCheck.Name check, String what, String source, String expected,
            String actual) {
        if (expected == null) {
            return DrillCheck.skipped(check, "the " + source + " records no " + what);
        }
        if (actual == null) {
            return DrillCheck.skipped(check, "DescribeClusters reports no " + what + " for the restored cluster");
        }
        return expected.equals(actual) ? DrillCheck.pass(check, actual + ", as the " + source)
                : DrillCheck.fail(check, "restored " + actual + ", " + source + " " + expected);
    }

    private DrillCheck certificateCheck(Run r, Cluster restored) {
        Optional<String> got = CertificateFingerprint.of(restored.certificates().clusterCertificate());
        if (got.isEmpty()) {
            return DrillCheck.fail(DrillCheck.Name.CLUSTER_CERTIFICATE, "the restored cluster reports no readable "
                    + "cluster certificate");
        }
        r.fingerprint = got.get();
        String why;
        if (sourceRegion == null) {
            why = "no source region configured";
        } else {
            try {
                Optional<Cluster> source = store.describeClusters(sourceRegion, Set.of(sourceClusterId)).stream()
                        .filter(c -> c.clusterId().equals(sourceClusterId) && !"DELETED".equals(c.state())).findFirst();
                Optional<String> expected = source.flatMap(c -> CertificateFingerprint.of(
                        c.certificates().clusterCertificate()));
                if (expected.isPresent()) {
                    return expected.get().equals(got.get())
                            ? DrillCheck.pass(DrillCheck.Name.CLUSTER_CERTIFICATE, "sha256 " + abbreviate(got.get())
                                    + " = source cluster " + sourceClusterId + " in " + sourceRegion)
                            : DrillCheck.fail(DrillCheck.Name.CLUSTER_CERTIFICATE, "sha256 " + abbreviate(got.get())
                                    + " differs from source cluster " + sourceClusterId + "'s " + abbreviate(expected.get()));
                }
                why = source.isEmpty() ? "source cluster " + sourceClusterId + " not found in " + sourceRegion
                        : "source cluster reports no cluster certificate";
            } catch (BackupServiceException e) {
                why = "source region " + sourceRegion + " unreadable (" + e.kind() + ")";
            }
        }
        Optional<DrillRecord> last;
        try {
            last = records.lastPassing(sourceClusterId);
        } catch (RuntimeException e) {
            return DrillCheck.skipped(DrillCheck.Name.CLUSTER_CERTIFICATE, why + "; the drill record store failed: " + e);
        }
        if (last.isEmpty()) {
            return DrillCheck.skipped(DrillCheck.Name.CLUSTER_CERTIFICATE, why + ", and no passing drill recorded a "
                    + "certificate: nothing to compare sha256 " + abbreviate(got.get()) + " with");
        }
        DrillRecord rec = last.get();
        return rec.clusterCertificateFingerprint().equals(got.get())
                ? DrillCheck.pass(DrillCheck.Name.CLUSTER_CERTIFICATE, "sha256 " + abbreviate(got.get())
                        + " = recorded by drill " + rec.drillId() + " at " + rec.finishedAt() + " (" + why + ")")
                : DrillCheck.fail(DrillCheck.Name.CLUSTER_CERTIFICATE, "sha256 " + abbreviate(got.get())
                        + " differs from " + abbreviate(rec.clusterCertificateFingerprint()) + " recorded by drill "
                        + rec.drillId() + " (" + why + ")");
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 16 ? fingerprint.substring(0, 16) + "…" : fingerprint;
    }

    // ------------------------------------------------------------------------------------------------ teardown

    private void tearDownOwn(Run r) {
        Set<String> mine = new LinkedHashSet<>();
        if (r.clusterId != null) {
            mine.add(r.clusterId);
        }
        if (r.timeline.requestedAt() != null || r.clusterId == null && r.backup != null) {
            // CreateCluster may have created a cluster although its answer was lost: find it by this run's id
            try {
                store.describeClusters(region, Set.of()).stream()
                        .filter(c -> r.id.equals(c.tags().get(DRILL_ID_TAG)) && !"DELETED".equals(c.state()))
                        .forEach(c -> mine.add(c.clusterId()));
            } catch (RuntimeException e) {
                if (r.clusterId == null) {
                    r.problems.add("could not look for a cluster of drill " + r.id + " in " + region + " ("
                            + failure(e) + "); the next drill or cleanup() removes it if there is one");
                }
            }
        }
        for (String clusterId : mine) {
            Teardown t;
            try {
                t = tearDown(clusterId, r.id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t = new Teardown(region, clusterId, r.id, List.of(), false, List.of("interrupted during the "
                        + "teardown: left for the next drill or cleanup()"));
            }
            if (clusterId.equals(r.clusterId) || r.teardown == null) {
                r.teardown = t;
            }
            if (!t.completed()) {
                r.problems.add("teardown of " + clusterId + " did not finish: " + String.join("; ", t.problems()));
            }
        }
        if (r.teardown != null && r.teardown.completed()) {
            r.phase(DrillTimeline.Phase.TORN_DOWN, clock.instant());
        }
    }

    /**
     * Deletes every HSM of {@code clusterId}, then the cluster, with retries until the teardown deadline. Refuses
     * a cluster that does not carry this drill's name tag (and, when {@code drillId} is given, that id).
     */
    private Teardown tearDown(String clusterId, String drillId) throws InterruptedException {
        Instant deadline = clock.instant().plus(teardownTimeout);
        Duration interval = firstPoll;
        List<String> hsmsDeleted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String state = "unknown";
        while (true) {
            Optional<Cluster> found;
            try {
                found = store.describeClusters(region, Set.of(clusterId)).stream()
                        .filter(c -> c.clusterId().equals(clusterId)).findFirst();
            } catch (RuntimeException e) {
                note(problems, "DescribeClusters failed: " + failure(e));
                found = null;
            }
            if (found != null) {
                if (found.isEmpty() || "DELETED".equals(found.get().state())) {
                    return new Teardown(region, clusterId, drillId, hsmsDeleted, true, problems);
                }
                Cluster c = found.get();
                state = c.state();
                if (!name.equals(c.tags().get(DRILL_TAG)) || drillId != null && !drillId.equals(c.tags().get(DRILL_ID_TAG))) {
                    note(problems, "refused to delete " + clusterId + ": it does not carry " + DRILL_TAG + "=" + name
                            + (drillId == null ? "" : " and " + DRILL_ID_TAG + "=" + drillId) + " (tags " + c.tags() + ")");
                    return new Teardown(region, clusterId, drillId, hsmsDeleted, false, problems);
                }
                if (!"DELETE_IN_PROGRESS".equals(state)) {
                    boolean hsmsLeft = false;
                    for (Hsm h : c.hsms()) {
                        if ("DELETED".equals(h.state())) {
                            continue;
                        }
                        hsmsLeft = true;
                        if (!"DELETE_IN_PROGRESS".equals(h.state())) {
                            try {
                                store.deleteHsm(region, clusterId, h.hsmId());
                                hsmsDeleted.add(h.hsmId());
                            } catch (RuntimeException e) {
                                note(problems, "DeleteHsm " + h.hsmId() + " failed: " + failure(e));
                            }
                        }
                    }
                    if (!hsmsLeft) {
                        try {
                            state = store.deleteCluster(region, clusterId).state();
                            if ("DELETED".equals(state)) {
                                return new Teardown(region, clusterId, drillId, hsmsDeleted, true, problems);
                            }
                        } catch (RuntimeException e) {
                            note(problems, "DeleteCluster failed: " + failure(e));
                        }
                    }
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                boolean deleting = "DELETE_IN_PROGRESS".equals(state);
                note(problems, "teardown deadline of " + DrillReport.fmt(teardownTimeout) + " passed with the cluster "
                        + state + (deleting ? "" : ": left for the next drill or cleanup()"));
                return new Teardown(region, clusterId, drillId, hsmsDeleted, deleting, problems);
            }
            interval = pause(interval, deadline);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Adds a problem unless it repeats the one before (a call failing at every poll is listed once). */
    private static void note(List<String> problems, String problem) {
        if (problems.isEmpty() || !problems.get(problems.size() - 1).equals(problem)) {
            problems.add(problem);
        }
    }

    private static String failure(RuntimeException e) {
        return e instanceof BackupServiceException b ? "(" + b.kind() + ") " + b.getMessage() : e.toString();
    }

    private Optional<Cluster> describe(String clusterId) {
        try {
            return store.describeClusters(region, Set.of(clusterId)).stream()
                    .filter(c -> c.clusterId().equals(clusterId)).findFirst();
        } catch (BackupServiceException e) {
            if (!e.isTransient()) {
                throw new DrillFailure("DescribeClusters in " + region + " failed (" + e.kind() + "): " + e.getMessage());
            }
            LOG.debug("DescribeClusters region={} failed, polling on: {}", region, e.toString());
            return Optional.empty();
        }
    }

    /** Sleeps the interval (never past the deadline) and returns the next interval. */
    private Duration pause(Duration interval, Instant deadline) throws InterruptedException {
        Duration left = Duration.between(clock.instant(), deadline);
        Duration wait = interval.compareTo(left) < 0 ? interval : left;
        sleeper.sleep(wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait);
        Duration next = interval.multipliedBy(2);
        return next.compareTo(maxPoll) > 0 ? maxPoll : next;
    }

    private DrillReport finish(Run r) {
        Duration rto = withHsm ? r.timeline.toHsmActive().orElse(null) : r.timeline.toRestored().orElse(null);
        if (rto == null) {
            r.check(DrillCheck.skipped(DrillCheck.Name.RTO, "the drill did not get that far"));
        } else if (rto.compareTo(rtoObjective) <= 0) {
            r.check(DrillCheck.pass(DrillCheck.Name.RTO, DrillReport.fmt(rto) + " <= " + DrillReport.fmt(rtoObjective)
                    + (withHsm ? "" : " (to the restored state; an HSM adds its creation time)")));
        } else {
            r.check(DrillCheck.fail(DrillCheck.Name.RTO, DrillReport.fmt(rto) + " > objective "
                    + DrillReport.fmt(rtoObjective)));
        }
        if (r.teardown != null) {
            r.check(r.teardown.completed() ? DrillCheck.pass(DrillCheck.Name.TEARDOWN, r.teardown.describe())
                    : DrillCheck.fail(DrillCheck.Name.TEARDOWN, r.teardown.describe()));
        }
        for (DrillCheck c : r.checks) {
            if (c.status() == DrillCheck.Status.FAIL && r.problems.stream().noneMatch(p -> p.contains(c.detail()))) {
                r.problems.add(c.name() + ": " + c.detail());
            }
        }
        DrillStatus status = r.problems.isEmpty() ? DrillStatus.PASS : DrillStatus.FAIL;
        if (status == DrillStatus.PASS && r.fingerprint != null) {
            try {
                records.recordPassing(new DrillRecord(sourceClusterId, r.id, region, clock.instant(),
                        r.backup == null ? null : r.backup.backupId(), r.fingerprint));
            } catch (RuntimeException e) {
                LOG.warn("Restore drill {}: could not record the passing drill in {}: {}", r.id, records, e.toString());
            }
        }
        return new DrillReport(r.id, name, sourceClusterId, sourceRegion, region, withHsm, r.startedAt,
                clock.instant(), r.backup, r.backupAge, r.clusterId, r.hsmId, r.timeline, rto, rtoObjective, withHsm,
                r.checks, r.teardown, r.leftovers, status, r.problems);
    }

    private String newId() {
        StringBuilder sb = new StringBuilder(name).append('-').append(ID_TIME.format(clock.instant())).append('-');
        synchronized (random) {
            for (int i = 0; i < 4; i++) {
                sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
            }
        }
        return sb.toString();
    }

    private void fire(java.util.function.Consumer<DrillListener> event) {
        for (DrillListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Drill listener {} threw; ignored", l, e);
            }
        }
    }

    /** The state of one run. */
    private final class Run {
        final String id;
        final Instant startedAt = clock.instant();
        final List<Teardown> leftovers = new ArrayList<>();
        final List<DrillCheck> checks = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        DrillTimeline timeline = new DrillTimeline(null, null, null, null);
        String phase = "the clean-up of leftovers";
        Backup backup;
        Duration backupAge;
        String clusterId;
        String hsmId;
        String fingerprint;
        Teardown teardown;

        Run(String id) {
            this.id = id;
        }

        void check(DrillCheck c) {
            checks.add(c);
            fire(l -> l.onCheck(id, c));
        }

        void phase(DrillTimeline.Phase p, Instant at) {
            timeline = timeline.with(p, at);
            Duration since = timeline.requestedAt() == null ? Duration.ZERO : Duration.between(timeline.requestedAt(), at);
            fire(l -> l.onPhase(id, p, since));
        }
    }

    /** A phase failed; the message goes into the report. */
    private static final class DrillFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DrillFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Builds a {@link RestoreDrill}. Required: {@link #backupStore}, {@link #sourceCluster}, {@link #region},
     * {@link #subnetIds}. Not thread-safe.
     */
    public static final class Builder {
        private BackupStore store;
        private String name = "default";
        private String sourceClusterId;
        private String sourceRegion;
        private String region;
        private List<String> subnetIds = List.of();
        private String hsmType;
        private boolean withHsm;
        private Duration rtoObjective = Duration.ofHours(1);
        private Duration restoreTimeout = Duration.ofHours(1);
        private Duration hsmTimeout = Duration.ofHours(1);
        private Duration teardownTimeout = Duration.ofHours(1);
        private Duration firstPoll = Duration.ofSeconds(15);
        private Duration maxPoll = Duration.ofMinutes(2);
        private DrillRecordStore records = DrillRecordStore.inMemory();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private final List<DrillListener> listeners = new ArrayList<>();
        private Long seed;

        private Builder() {
        }

        /** The store to talk to (not closed by the drill); it must implement CreateHsm, DeleteHsm, DeleteCluster. */
        public Builder backupStore(BackupStore store) {
            this.store = Objects.requireNonNull(store, "backupStore");
            return this;
        }

        /** The drill's name (default {@code default}): the value of {@link #DRILL_TAG} on its clusters. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The cluster whose backups are restored. */
        public Builder sourceCluster(String clusterId) {
            this.sourceClusterId = Objects.requireNonNull(clusterId, "sourceCluster");
            return this;
        }

        /**
         * The source cluster's region, read for the certificate check (optional: without it, the check compares
         * with the last passing drill's record).
         */
        public Builder sourceRegion(String region) {
            this.sourceRegion = Objects.requireNonNull(region, "sourceRegion");
            return this;
        }

        /** The DR region to restore in. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** 1 to 10 subnets of one VPC in the DR region, one per availability zone; the HSM goes into the first. */
        public Builder subnetIds(String... subnetIds) {
            return subnetIds(List.of(subnetIds));
        }

        /** 1 to 10 subnets of one VPC in the DR region, one per availability zone; the HSM goes into the first. */
        public Builder subnetIds(List<String> subnetIds) {
            this.subnetIds = List.copyOf(Objects.requireNonNull(subnetIds, "subnetIds"));
            return this;
        }

        /**
         * The HSM type of the drill cluster (default: the backup's). When it differs from the backup's, the HSM type
         * check compares the restored cluster with this type and says so.
         */
        public Builder hsmType(String hsmType) {
            this.hsmType = Objects.requireNonNull(hsmType, "hsmType");
            return this;
        }

        /** Whether to add an HSM and wait for ACTIVE, the full recovery time (default false: an HSM costs money). */
        public Builder withHsm(boolean withHsm) {
            this.withHsm = withHsm;
            return this;
        }

        /** The recovery time objective the measured RTO is held against (default 1 hour). */
        public Builder rtoObjective(Duration objective) {
            this.rtoObjective = Objects.requireNonNull(objective, "rtoObjective");
            return this;
        }

        /** How long to wait for the restored state after CreateCluster (default 1 hour). */
        public Builder restoreTimeout(Duration timeout) {
            this.restoreTimeout = Objects.requireNonNull(timeout, "restoreTimeout");
            return this;
        }

        /** How long to wait for the HSM and the cluster to be ACTIVE (default 1 hour). */
        public Builder hsmTimeout(Duration timeout) {
            this.hsmTimeout = Objects.requireNonNull(timeout, "hsmTimeout");
            return this;
        }

        /** How long the teardown of one cluster may retry and wait (default 1 hour). */
        public Builder teardownTimeout(Duration timeout) {
            this.teardownTimeout = Objects.requireNonNull(timeout, "teardownTimeout");
            return this;
        }

        /** Polling: the first interval, doubled after each poll up to {@code max} (default 15 s, 2 min). */
        public Builder pollInterval(Duration first, Duration max) {
            this.firstPoll = Objects.requireNonNull(first, "pollInterval first");
            this.maxPoll = Objects.requireNonNull(max, "pollInterval max");
            return this;
        }

        /** Where passing drills record the certificate fingerprint (default: in memory). */
        public Builder recordStore(DrillRecordStore records) {
            this.records = Objects.requireNonNull(records, "recordStore");
            return this;
        }

        /** The clock (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The sleeper used while polling (default: {@link Sleeper#SYSTEM}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Adds a listener. */
        public Builder listener(DrillListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Seed of the random part of drill ids, to replay a run. */
        public Builder randomSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the drill
         * @throws NullPointerException     when a required setting is missing
         * @throws IllegalArgumentException when a setting is out of range, naming it, its value and what is allowed
         * @throws IllegalStateException    when settings contradict each other
         */
        public RestoreDrill build() {
            Objects.requireNonNull(store, "backupStore");
            Objects.requireNonNull(sourceClusterId, "sourceCluster");
            Objects.requireNonNull(region, "region");
            require(NAME.matcher(name).matches(), "name", name, "1 to 64 of A-Z a-z 0-9 _ . : / = + - @");
            require(CLUSTER_ID.matcher(sourceClusterId).matches(), "sourceCluster", sourceClusterId,
                    "cluster- followed by 11 to 16 of [2-7a-zA-Z]");
            require(REGION.matcher(region).matches(), "region", region, "a CloudHSM region id such as us-west-2");
            if (sourceRegion != null) {
                require(REGION.matcher(sourceRegion).matches(), "sourceRegion", sourceRegion,
                        "a CloudHSM region id such as us-east-1");
            }
            require(!subnetIds.isEmpty() && subnetIds.size() <= 10, "subnetIds", subnetIds, "1 to 10 subnet ids");
            for (String s : subnetIds) {
                require(s != null && SUBNET_ID.matcher(s).matches(), "subnetIds", s,
                        "subnet- followed by 8 or 17 hexadecimal digits");
            }
            require(new LinkedHashSet<>(subnetIds).size() == subnetIds.size(), "subnetIds", subnetIds,
                    "distinct subnet ids");
            if (hsmType != null) {
                require(HSM_TYPE.matcher(hsmType).matches() && hsmType.length() <= 32, "hsmType", hsmType,
                        "an HSM type such as hsm2m.medium");
            }
            requirePositive("rtoObjective", rtoObjective);
            requirePositive("restoreTimeout", restoreTimeout);
            requirePositive("hsmTimeout", hsmTimeout);
            requirePositive("teardownTimeout", teardownTimeout);
            requirePositive("pollInterval first", firstPoll);
            requirePositive("pollInterval max", maxPoll);
            if (maxPoll.compareTo(firstPoll) < 0) {
                throw new IllegalStateException("pollInterval max " + maxPoll + " is shorter than first " + firstPoll
                        + ": it must be at least as long");
            }
            return new RestoreDrill(this);
        }

        private static void require(boolean ok, String field, Object value, String allowed) {
            if (!ok) {
                throw new IllegalArgumentException(field + " '" + value + "' is not allowed: expected " + allowed);
            }
        }

        private static void requirePositive(String field, Duration d) {
            require(!d.isNegative() && !d.isZero(), field, d, "a positive duration");
        }
    }
}
