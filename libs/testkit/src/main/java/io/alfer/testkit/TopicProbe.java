package io.alfer.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads one topic, or a few (all partitions, no consumer group), so that a test can wait for
 * records:
 *
 * <pre>{@code
 * try (TopicProbe probe = TopicProbe.fromNow(bootstrap, Topic.IMAGES.topicName())) {
 *   // ... make the service publish ...
 *   List<ReceivedRecord> records = probe.await(r -> r.key().equals(id), 1, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Every record read is kept; {@code await} returns the first ones that match, in read order.
 */
public final class TopicProbe implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ReceivedRecord> received = new ArrayList<>();

  private TopicProbe(String bootstrapServers, List<String> topics, boolean fromBeginning) {
    this.topic = String.join(", ", topics);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : topics) {
      List<TopicPartition> of =
          consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(t, p.partition()))
              .toList();
      if (of.isEmpty()) {
        consumer.close();
        throw new IllegalStateException("topic " + t + " does not exist");
      }
      partitions.addAll(of);
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    partitions.forEach(consumer::position); // fix the start now, not at the first poll
  }

  /** A probe that sees every record already in the topics and every later one. */
  public static TopicProbe fromBeginning(String bootstrapServers, String topic, String... more) {
    return new TopicProbe(bootstrapServers, topics(topic, more), true);
  }

  /** A probe that sees only the records written after this call. */
  public static TopicProbe fromNow(String bootstrapServers, String topic, String... more) {
    return new TopicProbe(bootstrapServers, topics(topic, more), false);
  }

  private static List<String> topics(String topic, String... more) {
    List<String> all = new ArrayList<>(List.of(topic));
    all.addAll(List.of(more));
    return all;
  }

  /** Reads the topic from its start until {@code count} records were read and returns them. */
  public static List<ReceivedRecord> awaitFromBeginning(
      String bootstrapServers, String topic, int count, Duration timeout) {
    try (TopicProbe probe = fromBeginning(bootstrapServers, topic)) {
      return probe.await(count, timeout);
    }
  }

  /** Waits until {@code count} records were read and returns the first {@code count}. */
  public List<ReceivedRecord> await(int count, Duration timeout) {
    return await(record -> true, count, timeout);
  }

  /**
   * Waits until {@code count} records matching {@code filter} were read and returns the first
   * {@code count} of them.
   *
   * @throws AssertionError when they are not there within {@code timeout}
   */
  public List<ReceivedRecord> await(Predicate<ReceivedRecord> filter, int count, Duration timeout) {
    try {
      // the consumer is not thread-safe: the condition reads it on this thread, and each poll
      // waits for records itself, so there is no extra delay between attempts
      Awaitility.await(count + " matching records on " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> enough(filter, count) || readMore() && enough(filter, count));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "expected "
              + count
              + " matching records on "
              + topic
              + " within "
              + timeout
              + ", got "
              + matching(filter).size()
              + " (of "
              + received.size()
              + " read): "
              + received,
          e);
    }
    return List.copyOf(matching(filter).subList(0, count));
  }

  private boolean enough(Predicate<ReceivedRecord> filter, int count) {
    return matching(filter).size() >= count;
  }

  /** Reads what the broker has (waiting up to one poll); always true, for the condition above. */
  private boolean readMore() {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
      received.add(toReceived(record));
    }
    return true;
  }

  /** Every record read so far. */
  public List<ReceivedRecord> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    consumer.close();
  }

  private List<ReceivedRecord> matching(Predicate<ReceivedRecord> filter) {
    return received.stream().filter(filter).toList();
  }

  private static ReceivedRecord toReceived(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return new ReceivedRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value(),
        Collections.unmodifiableMap(headers));
  }
}
