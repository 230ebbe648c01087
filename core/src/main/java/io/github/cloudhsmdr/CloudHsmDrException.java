package io.github.cloudhsmdr;

/**
 * Root of every exception this library throws. Unchecked; messages name the cluster, backup, region
 * and operation involved, never credentials, and the cause is always chained.
 */
public class CloudHsmDrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CloudHsmDrException(String message) {
        super(message);
    }

    public CloudHsmDrException(String message, Throwable cause) {
        super(message, cause);
    }
}
