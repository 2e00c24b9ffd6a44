package io.alfer.embed.messaging;

import io.alfer.core.messaging.Topic;

/** Where records that cannot be processed go (the topic's {@code .dlq}); never blocks. */
@FunctionalInterface
public interface DeadLetterSink {
  /**
   * Dead-letters a record.
   *
   * @param source the topic it was read from
   * @param key its key (may be null)
   * @param value its bytes, unchanged
   * @param reason a stable machine-readable reason, e.g. {@code undecodable}
   * @param cause what exactly was wrong, for people
   */
  void deadLetter(Topic source, String key, byte[] value, String reason, String cause);
}
