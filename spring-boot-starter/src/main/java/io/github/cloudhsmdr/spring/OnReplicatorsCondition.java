package io.github.cloudhsmdr.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Map;
import java.util.Set;

/** Matches when at least one replicator is configured under {@code cloudhsm-dr.replicators}. */
final class OnReplicatorsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> names = names(context.getEnvironment());
        return names.isEmpty() ? ConditionOutcome.noMatch("no cloudhsm-dr.replicators configured")
                : ConditionOutcome.match("cloudhsm-dr.replicators " + names);
    }

    /** @return the configured replicator names, in order. */
    static Set<String> names(Environment environment) {
        return Binder.get(environment)
                .bind("cloudhsm-dr.replicators", Bindable.mapOf(String.class, CloudHsmDrProperties.Replicator.class))
                .map(Map::keySet).orElse(Set.of());
    }
}
