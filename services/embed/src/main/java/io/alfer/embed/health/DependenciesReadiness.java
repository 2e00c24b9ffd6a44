package io.alfer.embed.health;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.storage.ObjectStore;
import io.alfer.embed.inference.InferenceRuntime;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.work.EmbedWorker;
import io.alfer.embed.work.ImagePartitions;
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
 * Ready only when the Kafka broker answers, the bucket is reachable, {@code alfer.models} has been
 * replayed and this replica has joined the {@code alfer.images} group and replayed its partitions.
 * The data also says which execution provider runs the models and why CUDA was not used.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
  private final ObjectStore store;
  private final ModelRegistry registry;
  private final EmbedWorker worker;
  private final InferenceRuntime runtime;
  private final AdminClient admin;

  public DependenciesReadiness(
      ObjectStore store,
      ModelRegistry registry,
      EmbedWorker worker,
      InferenceRuntime runtime,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.store = store;
    this.registry = registry;
    this.worker = worker;
    this.runtime = runtime;
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
    boolean models = registry.caughtUp();
    ImagePartitions partitions = worker.partitions();
    boolean images = partitions != null && partitions.caughtUp();
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("dependencies")
            .withData("kafka", kafka)
            .withData("s3", s3)
            .withData("models", models)
            .withData("images", images)
            .withData("partitions", partitions == null ? "" : partitions.ownedCaughtUp().toString())
            .withData("provider", runtime.provider());
    if (!runtime.fallbackReason().isEmpty()) {
      b.withData("cudaUnavailable", runtime.fallbackReason());
    }
    return (kafka && s3 && models && images ? b.up() : b.down()).build();
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
