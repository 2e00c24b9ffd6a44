package io.alfer.kit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * A record a consumer refuses for good (it cannot be decoded, or asks for something impossible),
 * for channels whose {@code failure-strategy} is {@code dead-letter-queue}: {@link #settle} nacks
 * the message with it, and SmallRye writes the record unchanged to the channel's {@code
 * <topic>.dlq} with this exception's message, {@code "<reason>: <detail>"}, in the {@code
 * dead-letter-reason} header. A refusal is expected input, not a fault of the service: it is logged
 * as one warning line, never as an error with a stack trace; anything else a handler throws stays
 * an error.
 */
public class RefusedRecord extends RuntimeException {
  private static final Logger LOG = Logger.getLogger(RefusedRecord.class);

  private final String reason;

  /**
   * @param reason stable reason, e.g. {@code undecodable}
   * @param detail what was wrong, for people
   */
  public RefusedRecord(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  /** The stable reason. */
  public String reason() {
    return reason;
  }

  /**
   * Runs {@code work} on the message and settles it: acknowledged when the work returns, nacked
   * with the refusal (→ the dead-letter topic) when it throws a {@link RefusedRecord}. Any other
   * exception propagates (SmallRye logs it and applies the channel's failure strategy).
   */
  public static <T> CompletionStage<Void> settle(Message<T> message, Consumer<Message<T>> work) {
    try {
      work.accept(message);
    } catch (RefusedRecord refused) {
      LOG.warnf("%s refused: %s", where(message), refused.getMessage());
      return message.nack(refused);
    }
    return message.ack();
  }

  /** The record's key, when it came from Kafka with one. */
  public static Optional<String> key(Message<?> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(IncomingKafkaRecordMetadata::getKey)
        .map(Object::toString);
  }

  private static String where(Message<?> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
        .orElse("record");
  }
}
