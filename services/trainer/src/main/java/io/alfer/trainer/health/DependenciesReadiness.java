package io.alfer.trainer.health;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.storage.ObjectStore;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.job.JobService;
import io.alfer.trainer.job.TrainingDevice;
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
 * Ready only when the Kafka broker answers, the bucket is reachable, the dataset catalog has been
 * replayed and the jobs have been recovered from object storage. Reports the training device.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
  private final ObjectStore store;
  private final DatasetFollower follower;
  private final JobService jobs;
  private final TrainingDevice device;
  private final AdminClient admin;

  public DependenciesReadiness(
      ObjectStore store,
      DatasetFollower follower,
      JobService jobs,
      TrainingDevice device,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.store = store;
    this.follower = follower;
    this.jobs = jobs;
    this.device = device;
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
    boolean catalog = follower.caughtUp();
    boolean recovered = jobs.recovered();
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("dependencies")
            .withData("kafka", kafka)
            .withData("s3", s3)
            .withData("catalog", catalog)
            .withData("jobs-recovered", recovered)
            .withData("device", String.valueOf(device.name()));
    return (kafka && s3 && catalog && recovered ? b.up() : b.down()).build();
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
