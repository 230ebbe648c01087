package io.github.cloudhsmdr.spring;

import io.github.cloudhsmdr.aws.AwsBackupStore;
import io.github.cloudhsmdr.micrometer.ReplicationMetrics;
import io.github.cloudhsmdr.scheduling.ReplicationTask;
import io.github.cloudhsmdr.spi.BackupStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.TaskScheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Auto-configuration of cloudhsm-dr: for each {@code cloudhsm-dr.replicators.<name>}, a
 * {@link io.github.cloudhsmdr.BackupReplicator}, its {@link ReplicationTask} and {@link ReplicationMetrics} (see
 * {@link CloudHsmDrProperties}); the replicators' schedules on Spring's {@link TaskScheduler}; an
 * {@link AwsBackupStore} unless the application defines a {@link BackupStore} bean; and, with Spring Boot's
 * health support, a health contributor {@code cloudhsmDr} with one indicator per replicator. Off with
 * {@code cloudhsm-dr.enabled=false}; the health contributor off with {@code management.health.cloudhsm-dr.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "cloudhsm-dr", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CloudHsmDrProperties.class)
@Import(ReplicatorBeansRegistrar.class)
public class CloudHsmDrAutoConfiguration {

    /** Created by Spring. */
    public CloudHsmDrAutoConfiguration() {
    }

    @Bean
    ReplicatorFactory cloudhsmDrReplicatorFactory(CloudHsmDrProperties properties, ListableBeanFactory beans) {
        return new ReplicatorFactory(properties, beans);
    }

    /**
     * The AWS store of every replicator, unless the application defines a {@link BackupStore}: the SDK's default
     * credentials and region chain, {@code cloudhsm-dr.aws.endpoint-override} if set; closed with the context.
     *
     * @param properties the properties
     * @return the store
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnClass(AwsBackupStore.class)
    @ConditionalOnMissingBean(BackupStore.class)
    @Conditional(OnReplicatorsCondition.class)
    public AwsBackupStore cloudhsmDrBackupStore(CloudHsmDrProperties properties) {
        AwsBackupStore.Builder b = AwsBackupStore.builder();
        if (properties.getAws().getEndpointOverride() != null) {
            b.endpointOverride(properties.getAws().getEndpointOverride());
        }
        return b.build();
    }

    /**
     * Runs the scheduled replicators on the application's {@link TaskScheduler} (when it has exactly one) or on
     * one of its own.
     *
     * @param factory    builds each replicator's schedule from its properties
     * @param beans      the bean factory, to find the tasks
     * @param schedulers the application's task schedulers
     * @return the schedules, started with the context
     */
    @Bean
    @Conditional(OnReplicatorsCondition.class)
    ReplicationSchedules cloudhsmDrSchedules(ReplicatorFactory factory, ListableBeanFactory beans,
            ObjectProvider<TaskScheduler> schedulers) {
        Map<ReplicationTask, ReplicationSchedules.Schedule> schedules = new LinkedHashMap<>();
        for (String name : factory.names()) {
            ReplicationSchedules.Schedule s = factory.schedule(name);
            ReplicationTask task = beans.getBean(ReplicatorBeansRegistrar.taskBean(name), ReplicationTask.class);
            if (s != null) {
                schedules.put(task, s);
            }
        }
        return new ReplicationSchedules(schedules, schedulers.getIfUnique());
    }

    /** The health contributor, with Spring Boot's health support on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("cloudhsm-dr")
    @Conditional(OnReplicatorsCondition.class)
    static class HealthConfiguration {

        @Bean
        CompositeHealthContributor cloudhsmDrHealthContributor(ObjectProvider<ReplicationMetrics> metrics) {
            Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
            metrics.orderedStream().forEach(m -> indicators.put(m.replicatorName(), new ReplicatorHealthIndicator(m)));
            return CompositeHealthContributor.fromMap(indicators);
        }
    }
}
