package io.alfer.embed.messaging;

import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.EmbeddingsReady;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Announces stored model outputs on {@code alfer.embeddings}, keyed by model id, and sends planned
 * work items to {@code alfer.embed.work}, keyed by item id.
 */
@ApplicationScoped
public class Announcer {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** Work items sent before waiting for their acknowledgements (each holds up to ~0.2 MB). */
  private static final int ITEMS_IN_FLIGHT = 16;

  private final MutinyEmitter<Record<String, EmbeddingsReady>> embeddings;
  private final MutinyEmitter<Record<String, EmbedWorkItem>> work;

  public Announcer(
      @Channel("embeddings-out") MutinyEmitter<Record<String, EmbeddingsReady>> embeddings,
      @Channel("work-out") MutinyEmitter<Record<String, EmbedWorkItem>> work) {
    this.embeddings = embeddings;
    this.work = work;
  }

  /**
   * Sends work items side by side, {@value #ITEMS_IN_FLIGHT} at a time, and waits for the broker's
   * acknowledgement of every one.
   */
  public void workItems(List<EmbedWorkItem> items) {
    for (int from = 0; from < items.size(); from += ITEMS_IN_FLIGHT) {
      List<Uni<Void>> sends =
          items.subList(from, Math.min(items.size(), from + ITEMS_IN_FLIGHT)).stream()
              .map(i -> work.send(Record.of(i.getItemId(), i)))
              .toList();
      Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
    }
  }

  /** Sends the event and waits for the broker's acknowledgement. */
  public void embeddingsReady(EmbeddingsReady event) {
    embeddings.send(Record.of(event.getModelId(), event)).await().atMost(ACK_TIMEOUT);
  }
}
