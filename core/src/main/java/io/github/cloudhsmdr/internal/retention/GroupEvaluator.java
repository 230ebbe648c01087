package io.github.cloudhsmdr.internal.retention;

import io.github.cloudhsmdr.RetentionPolicy;
import io.github.cloudhsmdr.RetentionVerdict;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a {@link RetentionPolicy} to one group: this replicator's copies of one source cluster's backups in
 * one destination region. Pure: no I/O, no clock, no state.
 *
 * <p>Steps:
 * <ol>
 *   <li>Duplicates: the live copies (READY, CREATE_IN_PROGRESS, PENDING_DELETION) of one source backup are
 *       ranked READY first, then NeverExpires first, then oldest CopyTimestamp (the first copy made), then lowest
 *       backup id; the first is the primary, the others are extras. A READY extra that is not NeverExpires is
 *       deleted as a duplicate, any other extra is protected this run. Extras never take part in the rules
 *       below. (A NeverExpires copy stays whatever the rules say, so it is the one to keep: were another copy the
 *       primary and deleted by the rules, the NeverExpires copy would step in on the next run and change its
 *       outcome, and retention would not be idempotent.)</li>
 *   <li>Participants: READY, not NeverExpires, not an extra; newest first (CreateTimestamp, then backup id).</li>
 *   <li>Keep rules: keepWithin and the count rules, combined with OR, as in restic's {@code forget}.</li>
 *   <li>The newest READY copy of the group (NeverExpires ones included, extras excluded) is kept.</li>
 *   <li>The floor: while fewer than {@code minReadyCopies} READY copies would remain (protected READY copies
 *       count), the newest of the copies about to be deleted are kept. Hypothetical copies (the copies
 *       {@link RetentionEvaluation#wouldKeep(String, java.util.Map)} asks about) come after every copy that is
 *       there: the floor is a number of copies, so a backup is worth copying for the floor only when the copies
 *       there cannot make it up. Were a newer hypothetical copy preferred, a backup would be copied only to take
 *       the floor slot of a copy that is there, which would then be deleted: one copy made, one deleted, for
 *       nothing. Without hypothetical copies (every real evaluation) the order is simply newest first.</li>
 * </ol>
 */
final class GroupEvaluator {
    /** Orders copies newest first: CreateTimestamp descending, then backup id ascending. */
    static final Comparator<Member> NEWEST_FIRST = Comparator.comparing(Member::createTimestamp, Comparator.reverseOrder())
            .thenComparing(m -> m.backup().backupId());

    /** Orders the live copies of one source backup: the primary first. */
    private static final Comparator<Member> PRIMARY_FIRST = Comparator
            .comparing((Member m) -> m.state() == BackupState.READY ? 0 : 1)
            .thenComparing(m -> m.neverExpires() ? 0 : 1)
            .thenComparing(m -> m.backup().copyTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(m -> m.backup().backupId());

    private GroupEvaluator() {
    }

    /**
     * One copy of a group, as the evaluator sees it. Compared by identity, so a group may hold look-alikes.
     */
    static final class Member {
        private final Backup backup;
        private final String sourceBackupKey;
        private final BackupState state;
        private final Instant createTimestamp;
        private final boolean hypothetical;

        /**
         * @param backup          the copy
         * @param sourceBackupKey the source backup's id, or {@code null} when unknown (never a duplicate then)
         * @param state           the state to evaluate with (normally the copy's own state)
         * @param createTimestamp the copy's CreateTimestamp, never {@code null}
         */
        Member(Backup backup, String sourceBackupKey, BackupState state, Instant createTimestamp) {
            this(backup, sourceBackupKey, state, createTimestamp, false);
        }

        /**
         * @param hypothetical whether the copy does not exist yet: a copy the engine considers making, which fills
         *                     the floor only after every copy that exists
         */
        Member(Backup backup, String sourceBackupKey, BackupState state, Instant createTimestamp,
               boolean hypothetical) {
            this.backup = Objects.requireNonNull(backup, "backup");
            this.sourceBackupKey = sourceBackupKey;
            this.state = Objects.requireNonNull(state, "state");
            this.createTimestamp = Objects.requireNonNull(createTimestamp, "createTimestamp");
            this.hypothetical = hypothetical;
        }

        Backup backup() {
            return backup;
        }

        String sourceBackupKey() {
            return sourceBackupKey;
        }

        BackupState state() {
            return state;
        }

        Instant createTimestamp() {
            return createTimestamp;
        }

        boolean neverExpires() {
            return backup.neverExpires();
        }

        boolean hypothetical() {
            return hypothetical;
        }

        @Override
        public String toString() {
            return backup.backupId() + "[" + state + ", " + createTimestamp + "]";
        }
    }

    /** The verdict for one member and why. */
    record Outcome(RetentionVerdict verdict, List<String> reasons) {
        Outcome {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * Evaluates one group.
     *
     * @param policy  the policy
     * @param members the group's copies that have a CreateTimestamp, in any order
     * @param now     the time of the run (keepWithin anchor, and copies in the future)
     * @return one outcome per member, keyed by the member
     */
    static Map<Member, Outcome> evaluate(RetentionPolicy policy, List<Member> members, Instant now) {
        Map<Member, List<String>> protectedReasons = new IdentityHashMap<>();
        Map<Member, String> duplicateOf = new IdentityHashMap<>();
        for (Member m : members) {
            List<String> reasons = new ArrayList<>();
            if (m.neverExpires()) {
                reasons.add("NeverExpires");
            }
            if (m.state() != BackupState.READY) {
                reasons.add(m.state() == BackupState.UNKNOWN ? "state UNKNOWN" : m.state().name());
            }
            protectedReasons.put(m, reasons);
        }

        // 1. duplicates
        Map<String, List<Member>> bySource = new LinkedHashMap<>();
        for (Member m : members) {
            if (m.sourceBackupKey() != null && m.state().isLive()) {
                bySource.computeIfAbsent(m.sourceBackupKey(), k -> new ArrayList<>()).add(m);
            }
        }
        for (List<Member> copies : bySource.values()) {
            if (copies.size() > 1) {
                copies.sort(PRIMARY_FIRST);
                Member primary = copies.get(0);
                for (Member extra : copies.subList(1, copies.size())) {
                    duplicateOf.put(extra, primary.backup().backupId());
                }
            }
        }

        // 2. participants, newest first
        List<Member> participants = new ArrayList<>();
        for (Member m : members) {
            if (protectedReasons.get(m).isEmpty() && !duplicateOf.containsKey(m)) {
                participants.add(m);
            }
        }
        participants.sort(NEWEST_FIRST);
        Set<Member> isParticipant = Collections.newSetFromMap(new IdentityHashMap<>());
        isParticipant.addAll(participants);

        // 3. keep rules
        Map<Member, List<String>> keepReasons = new IdentityHashMap<>();
        applyKeepWithin(policy, participants, now, keepReasons);
        for (CountRule rule : CountRule.values()) {
            applyCountRule(policy, rule, participants, keepReasons);
        }

        // 4. the newest READY copy
        Member newestReady = members.stream()
                .filter(m -> m.state() == BackupState.READY && !duplicateOf.containsKey(m))
                .min(NEWEST_FIRST)
                .orElse(null);
        if (newestReady != null && isParticipant.contains(newestReady)) {
            keepReasons.computeIfAbsent(newestReady, k -> new ArrayList<>()).add("newest READY copy");
        }

        // 5. the floor of READY copies
        long readyLeft = members.stream()
                .filter(m -> m.state() == BackupState.READY && !duplicateOf.containsKey(m))
                .filter(m -> !isParticipant.contains(m) || keepReasons.containsKey(m))
                .count();
        // copies that exist first, then hypothetical ones; newest first within each (the sort is stable)
        List<Member> floorOrder = new ArrayList<>(participants);
        floorOrder.sort(Comparator.comparing(Member::hypothetical));
        for (Member m : floorOrder) {
            if (readyLeft >= policy.minReadyCopies()) {
                break;
            }
            if (!keepReasons.containsKey(m)) {
                keepReasons.put(m, new ArrayList<>(List.of("floor of " + policy.minReadyCopies() + " READY copies")));
                readyLeft++;
            }
        }

        Map<Member, Outcome> outcomes = new IdentityHashMap<>();
        for (Member m : members) {
            List<String> prot = protectedReasons.get(m);
            String primary = duplicateOf.get(m);
            if (primary != null) {
                List<String> reasons = new ArrayList<>(prot);
                reasons.add("duplicate of " + primary);
                outcomes.put(m, new Outcome(prot.isEmpty() ? RetentionVerdict.DELETE_DUPLICATE : RetentionVerdict.PROTECTED,
                        reasons));
            } else if (!prot.isEmpty()) {
                outcomes.put(m, new Outcome(RetentionVerdict.PROTECTED, prot));
            } else if (keepReasons.containsKey(m)) {
                outcomes.put(m, new Outcome(RetentionVerdict.KEEP, keepReasons.get(m)));
            } else {
                outcomes.put(m, new Outcome(RetentionVerdict.DELETE, List.of("no keep rule applies")));
            }
        }
        return outcomes;
    }

    private static void applyKeepWithin(RetentionPolicy policy, List<Member> participants, Instant now,
                                        Map<Member, List<String>> keepReasons) {
        Duration window = policy.keepWithin();
        if (window.isZero() || participants.isEmpty()) {
            return;
        }
        Instant anchor;
        String anchorText;
        if (policy.keepWithinAnchor() == RetentionPolicy.KeepWithinAnchor.NOW) {
            anchor = now;
            anchorText = "now";
        } else {
            // the newest copy that is not in the future (restic); when all are, every copy is within anyway
            anchor = participants.stream().map(Member::createTimestamp).filter(t -> !t.isAfter(now))
                    .findFirst().orElse(now);
            anchorText = "newest copy";
        }
        Instant limit = anchor.minus(window);
        String reason = "keep-within " + format(window) + " of " + anchorText + " (after " + limit + ")";
        for (Member m : participants) {
            if (m.createTimestamp().isAfter(limit)) {
                keepReasons.computeIfAbsent(m, k -> new ArrayList<>()).add(reason);
            }
        }
    }

    private static void applyCountRule(RetentionPolicy policy, CountRule rule, List<Member> participants,
                                       Map<Member, List<String>> keepReasons) {
        int remaining = rule.count(policy);
        String lastBucket = null;
        int slot = 0;
        for (int i = 0; i < participants.size() && remaining != 0; i++) {
            Member m = participants.get(i);
            String bucket = rule.bucket(m.createTimestamp(), policy.zone(), i);
            boolean newBucket = !bucket.equals(lastBucket);
            boolean oldest = policy.keepOldestWhenShort() && i == participants.size() - 1;
            if (newBucket || oldest) {
                slot++;
                String text = rule == CountRule.LAST ? rule.label() + " " + slot
                        : rule.label() + " " + slot + " (" + bucket + (newBucket ? "" : ", oldest copy") + ")";
                keepReasons.computeIfAbsent(m, k -> new ArrayList<>()).add(text);
                lastBucket = bucket;
                if (remaining > 0) {
                    remaining--;
                }
            }
        }
    }

    /** Formats a window the way people write it: {@code 7d}, {@code 36h}, {@code 90m}, else ISO-8601. */
    static String format(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toString();
    }
}
