package io.alfer.embed.messaging;

import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.EmbeddingsReady;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Announces stored model outputs on {@code alfer.embeddings}, keyed by model id, and sends planned
 * work items to {@code alfer.embed.work}, keyed by item id.
 */
@ApplicationScoped
public class Announcer {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<Record<String, EmbeddingsReady>> embeddings;
  private final MutinyEmitter<Record<String, EmbedWorkItem>> work;

  public Announcer(
      @Channel("embeddings-out") MutinyEmitter<Record<String, EmbeddingsReady>> embeddings,
      @Channel("work-out") MutinyEmitter<Record<String, EmbedWorkItem>> work) {
    this.embeddings = embeddings;
    this.work = work;
  }

  /** Sends a work item and waits for the broker's acknowledgement. */
  public void workItem(EmbedWorkItem item) {
    work.send(Record.of(item.getItemId(), item)).await().atMost(ACK_TIMEOUT);
  }

  /** Sends the event and waits for the broker's acknowledgement. */
  public void embeddingsReady(EmbeddingsReady event) {
    embeddings.send(Record.of(event.getModelId(), event)).await().atMost(ACK_TIMEOUT);
  }
}
