package io.alfer.embed.work;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.concurrent.DaemonThreads;
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
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * .md): one item embedded at a time, its offset committed only once its chunk is stored ({@code
 * items/<key>/}, {@code ids.txt} last), so an item whose replica dies is done by another, and an
 * item whose chunk exists already is skipped — each item is stored once. An item's chunk is stored
 * (and the pass completed) on a writer thread while the next item is embedded, so that S3 and Kafka
 * round trips between items do not leave ONNX Runtime idle: at most one item is being stored, it is
 * committed before the next one is, and before its partition is revoked. An increment is announced
 * as such; the replica that stores the last item of the full pass joins the items and announces the
 * pass. An item that fails on S3 or Kafka is taken again after {@code retry-delay}; an unreadable
 * one is dead-lettered to {@code alfer.embed.work.dlq}.
 */
final class ItemWorker {
  private static final Logger LOG = Logger.getLogger(ItemWorker.class);

  /** How many times an item of a model this replica does not know yet is put back. */
  private static final int UNKNOWN_MODEL_RETRIES = 60;

  /** Dead-lettered records remembered so that one taken again is not dead-lettered twice. */
  private static final int DEAD_LETTERED_KEPT = 1024;

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

  /**
   * Records dead-lettered lately (topic-partition@offset), on the worker thread only: a record is
   * taken again when the item stored before it fails and the consumer seeks back, and a record
   * dead-lettered once is then only committed.
   */
  private final Set<String> deadLettered =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > DEAD_LETTERED_KEPT;
            }
          });

  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(DaemonThreads.named("embed-item-writer"));
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;

  /** The item being stored on the writer thread: committed once stored, taken again if not. */
  private InFlight inFlight;

  private record InFlight(
      TopicPartition partition, long offset, CompletableFuture<Boolean> stored) {}

  /**
   * What a record needs once taken: nothing but its commit, to be taken again later, or its chunk
   * stored ({@code store} answers whether it was; false: take the item again).
   */
  private record Step(boolean again, Supplier<Boolean> store) {
    static final Step COMMIT = new Step(false, null);
    static final Step AGAIN = new Step(true, null);
  }

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

  /** Consumes until {@link #stop()}; the models' replay first. Stops the writer at the end. */
  void run() {
    try {
      while (running && !registry.awaitCaughtUp(Duration.ofSeconds(1))) {
        LOG.debug("waiting for the alfer.models replay");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      work();
    } finally {
      writer.shutdown();
    }
  }

  private void work() {
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
      c.subscribe(
          List.of(Topic.EMBED_WORK.topicName()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              // the item being stored is committed while its partition is still this replica's
              settle(c);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
          });
      try {
        while (running) {
          // While an item is being stored, the next one (already fetched, most of the time) is
          // taken at once; with none at hand, the stored item is committed before waiting.
          ConsumerRecords<String, byte[]> records =
              c.poll(inFlight == null ? Duration.ofSeconds(1) : Duration.ZERO);
          if (records.isEmpty()) {
            if (!settle(c)) {
              pause();
            }
            continue;
          }
          for (ConsumerRecord<String, byte[]> r : records) {
            take(c, r);
          }
        }
      } finally {
        settleQuietly(c);
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer = null;
    }
  }

  /** Embeds a record's item (while the previous one is stored), then settles the previous one. */
  private void take(KafkaConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> r)
      throws InterruptedException {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Step step = handle(r);
    TopicPartition before = inFlight == null ? null : inFlight.partition();
    if (!settle(c)) {
      // The previous item is taken again from its offset; this one too (unless the seek back
      // covers it already), as records of a partition are committed in order.
      if (!tp.equals(before)) {
        c.seek(tp, r.offset());
      }
      pause();
      return;
    }
    if (step.again()) {
      c.seek(tp, r.offset());
      pause();
    } else if (step.store() == null) {
      commit(c, tp, r.offset() + 1);
    } else {
      inFlight = new InFlight(tp, r.offset(), CompletableFuture.supplyAsync(step.store(), writer));
    }
  }

  /**
   * Waits for the item being stored, if any: commits it when stored, or seeks back to it so that it
   * is taken again. Returns false in that last case.
   */
  private boolean settle(KafkaConsumer<String, byte[]> c) {
    InFlight f = inFlight;
    if (f == null) {
      return true;
    }
    inFlight = null;
    boolean stored;
    try {
      stored = f.stored().join();
    } catch (CompletionException | CancellationException e) {
      LOG.warnf(e, "storing the item at offset %d of %s failed", f.offset(), f.partition());
      stored = false;
    }
    if (stored) {
      commit(c, f.partition(), f.offset() + 1);
      return true;
    }
    if (c.assignment().contains(f.partition())) {
      c.seek(f.partition(), f.offset());
    }
    return false;
  }

  /** On the way out: the item being stored is finished and committed if it can be. */
  private void settleQuietly(KafkaConsumer<String, byte[]> c) {
    try {
      settle(c);
    } catch (RuntimeException e) {
      LOG.debugf("the last item's commit failed on the way out: %s", e.getMessage());
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

  /** Takes one record: embeds its item, and says what is left to do. */
  private Step handle(ConsumerRecord<String, byte[]> r) {
    if (deadLettered.contains(position(r))) {
      return Step.COMMIT; // dead-lettered before a seek back brought it round again
    }
    EmbedWorkItem item;
    try {
      item = EmbedWorkItem.parseFrom(r.value() == null ? new byte[0] : r.value());
    } catch (InvalidProtocolBufferException e) {
      return deadLetter(r, "undecodable", e.getMessage());
    }
    if (item.getModelId().isEmpty() || item.getImagesCount() == 0) {
      return deadLetter(
          r, "invalid_work_item", item.getModelId().isEmpty() ? "no model_id" : "no images");
    }
    Optional<ModelEntry> found = registry.find(item.getModelId());
    if (found.isEmpty()) {
      int tries = unknownModelTries.merge(item.getItemId(), 1, Integer::sum);
      if (tries <= UNKNOWN_MODEL_RETRIES) {
        return Step.AGAIN; // planned by a replica that saw the model first: it comes
      }
      unknownModelTries.remove(item.getItemId());
      return deadLetter(r, "unknown_model", "no model " + item.getModelId() + " on alfer.models");
    }
    unknownModelTries.remove(item.getItemId());
    if (found.get().state() != ModelState.LIVE) {
      metrics.itemDone("model_not_live");
      return Step.COMMIT;
    }
    try {
      return run(found.get(), item);
    } catch (ModelUnavailableException | ModelClosedException e) {
      return dropped(item, e);
    } catch (RuntimeException e) {
      return failed(item, e);
    } finally {
      remaining.set(0);
    }
  }

  /** Dead-letters a record that can never be done, once; what is left is its commit. */
  private Step deadLetter(ConsumerRecord<String, byte[]> r, String reason, String message) {
    deadLetters.deadLetter(Topic.EMBED_WORK, r.key(), r.value(), reason, message);
    deadLettered.add(position(r));
    return Step.COMMIT;
  }

  private static String position(ConsumerRecord<String, byte[]> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  private Step dropped(EmbedWorkItem item, RuntimeException e) {
    metrics.itemDone("model_not_live");
    LOG.debugf("dropping %s: %s", item.getItemId(), e.getMessage());
    return Step.COMMIT;
  }

  private Step failed(EmbedWorkItem item, RuntimeException e) {
    metrics.itemDone("failed");
    // One line: the cause is S3 or Kafka, which say what they are; the item is taken again.
    LOG.warnf(
        "work item %s failed; taking it again in %s: %s",
        item.getItemId(), retryDelay, e.toString());
    return Step.AGAIN;
  }

  private Step run(ModelEntry entry, EmbedWorkItem item) {
    ModelPublished model = entry.model();
    Split split = item.getSplit();
    String base = EmbeddingStore.base(model.getModelId(), model.getDataset(), split);
    String key =
        EmbeddingStore.itemKey(
            item.getImagesPartition(), item.getFirstOffset(), item.getLastOffset());
    if (store.itemDone(base, key)) {
      metrics.itemDone("stored_already");
      passes.completeIfDone(model, split, registry.session(entry));
      return Step.COMMIT;
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
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Step(
        false,
        () -> {
          try {
            store(model, split, session, base, key, item, result, seconds);
            return true;
          } catch (ModelUnavailableException | ModelClosedException e) {
            return !dropped(item, e).again();
          } catch (RuntimeException e) {
            return !failed(item, e).again();
          }
        });
  }

  /** On the writer thread: stores an item's chunk, then announces or completes its pass. */
  private void store(
      ModelPublished model,
      Split split,
      ModelSession session,
      String base,
      String key,
      EmbedWorkItem item,
      EmbedResult result,
      double embedSeconds) {
    long start = System.nanoTime();
    StoredChunk stored = store.writeItem(base, key, result.chunk());
    metrics.itemDone("embedded");
    LOG.infof(
        "%s: %d images embedded%s in %.2f s (%.0f/s; %.2f s waiting for pixels), stored in %.2f s",
        item.getItemId(),
        result.chunk().ids().size(),
        result.failures().isEmpty() ? "" : ", " + result.failures().size() + " left out",
        embedSeconds,
        result.chunk().ids().size() / Math.max(embedSeconds, 1e-9),
        result.readWaitNanos() / 1e9,
        (System.nanoTime() - start) / 1e9);
    if (item.getIncrement()) {
      if (!result.chunk().ids().isEmpty()) {
        passes.announce(model, split, stored, session.provider(), true);
      }
    } else {
      passes.completeIfDone(model, split, session);
    }
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
