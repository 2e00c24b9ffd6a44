package io.alfer.core.messaging;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A record sent with a plain Kafka producer, as a stage that completes on the broker's ack. */
public final class Acked {
  private Acked() {}

  /**
   * Sends {@code record}; the stage completes when the broker has acknowledged it, or fails with
   * the producer's error.
   */
  public static <K, V> CompletableFuture<Void> send(
      Producer<K, V> producer, ProducerRecord<K, V> record) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, failure) -> {
          if (failure == null) {
            acked.complete(null);
          } else {
            acked.completeExceptionally(failure);
          }
        });
    return acked;
  }
}
