package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers three beans per {@code cloudhsm-dr.replicators.<name>}: {@code cloudhsmDr.<name>} (the
 * {@link BackupReplicator}, closed with the context), {@code cloudhsmDr.<name>.task} (its
 * {@link ReplicationTask}) and {@code cloudhsmDr.<name>.metrics} (its {@link ReplicationMetrics}, a
 * {@link io.micrometer.core.instrument.binder.MeterBinder} Spring Boot binds to the application's registry).
 */
final class ReplicatorBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    static String replicatorBean(String name) {
        return "cloudhsmDr." + name;
    }

    static String taskBean(String name) {
        return replicatorBean(name) + ".task";
    }

    static String metricsBean(String name) {
        return replicatorBean(name) + ".metrics";
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        BeanFactory beans = beanFactory;
        for (String name : OnReplicatorsCondition.names(environment)) {
            RootBeanDefinition metrics = new RootBeanDefinition(ReplicationMetrics.class,
                    () -> ReplicationMetrics.of(name));
            registry.registerBeanDefinition(metricsBean(name), metrics);

            RootBeanDefinition replicator = new RootBeanDefinition(BackupReplicator.class,
                    () -> beans.getBean(ReplicatorFactory.class).replicator(name,
                            beans.getBean(metricsBean(name), ReplicationMetrics.class)));
            replicator.setDestroyMethodName("close");
            replicator.setDependsOn(metricsBean(name));
            registry.registerBeanDefinition(replicatorBean(name), replicator);

            RootBeanDefinition task = new RootBeanDefinition(ReplicationTask.class,
                    () -> beans.getBean(ReplicatorFactory.class).task(name,
                            beans.getBean(replicatorBean(name), BackupReplicator.class)));
            task.setDependsOn(replicatorBean(name));
            registry.registerBeanDefinition(taskBean(name), task);
        }
    }
}
