package io.alfer.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A record read back from Kafka, as raw as it was written.
 *
 * @param topic topic name
 * @param partition partition
 * @param offset offset in the partition
 * @param key the key as UTF-8 text, or null
 * @param value the value bytes, or null for a tombstone
 * @param headers header values as UTF-8 text (the last one when a name repeats)
 */
public record ReceivedRecord(
    String topic,
    int partition,
    long offset,
    String key,
    byte[] value,
    Map<String, String> headers) {

  /** The value as UTF-8 text (JSON topics), or null for a tombstone. */
  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** A header's value, or null when absent. */
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + " key=" + key;
  }
}
