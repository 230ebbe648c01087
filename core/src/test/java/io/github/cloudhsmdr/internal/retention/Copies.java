package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.RetentionDecision;
import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds copies as a destination region lists them, for the retention tests. */
final class Copies {
    static final String OWNER = "dr-main";
    static final String SOURCE = "us-east-1";
    static final String DEST = "eu-west-1";
    static final String CLUSTER = "cluster-aaaaaaaaaaa";
    static final String OTHER_CLUSTER = "cluster-bbbbbbbbbbb";
    static final String DEST_CLUSTER = "cluster-ddddddddddd";
    static final Set<String> DEST_CLUSTERS = Set.of(DEST_CLUSTER);

    private Copies() {
    }

    /** A READY copy made by this replicator of source backup {@code "src-" + id}, copied an hour after creation. */
    static Backup.Builder copy(String id, Instant created) {
        return copy(id, CLUSTER, created);
    }

    static Backup.Builder copy(String id, String cluster, Instant created) {
        return Backup.builder(id, DEST).state(BackupState.READY).clusterId(cluster).createTimestamp(created)
                .copyTimestamp(created == null ? null : created.plusSeconds(3600))
                .sourceRegion(SOURCE).sourceBackup("src-" + id).sourceCluster(cluster)
                .tags(ownTags("src-" + id, cluster));
    }

    static Map<String, String> ownTags(String sourceBackup, String cluster) {
        return Map.of(CopyTags.OWNER, OWNER, CopyTags.SOURCE_REGION, SOURCE, CopyTags.SOURCE_CLUSTER, cluster,
                CopyTags.SOURCE_BACKUP, sourceBackup);
    }

    /** Daily READY copies named {@code d-YYYY-MM-DD}, at {@code time} UTC, from {@code first} to {@code last}. */
    static List<Backup> daily(String first, String last, String time) {
        List<Backup> out = new ArrayList<>();
        for (var d = java.time.LocalDate.parse(first); !d.isAfter(java.time.LocalDate.parse(last)); d = d.plusDays(1)) {
            out.add(copy("d-" + d, Instant.parse(d + "T" + time + "Z")).build());
        }
        return out;
    }

    static RetentionEvaluation evaluate(RetentionPolicy policy, List<Backup> inventory, Instant now) {
        return new RetentionEvaluator(policy, OWNER, SOURCE).evaluate(DEST, inventory, DEST_CLUSTERS, now);
    }

    static RetentionDecision decision(RetentionEvaluation e, String backupId) {
        return e.decisions().stream().filter(d -> d.backupId().equals(backupId)).findFirst()
                .orElseThrow(() -> new AssertionError("no decision for " + backupId + " in " + e.decisions()));
    }

    static List<String> ids(List<RetentionDecision> decisions) {
        return decisions.stream().map(RetentionDecision::backupId).sorted().toList();
    }
}
