package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.CloudHsmDrException;

import java.util.Objects;

/**
 * A {@code cloudhsm-dr.*} property has a value the library does not allow; start-up fails with it and
 * {@link InvalidReplicatorPropertyFailureAnalyzer} explains it.
 */
public final class InvalidReplicatorPropertyException extends CloudHsmDrException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String allowed;

    /**
     * @param property the full property name, e.g. {@code cloudhsm-dr.replicators.prod-dr.retention.keep-daily}
     * @param value    the value as configured (null when missing)
     * @param allowed  what is wrong and what is allowed
     * @param cause    the library's exception, or null
     */
    public InvalidReplicatorPropertyException(String property, Object value, String allowed, Throwable cause) {
        super(property + (value == null ? " is not set" : " = " + value + " is not allowed") + ": " + allowed, cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = value == null ? null : String.valueOf(value);
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /** @return the full property name. */
    public String property() {
        return property;
    }

    /** @return the value as configured, or null when it was missing. */
    public String value() {
        return value;
    }

    /** @return what is wrong and what is allowed. */
    public String allowed() {
        return allowed;
    }
}
