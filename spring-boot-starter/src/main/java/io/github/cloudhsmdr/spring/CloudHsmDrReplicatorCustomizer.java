package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.ReplicatorBuilder;

/**
 * A bean that adjusts each auto-configured replicator's builder after the {@code cloudhsm-dr.*} properties were
 * applied and before it is built: settings properties cannot express (a clock, a sleeper, a listener made for
 * one replicator). Applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface CloudHsmDrReplicatorCustomizer {

    /**
     * @param replicatorName the replicator's name (its key under {@code cloudhsm-dr.replicators})
     * @param builder        its builder, with the properties applied
     */
    void customize(String replicatorName, ReplicatorBuilder builder);
}
