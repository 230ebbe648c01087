package io.github.cloudhsmdr;

/** What a plan intends for one source backup in one destination region. */
public enum PlannedAction {
    /** Not in the destination yet: it will be copied. */
    COPY,
    /** Its earlier copies failed inside AWS (DELETED): it will be copied again. */
    RECOPY,
    /** A READY copy is in the destination: nothing to do. */
    ALREADY_PRESENT,
    /** A copy is still CREATE_IN_PROGRESS in the destination: nothing to do but watch. */
    IN_PROGRESS,
    /**
     * A copy exists but is PENDING_DELETION (retention deleted it, or someone did): it is not copied
     * again, so retention never churns.
     */
    PENDING_DELETION,
    /** Left out on purpose; the reason says why (e.g. it is itself a copy, or retention would not keep it). */
    SKIP
}
