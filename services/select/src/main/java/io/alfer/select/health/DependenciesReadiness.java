package io.alfer.select.health;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.storage.ObjectStore;
import io.alfer.select.state.SelectState;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * Ready only when the Kafka broker answers, the bucket is reachable (matrices are read from it) and
 * the campaigns and inputs have been replayed from the topics.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
  private final ObjectStore store;
  private final SelectState state;
  private final AdminClient admin;

  public DependenciesReadiness(
      ObjectStore store,
      SelectState state,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.store = store;
    this.state = state;
    // The service's connection settings (bootstrap, security), so that it authenticates too.
    Properties p = KafkaConnection.settings(kafkaConfig);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    this.admin = AdminClient.create(p);
  }

  @Override
  public HealthCheckResponse call() {
    boolean kafka = kafkaAnswers();
    boolean s3 = store.bucketReachable();
    boolean replayed = state.ready();
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("dependencies")
            .withData("kafka", kafka)
            .withData("s3", s3)
            .withData("state", replayed);
    return (kafka && s3 && replayed ? b.up() : b.down()).build();
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
