package io.grokstream.service;

import io.grokstream.contracts.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/**
 * Ready only while the broker answers this service as its own Kafka user ({@link KafkaTopology#access()}): a wrong
 * password or a broker that is down takes the service out of rotation. It replaces Quarkus' Kafka health check,
 * which connects with the {@code kafka.*} settings and would knock anonymously on the secured broker.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    static final long TIMEOUT_MILLIS = 5_000;

    private final KafkaTopology topology;
    private volatile Admin admin;

    public KafkaReadiness(KafkaTopology topology) {
        this.topology = topology;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            String cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MILLIS))
                    .clusterId().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("kafka").up().withData("cluster", cluster)
                    .withData("user", String.valueOf(topology.access().username())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("kafka").down().withData("error", "interrupted").build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(KafkaSettings.admin(topology.access()));
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        Admin a = admin;
        if (a != null) {
            a.close();
        }
    }
}
