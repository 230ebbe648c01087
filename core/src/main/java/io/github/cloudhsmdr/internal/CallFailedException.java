package io.github.cloudhsmdr.internal;

import io.github.cloudhsmdr.Failure;

/** A store call failed for good (after its retries): carries the {@link Failure} for the report. */
class CallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    CallFailedException(Failure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    Failure failure() {
        return failure;
    }
}
