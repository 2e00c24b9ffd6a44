package io.alfer.embed.messaging;

import io.alfer.proto.v1.EmbeddingsReady;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Announces stored model outputs on {@code alfer.embeddings}, keyed by model id. */
@ApplicationScoped
public class Announcer {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<Record<String, EmbeddingsReady>> embeddings;

  public Announcer(
      @Channel("embeddings-out") MutinyEmitter<Record<String, EmbeddingsReady>> embeddings) {
    this.embeddings = embeddings;
  }

  /** Sends the event and waits for the broker's acknowledgement. */
  public void embeddingsReady(EmbeddingsReady event) {
    embeddings.send(Record.of(event.getModelId(), event)).await().atMost(ACK_TIMEOUT);
  }
}
