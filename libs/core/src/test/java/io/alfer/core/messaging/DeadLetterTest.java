package io.alfer.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  @Test
  void itsHeadersKeepTheOriginalOnesAndSayWhyWhereAndWho() {
    ConsumerRecord<String, byte[]> read = record("alfer.label-results", 2, 41, "t-1", "{}");
    read.headers().add("ce_type", bytes("alfer.label.result"));
    DeadLetter letter = DeadLetter.of(read, "late", "the task expired");

    RecordHeaders h = letter.recordHeaders("label", "label-0");

    assertThat(letter.dlqTopic()).isEqualTo("alfer.label-results.dlq");
    assertThat(DeadLetter.text(h, "ce_type")).isEqualTo("alfer.label.result");
    assertThat(DeadLetter.text(h, DeadLetter.REASON)).isEqualTo("late");
    assertThat(DeadLetter.text(h, DeadLetter.CAUSE)).isEqualTo("the task expired");
    assertThat(DeadLetter.text(h, DeadLetter.TOPIC)).isEqualTo("alfer.label-results");
    assertThat(DeadLetter.text(h, DeadLetter.PARTITION)).isEqualTo("2");
    assertThat(DeadLetter.text(h, DeadLetter.OFFSET)).isEqualTo("41");
    assertThat(DeadLetter.text(h, DeadLetter.CONSUMER)).isEqualTo("label");
    assertThat(DeadLetter.text(h, DeadLetter.INSTANCE)).isEqualTo("label-0");
  }

  @Test
  void theOriginOfADeadLetterIsReadBackFromItsHeaders() {
    DeadLetter letter = DeadLetter.of(record("alfer.images", 1, 7, "k", "v"), "undecodable", null);
    ConsumerRecord<String, byte[]> dead = record(letter.dlqTopic(), 0, 0, "k", "v");
    letter.recordHeaders("select", "s-1").forEach(dead.headers()::add);

    assertThat(DeadLetter.origin(dead))
        .contains(new DeadLetter.Origin("select", "alfer.images", 1, 7));
    assertThat(DeadLetter.text(dead.headers(), DeadLetter.CAUSE)).isEqualTo("undecodable");
  }

  @Test
  void aDeadLetterWithoutPlaceHasNoOriginAndAnEmptyValueForNone() {
    DeadLetter letter = DeadLetter.unplaced("alfer.models", "m", null, "unknown_dataset", "why");
    ConsumerRecord<String, byte[]> dead = record(letter.dlqTopic(), 0, 0, "m", "");
    letter.recordHeaders("embed", "e-1").forEach(dead.headers()::add);

    assertThat(letter.payload()).isEmpty();
    assertThat(DeadLetter.text(dead.headers(), DeadLetter.PARTITION)).isNull();
    assertThat(DeadLetter.origin(dead)).isEmpty();
  }

  @Test
  void aDeadLetterNamesItsTopicAndReason() {
    assertThatThrownBy(() -> DeadLetter.unplaced(" ", "k", null, "late", null))
        .hasMessageContaining("topic");
    assertThatThrownBy(() -> DeadLetter.unplaced("alfer.images", "k", null, "", null))
        .hasMessageContaining("reason");
  }

  private static ConsumerRecord<String, byte[]> record(
      String topic, int partition, long offset, String key, String value) {
    return new ConsumerRecord<>(topic, partition, offset, key, bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
