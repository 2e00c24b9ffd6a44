package io.alfer.embed.work;

import io.alfer.core.messaging.Origins;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.messaging.Announcer;
import io.alfer.embed.metrics.EmbedMetrics;
import io.alfer.embed.storage.EmbeddingStore;
import io.alfer.embed.storage.StoredChunk;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Announces what a pass stored on {@code alfer.embeddings}: its increments, and its full pass once
 * every partition's first plan is stored and every item of them is done (by whoever notices first:
 * the worker that stores the last item, or the planner whose plan was the last, when it had no
 * items).
 */
final class Passes {
  private static final Logger LOG = Logger.getLogger(Passes.class);

  private final EmbeddingStore store;
  private final Announcer announcer;
  private final EmbedMetrics metrics;
  private final IntSupplier imagesPartitions;
  private final String instance;

  Passes(
      EmbeddingStore store,
      Announcer announcer,
      EmbedMetrics metrics,
      IntSupplier imagesPartitions,
      String instance) {
    this.store = store;
    this.announcer = announcer;
    this.metrics = metrics;
    this.imagesPartitions = imagesPartitions;
    this.instance = instance;
  }

  /** Joins and announces the full pass when it is complete and not written yet. */
  void completeIfDone(ModelPublished model, Split split, ModelSession session) {
    String base = EmbeddingStore.base(model.getModelId(), model.getDataset(), split);
    Optional<StoredChunk> full =
        store.mergeWhenComplete(
            base, imagesPartitions.getAsInt(), session.embeddingDim(), session.classes());
    full.ifPresent(f -> announce(model, split, f, session.provider(), false));
  }

  /** Announces stored matrices: the full pass or an increment. */
  void announce(
      ModelPublished model, Split split, StoredChunk stored, String provider, boolean increment) {
    EmbeddingsReady.Builder event =
        EmbeddingsReady.newBuilder()
            .setModelId(model.getModelId())
            .setDataset(model.getDataset())
            .setSplit(split)
            .setIds(stored.ids())
            .setEmbeddings(stored.embeddings())
            .setCount(stored.count())
            .setProvider(provider)
            .setIncrement(increment)
            .setOrigin(Origins.now("embed", instance));
    stored.probabilities().ifPresent(event::setProbabilities);
    announcer.embeddingsReady(event.build());
    metrics.announced(increment);
    LOG.infof(
        "announced %s %s of %s over %s/%s: %d images",
        increment ? "an increment" : "the full pass",
        stored.embeddings().getObject().getKey(),
        model.getModelId(),
        model.getDataset(),
        EmbeddingStore.splitName(split),
        stored.count());
  }
}
