package io.alfer.core.catalog;

import io.alfer.core.messaging.Acked;
import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Announces a {@link CatalogWriter}'s records with a Kafka producer of its own (idempotent, acks
 * from all replicas), for writers that run without the ingest service.
 */
public final class KafkaAnnouncer implements CatalogWriter.Announcer, AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;

  /** Connects to {@code bootstrapServers} without authentication. */
  public KafkaAnnouncer(String bootstrapServers) {
    Properties p = KafkaConnection.settings(bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public CompletionStage<Void> dataset(DatasetDefined definition) {
    return send(Topic.DATASETS, definition.getDataset(), definition.toByteArray());
  }

  @Override
  public CompletionStage<Void> image(ImageIngested image) {
    return send(Topic.IMAGES, image.getImageId(), image.toByteArray());
  }

  private CompletionStage<Void> send(Topic topic, String key, byte[] value) {
    return Acked.send(producer, new ProducerRecord<>(topic.topicName(), key, value));
  }

  /** Sends what is buffered, waits for it, and disconnects. */
  @Override
  public void close() {
    producer.close();
  }
}
