package io.alfer.ingest.dataset;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Replays the compacted catalog topics into the {@link Catalog} at start-up and then follows them,
 * so that announcements of other instances are seen too. The service is ready only once the replay
 * has caught up with the end of both topics.
 */
@ApplicationScoped
public class CatalogFollower {
  private static final Logger LOG = Logger.getLogger(CatalogFollower.class);

  private final Catalog catalog;
  private final String bootstrapServers;
  private final AtomicBoolean caughtUp = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong undecodable = new AtomicLong();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public CatalogFollower(
      Catalog catalog, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.catalog = catalog;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    thread = new Thread(this::follow, "catalog-follower");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) throws InterruptedException {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
  }

  /** Whether the start-up replay has reached the end of the catalog topics. */
  public boolean caughtUp() {
    return caughtUp.get();
  }

  private void follow() {
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer()) {
        consumer = c;
        replayAndFollow(c);
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        LOG.warnf("catalog follower failed (%s); retrying in 2 s", e.getMessage());
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void replayAndFollow(KafkaConsumer<String, byte[]> c) {
    List<TopicPartition> partitions =
        java.util.stream.Stream.of(Topic.DATASETS, Topic.IMAGES)
            .flatMap(t -> partitionsOf(c, t.topicName()).stream())
            .toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = c.endOffsets(partitions);
    long replayed = 0;
    while (running.get()) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
        apply(r);
        replayed++;
      }
      if (!caughtUp.get()
          && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
        caughtUp.set(true);
        LOG.infof(
            "catalog replayed: %d records, %d datasets", replayed, catalog.definitions().size());
      }
    }
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> c, String topic) {
    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      if (r.topic().equals(Topic.DATASETS.topicName())) {
        catalog.define(DatasetDefined.parseFrom(r.value()));
      } else {
        catalog.record(ImageIngested.parseFrom(r.value()));
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      undecodable.incrementAndGet();
      LOG.warnf("skipping undecodable record %s-%d@%d", r.topic(), r.partition(), r.offset());
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
