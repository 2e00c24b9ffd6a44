package io.alfer.core.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a consumer refused, on its way to {@code <topic>.dlq}: the original key, value and
 * headers, plus why and where it was read. Every alfer writer of dead letters puts the same headers
 * ({@value #REASON}, {@value #CAUSE}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET} — the
 * names SmallRye's own dead-letter strategy uses — and {@value #CONSUMER}, {@value #INSTANCE}); the
 * vendor contract documents them.
 *
 * @param topic where it was read
 * @param partition its partition, or -1 when the writer does not know it
 * @param offset its offset, or -1 when the writer does not know it
 * @param key its key
 * @param value its value, as read (null for none)
 * @param headers its headers, kept
 * @param reason stable reason, e.g. {@code undecodable}
 * @param cause what was wrong, for people (null: the reason)
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String key,
    byte[] value,
    Iterable<Header> headers,
    String reason,
    String cause) {
  /** Header: the stable reason a record was dead-lettered, e.g. {@code late}. */
  public static final String REASON = "dead-letter-reason";

  /** Header: what was wrong, for people. */
  public static final String CAUSE = "dead-letter-cause";

  /** Header: topic the dead-lettered record was read from. */
  public static final String TOPIC = "dead-letter-topic";

  /** Header: its partition. */
  public static final String PARTITION = "dead-letter-partition";

  /** Header: its offset. */
  public static final String OFFSET = "dead-letter-offset";

  /** Header: the consumer (service) that refused it, e.g. {@code select}. */
  public static final String CONSUMER = "dead-letter-consumer";

  /** Header: the instance that refused it. */
  public static final String INSTANCE = "dead-letter-instance";

  public DeadLetter {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a dead letter needs the topic it was read from");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a dead letter needs a reason");
    }
    headers = headers == null ? List.of() : headers;
  }

  /** The dead letter of {@code record}, refused for {@code reason}. */
  public static DeadLetter of(ConsumerRecord<String, byte[]> record, String reason, String cause) {
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value(),
        record.headers(),
        reason,
        cause);
  }

  /** A dead letter of a record whose partition and offset the writer does not know. */
  public static DeadLetter unplaced(
      String topic, String key, byte[] value, String reason, String cause) {
    return new DeadLetter(topic, -1, -1, key, value, List.of(), reason, cause);
  }

  /** The topic it goes to: {@code <topic>.dlq}. */
  public String dlqTopic() {
    return topic + Topic.DLQ_SUFFIX;
  }

  /** The value to write: the original bytes, or an empty value for none. */
  public byte[] payload() {
    return value == null ? new byte[0] : value;
  }

  /**
   * The headers of the dead-letter record: the original ones, then why and where, then who refused
   * it ({@code consumer}, {@code instance}).
   */
  public RecordHeaders recordHeaders(String consumer, String instance) {
    RecordHeaders h = new RecordHeaders();
    for (Header header : headers) {
      h.add(header);
    }
    h.add(REASON, bytes(reason));
    h.add(CAUSE, bytes(cause == null ? reason : cause));
    h.add(TOPIC, bytes(topic));
    if (partition >= 0) {
      h.add(PARTITION, bytes(Integer.toString(partition)));
    }
    if (offset >= 0) {
      h.add(OFFSET, bytes(Long.toString(offset)));
    }
    h.add(CONSUMER, bytes(consumer));
    h.add(INSTANCE, bytes(instance));
    return h;
  }

  /**
   * Where a record read from a dead-letter topic came from, when its headers say so completely.
   *
   * @param consumer the consumer that refused it (null when the header is missing: written before
   *     the header existed, or by SmallRye's strategy)
   */
  public record Origin(String consumer, String topic, int partition, long offset) {}

  /** The origin a dead letter's headers name; empty when topic, partition or offset is missing. */
  public static Optional<Origin> origin(ConsumerRecord<?, byte[]> deadLetter) {
    Headers h = deadLetter.headers();
    String topic = text(h, TOPIC);
    String partition = text(h, PARTITION);
    String offset = text(h, OFFSET);
    if (topic == null || partition == null || offset == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Origin(
              text(h, CONSUMER), topic, Integer.parseInt(partition), Long.parseLong(offset)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The last value of header {@code name} as UTF-8 text, or null when the record has none. */
  public static String text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
