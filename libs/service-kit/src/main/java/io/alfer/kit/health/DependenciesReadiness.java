package io.alfer.kit.health;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.storage.ObjectStore;
import io.alfer.kit.storage.S3Config;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@code dependencies} of every service: up only when the broker answers
 * (within 3 s), the bucket is reachable and every {@link ReadinessPart} of the service is ready;
 * each is a key of the check's data, and every {@link ReadinessData} bean adds its own. A service
 * that stores nothing (the oracle) sets {@code alfer.s3.enabled=false}: its check has no {@code s3}
 * key.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
  private final Instance<ObjectStore> store;
  private final boolean storage;
  private final List<ReadinessPart> parts;
  private final List<ReadinessData> data;
  private final AdminClient admin;

  public DependenciesReadiness(
      Instance<ObjectStore> store,
      S3Config s3,
      @Any Instance<ReadinessData> contributions,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.store = store;
    this.storage = s3.enabled();
    List<ReadinessPart> gates = new ArrayList<>();
    List<ReadinessData> others = new ArrayList<>();
    for (ReadinessData contribution : contributions) {
      if (contribution instanceof ReadinessPart part) {
        gates.add(part);
      } else {
        others.add(contribution);
      }
    }
    gates.sort(Comparator.comparing(ReadinessPart::readinessName));
    others.sort(Comparator.comparing(d -> d.getClass().getName()));
    this.parts = List.copyOf(gates);
    this.data = List.copyOf(others);
    // The service's connection settings (bootstrap, security), so that it authenticates too.
    Properties p = KafkaConnection.settings(kafkaConfig);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    this.admin = AdminClient.create(p);
  }

  @Override
  public HealthCheckResponse call() {
    boolean kafka = kafkaAnswers();
    boolean up = kafka;
    HealthCheckResponseBuilder check =
        HealthCheckResponse.named("dependencies").withData("kafka", kafka);
    if (storage) {
      boolean s3 = store.get().bucketReachable();
      check.withData("s3", s3);
      up &= s3;
    }
    for (ReadinessPart part : parts) {
      boolean ready = part.ready();
      check.withData(part.readinessName(), ready);
      part.describe(check);
      up &= ready;
    }
    data.forEach(d -> d.describe(check));
    return (up ? check.up() : check.down()).build();
  }

  private boolean kafkaAnswers() {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
          .clusterId()
          .get(4, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    admin.close();
  }
}
