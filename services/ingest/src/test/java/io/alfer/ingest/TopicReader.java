package io.alfer.ingest;

import static org.awaitility.Awaitility.await;

import io.alfer.core.messaging.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning up to its end offsets at the time of the call. Every send of the
 * service is acknowledged before its HTTP answer, so after an answer this view is complete.
 */
final class TopicReader {
  private TopicReader() {}

  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, Topic topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic.topicName()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      BooleanSupplier atEnd =
          () -> end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
      await("reading " + topic.topicName() + " to its end")
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread() // the consumer is not thread-safe
          .pollInterval(Duration.ZERO) // the consumer's poll waits for records itself
          .until(
              () -> {
                if (!atEnd.getAsBoolean()) {
                  c.poll(Duration.ofMillis(200)).forEach(out::add);
                }
                return atEnd.getAsBoolean();
              });
      return out;
    }
  }
}
