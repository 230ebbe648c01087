package io.github.cloudhsmdr.examples.cli;

/** The command line is malformed: an unknown command or option, a missing value, a conflict. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
