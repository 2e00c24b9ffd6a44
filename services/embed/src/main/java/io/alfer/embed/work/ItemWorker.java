package io.alfer.embed.work;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.embed.inference.ModelClosedException;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.messaging.DeadLetterSink;
import io.alfer.embed.metrics.EmbedMetrics;
import io.alfer.embed.model.ModelEntry;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.model.ModelState;
import io.alfer.embed.model.ModelUnavailableException;
import io.alfer.embed.storage.EmbeddingStore;
import io.alfer.embed.storage.StoredChunk;
import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Does work items from {@code alfer.embed.work} as a member of the work group (adr/0002-work-items
 * .md): one item at a time, its offset committed only once its chunk is stored ({@code
 * items/<key>/}, {@code ids.txt} last), so an item whose replica dies is done by another, and an
 * item whose chunk exists already is skipped — each item is stored once. An increment is announced
 * as such; the replica that stores the last item of the full pass joins the items and announces the
 * pass. An item that fails on S3 or Kafka is taken again after {@code retry-delay}; an unreadable
 * one is dead-lettered to {@code alfer.embed.work.dlq}.
 */
final class ItemWorker {
  private static final Logger LOG = Logger.getLogger(ItemWorker.class);

  /** How many times an item of a model this replica does not know yet is put back. */
  private static final int UNKNOWN_MODEL_RETRIES = 60;

  private final Properties connection;
  private final String group;
  private final ModelRegistry registry;
  private final EmbeddingStore store;
  private final Embedder embedder;
  private final Passes passes;
  private final DeadLetterSink deadLetters;
  private final EmbedMetrics metrics;
  private final Duration retryDelay;
  private final Duration sessionTimeout;
  private final AtomicLong remaining = new AtomicLong();
  private final Map<String, Integer> unknownModelTries = new ConcurrentHashMap<>();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;

  ItemWorker(
      Properties connection,
      String group,
      ModelRegistry registry,
      EmbeddingStore store,
      Embedder embedder,
      Passes passes,
      DeadLetterSink deadLetters,
      EmbedMetrics metrics,
      Duration retryDelay,
      Duration sessionTimeout) {
    this.connection = connection;
    this.group = group;
    this.registry = registry;
    this.store = store;
    this.embedder = embedder;
    this.passes = passes;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.retryDelay = retryDelay;
    this.sessionTimeout = sessionTimeout;
  }

  /** Images of the item in progress not embedded yet. */
  long remaining() {
    return remaining.get();
  }

