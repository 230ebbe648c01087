package io.github.cloudhsmdr.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidReplicatorPropertyException} anywhere in a start-up failure into Spring Boot's
 * "APPLICATION FAILED TO START" report: the property, its value and what is allowed.
 */
public final class InvalidReplicatorPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidReplicatorPropertyException> {

    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public InvalidReplicatorPropertyFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidReplicatorPropertyException cause) {
        String description = "The cloudhsm-dr property '" + cause.property() + "' "
                + (cause.value() == null ? "is not set" : "has the value '" + cause.value() + "', which is not allowed")
                + ":\n\n    " + cause.allowed();
        String action = "Update '" + cause.property() + "' in your application's configuration: "
                + cause.allowed();
        return new FailureAnalysis(description, action, cause);
    }
}
