package io.alfer.kit.messaging;

import io.alfer.core.messaging.DeadLetter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Dead letters as messages for a service's emitter: the original key and value, the original
 * headers plus the {@link DeadLetter} headers naming why, where and who. The emitters stay in the
 * services (a channel is the service's configuration); this is the one way their messages are
 * built.
 */
public final class DeadLetterMessages {
  private DeadLetterMessages() {}

  /** The message for an emitter bound to the dead letter's own {@code <topic>.dlq}. */
  public static Message<byte[]> of(DeadLetter letter, String consumer, String instance) {
    return Message.of(letter.payload())
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(letter.key())
                .withHeaders(letter.recordHeaders(consumer, instance))
                .build());
  }

  /**
   * The message for an emitter shared by several dead-letter topics: it names its topic, {@link
   * DeadLetter#dlqTopic()}.
   */
  public static Message<byte[]> routed(DeadLetter letter, String consumer, String instance) {
    return Message.of(letter.payload())
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(letter.dlqTopic())
                .withKey(letter.key())
                .withHeaders(letter.recordHeaders(consumer, instance))
                .build());
  }
}
