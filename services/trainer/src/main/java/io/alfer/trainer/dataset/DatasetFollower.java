package io.alfer.trainer.dataset;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Replays {@code alfer.datasets} and {@code alfer.images} into the {@link DatasetCatalog} at
 * start-up and keeps following them. Before a request is validated, {@link #sync} waits until the
 * catalog holds everything the topics held at that moment, so a request sent right after its images
 * were announced is checked against them.
 */
@ApplicationScoped
public class DatasetFollower {
  private static final List<Topic> TOPICS = CatalogRecords.TOPICS;

  private final DatasetCatalog catalog;
  private final Map<String, Object> kafkaConfig;
  private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
  private final Object progress = new Object();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile TopicFollower follower;
  private volatile Admin admin;

  public DatasetFollower(
      DatasetCatalog catalog, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.catalog = catalog;
    this.kafkaConfig = kafkaConfig;
  }

  void onStart(@Observes StartupEvent event) {
    Properties p = KafkaConnection.settings(kafkaConfig);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    admin = Admin.create(p);
    follower = TopicFollower.start(kafkaConfig, TOPICS, this::apply);
    started.countDown();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  /** Whether the start-up replay has reached the end of the catalog topics. */
  public boolean caughtUp() {
    return follower != null && follower.caughtUp();
  }

  /**
   * Waits until the catalog has applied every record the catalog topics hold now.
   *
   * @return false when that did not happen within {@code timeout} (or the broker did not answer)
   */
  public boolean sync(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = endOffsets(timeout);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
    synchronized (progress) {
      while (!reached(ends)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  private Map<TopicPartition, Long> endOffsets(Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> topics =
        admin
            .describeTopics(TOPICS.stream().map(Topic::topicName).toList())
            .allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    topics.forEach(
        (name, description) ->
            description
                .partitions()
                .forEach(
                    p ->
                        request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> ends = new HashMap<>();
    result.forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    try {
      CatalogRecords.apply(r, catalog);
    } finally {
      applied.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }
}