  /** Stops after the item in progress (its offset is then not committed). */
  void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Consumes until {@link #stop()}; the models' replay first. */
  void run() {
    try {
      while (running && !registry.awaitCaughtUp(Duration.ofSeconds(1))) {
        LOG.debug("waiting for the alfer.models replay");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    while (running) {
      try {
        consume();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        // Never leave the replica without a consumer: a new one joins the group again.
        LOG.errorf(e, "the work consumer failed; a new one joins in %s", retryDelay);
        try {
          pause();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void consume() throws InterruptedException {
    try (KafkaConsumer<String, byte[]> c = newConsumer()) {
      consumer = c;
      c.subscribe(List.of(Topic.EMBED_WORK.topicName()));
      while (running) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (handle(r)) {
            commit(c, tp, r.offset() + 1);
          } else {
            c.seek(tp, r.offset());
            pause();
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer = null;
    }
  }

  /**
   * Commits an item done. A commit the group refuses (a rebalance under way, the partition gone to
   * another replica) is not an error: the item is stored, so whoever takes it again skips it.
   */
  private static void commit(KafkaConsumer<String, byte[]> c, TopicPartition tp, long next) {
    try {
      c.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
    } catch (RebalanceInProgressException | CommitFailedException e) {
      LOG.infof(
          "offset %d of %s not committed (%s): the stored item will be skipped where it is taken"
              + " again",
          next - 1, tp, e.getClass().getSimpleName());
    }
  }

  private void pause() throws InterruptedException {
    Thread.sleep(retryDelay.toMillis());
  }

  /** Does one record; false when it must be taken again later. */
  private boolean handle(ConsumerRecord<String, byte[]> r) {
    EmbedWorkItem item;
    try {
      item = EmbedWorkItem.parseFrom(r.value() == null ? new byte[0] : r.value());
    } catch (InvalidProtocolBufferException e) {
      deadLetters.deadLetter(Topic.EMBED_WORK, r.key(), r.value(), "undecodable", e.getMessage());
      return true;
    }
    if (item.getModelId().isEmpty() || item.getImagesCount() == 0) {
      deadLetters.deadLetter(
          Topic.EMBED_WORK,
          r.key(),
          r.value(),
          "invalid_work_item",
          item.getModelId().isEmpty() ? "no model_id" : "no images");
      return true;
    }
    Optional<ModelEntry> found = registry.find(item.getModelId());
    if (found.isEmpty()) {
      int tries = unknownModelTries.merge(item.getItemId(), 1, Integer::sum);
      if (tries <= UNKNOWN_MODEL_RETRIES) {
        return false; // planned by a replica that saw the model first: it comes
      }
      unknownModelTries.remove(item.getItemId());
      deadLetters.deadLetter(
          Topic.EMBED_WORK,
          r.key(),
          r.value(),
          "unknown_model",
          "no model " + item.getModelId() + " on alfer.models");
      return true;
    }
    unknownModelTries.remove(item.getItemId());
    if (found.get().state() != ModelState.LIVE) {
      metrics.itemDone("model_not_live");
      return true;
    }
    try {
      return run(found.get(), item);
    } catch (ModelUnavailableException | ModelClosedException e) {
      metrics.itemDone("model_not_live");
      LOG.debugf("dropping %s: %s", item.getItemId(), e.getMessage());
      return true;
    } catch (RuntimeException e) {
      LOG.warnf(e, "work item %s failed; taking it again in %s", item.getItemId(), retryDelay);
      return false;
    } finally {
      remaining.set(0);
    }
  }

  private boolean run(ModelEntry entry, EmbedWorkItem item) {
    ModelPublished model = entry.model();
    Split split = item.getSplit();
    String base = EmbeddingStore.base(model.getModelId(), model.getDataset(), split);
    String key =
        EmbeddingStore.itemKey(
            item.getImagesPartition(), item.getFirstOffset(), item.getLastOffset());
    if (store.itemDone(base, key)) {
      metrics.itemDone("stored_already");
      passes.completeIfDone(model, split, registry.session(entry));
      return true;
    }
    ModelSession session = registry.session(entry);
    List<ImageRef> images = new ArrayList<>(item.getImagesCount());
    for (ImageIngested image : item.getImagesList()) {
      images.add(new ImageRef(image, item.getImagesPartition(), -1));
    }
    long start = System.nanoTime();
    remaining.set(images.size());
    EmbedResult result =
        embedder.embed(
            session,
            images,
            (count, nanos) -> {
              remaining.addAndGet(-count);
              metrics.batch(count, nanos);
            });
    for (EmbedResult.Failed f : result.failures()) {
      metrics.imageFailed(f.reason());
      deadLetters.deadLetter(
          Topic.IMAGES,
          f.image().id(),
          f.image().event().toByteArray(),
          f.reason(),
          f.message() + " (model " + model.getModelId() + ")");
    }
    StoredChunk stored = store.writeItem(base, key, result.chunk());
    metrics.itemDone("embedded");
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.infof(
        "%s: %d images embedded%s in %.2f s (%.0f/s)",
        item.getItemId(),
        result.chunk().ids().size(),
        result.failures().isEmpty() ? "" : ", " + result.failures().size() + " left out",
        seconds,
        result.chunk().ids().size() / Math.max(seconds, 1e-9));
    if (item.getIncrement()) {
      if (!result.chunk().ids().isEmpty()) {
        passes.announce(model, split, stored, session.provider(), true);
      }
    } else {
      passes.completeIfDone(model, split, session);
    }
    return true;
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.putAll(connection);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // One item per poll: an item's offset is committed before the next is taken.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        Long.toString(Math.max(500, sessionTimeout.toMillis() / 3)));
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
