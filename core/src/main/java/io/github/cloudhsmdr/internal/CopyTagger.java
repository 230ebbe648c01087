package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.PlannedCopy;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.spi.Backup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags of a new copy: the library's own (ownership and provenance), then the user's, then — when so
 * configured — the source backup's own tags, as many as fit under CloudHSM's limit of 50.
 */
final class CopyTagger {
    private CopyTagger() {
    }

    /** The tags and a note for the report when source tags had to be left out. */
    record Tags(Map<String, String> tags, String note) {
    }

    /** @return the library's own tags of a copy: ownership and provenance. */
    static Map<String, String> ownTags(ReplicatorConfig config, String clusterId, String sourceBackupId) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(CopyTags.OWNER, config.name());
        tags.put(CopyTags.SOURCE_BACKUP, sourceBackupId);
        tags.put(CopyTags.SOURCE_REGION, config.sourceRegion());
        tags.put(CopyTags.SOURCE_CLUSTER, clusterId);
        return tags;
    }

    /** @return true when {@code copy} carries this replicator's ownership tag and every provenance tag. */
    static boolean hasOwnTags(ReplicatorConfig config, Backup copy) {
        Map<String, String> tags = copy.tags();
        return config.name().equals(tags.get(CopyTags.OWNER)) && tags.containsKey(CopyTags.SOURCE_BACKUP)
                && tags.containsKey(CopyTags.SOURCE_REGION) && tags.containsKey(CopyTags.SOURCE_CLUSTER);
    }

    static Tags tagsFor(ReplicatorConfig config, String clusterId, PlannedCopy item) {
        Map<String, String> tags = ownTags(config, clusterId, item.sourceBackupId());
        config.copyTags().forEach(tags::putIfAbsent);
        int dropped = 0;
        if (config.copySourceTags()) {
            for (Map.Entry<String, String> t : item.sourceTags().entrySet()) {
                String key = t.getKey();
                if (CopyTags.isReserved(key) || tags.containsKey(key)) {
                    continue;
                }
                if (tags.size() >= CopyTags.MAX_TAGS) {
                    dropped++;
                    continue;
                }
                tags.put(key, t.getValue());
            }
        }
        String note = dropped == 0 ? "" : "; " + dropped + " source tags left out (a backup carries at most "
                + CopyTags.MAX_TAGS + " tags)";
        return new Tags(tags, note);
    }
}
