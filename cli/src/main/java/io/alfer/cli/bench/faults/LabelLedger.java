package io.alfer.cli.bench.faults;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.cli.stack.StackException;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code alfer.labels} holds for one campaign, read from the beginning to the end offsets of
 * the moment: how many records announce each image, and which of them say UNANSWERED.
 *
 * @param records number of records per image
 * @param unanswered images with at least one UNANSWERED record
 */
public record LabelLedger(Map<String, Integer> records, Set<String> unanswered) {
  private static final Duration READ_LIMIT = Duration.ofMinutes(2);

  /** Reads {@code alfer.labels} to its end and keeps the records of {@code campaignId}. */
  public static LabelLedger read(String bootstrap, String campaignId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, Integer> records = new HashMap<>();
    Set<String> unanswered = new HashSet<>();
    long deadline = System.nanoTime() + READ_LIMIT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topic.LABELS.topicName()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new StackException(
              "could not read " + Topic.LABELS.topicName() + " to its end in " + READ_LIMIT);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          LabelAssigned label = parse(r.value());
          if (label.getCampaignId().equals(campaignId)) {
            records.merge(label.getImageId(), 1, Integer::sum);
            if (label.getOutcome() == LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
              unanswered.add(label.getImageId());
            }
          }
        }
      }
    }
    return new LabelLedger(Map.copyOf(records), Set.copyOf(unanswered));
  }

  /** Selected images without any record. */
  public Set<String> missing(Set<String> selected) {
    Set<String> missing = new HashSet<>(selected);
    missing.removeAll(records.keySet());
    return missing;
  }

  /** Images announced more than once. */
  public Set<String> doubled() {
    Set<String> doubled = new HashSet<>();
    records.forEach(
        (image, n) -> {
          if (n > 1) {
            doubled.add(image);
          }
        });
    return doubled;
  }

  /** Images announced that were not selected. */
  public Set<String> unexpected(Set<String> selected) {
    Set<String> extra = new HashSet<>(records.keySet());
    extra.removeAll(selected);
    return extra;
  }

  /** Number of records in all. */
  public int total() {
    return records.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static LabelAssigned parse(byte[] value) {
    try {
      return LabelAssigned.parseFrom(value == null ? new byte[0] : value);
    } catch (InvalidProtocolBufferException e) {
      throw new StackException("alfer.labels holds a record that is not a LabelAssigned", e);
    }
  }
}
